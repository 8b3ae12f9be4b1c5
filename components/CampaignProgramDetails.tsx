import { formatDateTime } from '../lib/format/time';
import type { ProgramPairPanelView } from '../lib/messaging/views';

const DIRECTION_TEXT = {
  both: 'both ways',
  toProgram: 'Salesforce → Marketo',
  toCampaign: 'Marketo → Salesforce',
} as const;

/**
 * A Campaign page's Marketo program (issue 17): which program, whether its first load is done, the
 * members both sides agree on, and the last Sync to Program. The pair syncs with whole cycles (the
 * popup's Sync now), not as one record.
 */
export function CampaignProgramDetails({
  pair,
  timeZone,
}: {
  pair: ProgramPairPanelView;
  timeZone?: string;
}) {
  const last = pair.lastSyncToProgram;
  return (
    <section class="program-pair" aria-label="Marketo program">
      <dl>
        <dt>Program</dt>
        <dd>
          {pair.programName} · {pair.programId}
        </dd>
        <dt>Members sync</dt>
        <dd>{DIRECTION_TEXT[pair.direction]}</dd>
        <dt>Members in step</dt>
        <dd>
          {pair.loaded ? pair.membersInStep : 'not loaded yet: the next cycle links the program (Init Link)'}
        </dd>
        {last && (
          <>
            <dt>Last Sync to Program</dt>
            <dd>
              {formatDateTime(last.at, timeZone)} · {last.status.toLowerCase()} · {last.new} new,{' '}
              {last.updated} updated, {last.deleted} removed, {last.failed} failed (all pairs)
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}
