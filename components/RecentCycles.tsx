import type { SyncLogDatabase } from '../lib/db/database';
import type { CycleRow, StepRow } from '../lib/db/types';
import { formatDateTime } from '../lib/format/time';
import { StatusBadge } from './StatusBadge';
import { type PersonLabel, StepTable } from './StepTable';
import { useLiveQuery } from './useLiveQuery';

interface Props {
  db: SyncLogDatabase;
  limit: number;
  timeZone?: string;
  personLabel: PersonLabel;
}

/** Reads the newest cycles and only their steps (two indexed reads, never a table scan). */
async function loadRecentCycles(db: SyncLogDatabase, limit: number) {
  const cycles = await db.cycles.orderBy('startedAt').reverse().limit(limit).toArray();
  const steps = await db.steps
    .where('cycleId')
    .anyOf(cycles.map((c) => c.id))
    .toArray();
  const byCycle = new Map<number, StepRow[]>();
  for (const step of steps) byCycle.set(step.cycleId, [...(byCycle.get(step.cycleId) ?? []), step]);
  return cycles.map((cycle) => ({
    cycle,
    steps: (byCycle.get(cycle.id) ?? []).sort((a, b) => b.startedAt - a.startedAt || b.id - a.id),
  }));
}

/** The last cycles, newest first, each with its steps in the seed's columns; live while a cycle runs. */
export function RecentCycles({ db, limit, timeZone, personLabel }: Props) {
  const { value, error } = useLiveQuery(() => loadRecentCycles(db, limit), [db, limit]);
  if (error) return <p class="error">Could not read the sync log: {error.message}</p>;
  if (!value) return <p class="muted">Loading…</p>;
  if (value.length === 0) return <p class="empty">No sync cycles yet</p>;
  return (
    <div class="cycles">
      {value.map(({ cycle, steps }) => (
        <section class="cycle" key={cycle.id} data-cycle-id={cycle.id}>
          <CycleHeader cycle={cycle} timeZone={timeZone} />
          <StepTable steps={steps} timeZone={timeZone} personLabel={personLabel} />
        </section>
      ))}
    </div>
  );
}

function CycleHeader({ cycle, timeZone }: { cycle: CycleRow; timeZone?: string }) {
  return (
    <h3 class="cycle-header">
      Cycle {cycle.id} · {cycle.trigger} · {formatDateTime(cycle.startedAt, timeZone)}{' '}
      <StatusBadge status={cycle.status} />{' '}
      <span class="muted">
        API calls: {cycle.apiCalls.salesforce} SF, {cycle.apiCalls.marketo} Marketo
      </span>
    </h3>
  );
}
