// Opportunities and roles at scale and under interruption (issue 19): 1,500 opportunities and 3,000
// roles created in one second; the Opportunity and Role pulls each stopped in the middle of a write
// (the write is carried out, its answer and the client's retries lost) resume after their last
// commit: every opportunity and role is in Marketo exactly once, on the right person, and the log
// agrees with Marketo (each state's marketoGUID is the record's).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStates } from '../../lib/db/syncState';
import type { StepRow } from '../../lib/db/types';
import { CallFault } from '../support/callFault';
import { createDealsInOneSecond, withDeals } from '../support/dealsInOneSecond';
import { type SyncHarness, startSyncHarness } from './sync-harness';

const N = 1500;
let h: SyncHarness;
let opportunities: string[];
let roles: string[];
const calls = new CallFault(() => h.emu);

/** The `at`-th write to `route` is carried out, its answer (and the client's retries) lost. */
function stopAt(route: RegExp, at: number, faultRoute: string) {
  calls.arm(route, at, { side: 'marketo', kind: 'dropAfter', route: faultRoute, method: 'POST', times: 3 });
}

beforeAll(async () => {
  h = await startSyncHarness({ seed: 'empty' }, withDeals, calls.beforeFetch);
  ({ opportunities, roles } = createDealsInOneSecond(h.emu.control, {
    accounts: 150,
    contactsPerAccount: 2,
    opportunities: N,
    closeDate: '2026-09-30',
    roleOf: (n) => (n ? 'Evaluator' : 'Buyer'),
  }));
}, 300_000);
afterAll(async () => h?.stop());

async function stoppedThenResumed(): Promise<StepRow[]> {
  const steps: StepRow[] = [];
  const stopped = await h.cycle();
  steps.push(...stopped.steps);
  expect(stopped.cycle?.status).toBe('Failed');
  calls.disarm();
  for (let i = 0; i < 5; i++) {
    h.advance(61_000);
    const report = await h.cycle();
    steps.push(...report.steps);
    if (report.cycle?.status === 'Completed') return steps;
  }
  throw new Error('never completed');
}

describe('1,500 opportunities and 3,000 roles in one second', () => {
  it('each pull, stopped in the middle of a write, resumes with nothing lost or written twice', async () => {
    // The opportunity pull's third write (of five) is carried out, its answer lost; then the role
    // pull's fourth write (of ten) in the following cycle.
    stopAt(/\/rest\/v1\/opportunities\.json$/, 3, '/rest/v1/opportunities.json');
    const first = await stoppedThenResumed();
    expect(first.find((s) => s.operation === 'Pull Updates' && s.objectType === 'Opportunity')?.status).toBe(
      'Failed',
    );
    const opps = h.emu.control.mkCrmRecords({ kind: 'opportunity' });
    expect(opps).toHaveLength(N);
    expect(new Set(opps.map((o) => o.externalOpportunityId)).size).toBe(N);
    // The log agrees with Marketo, record by record.
    const states = await loadStates(h.db, opportunities);
    const guidOf = new Map(opps.map((o) => [o.externalOpportunityId, o.key]));
    expect(opportunities.filter((id) => states.get(id)?.hashes['@guid'] !== guidOf.get(id))).toEqual([]);
    const rolesIn = h.emu.control.mkCrmRecords({ kind: 'opportunityRole' });
    expect(rolesIn).toHaveLength(2 * N);
    const roleStates = await loadStates(h.db, roles);
    expect(roles.filter((id) => !roleStates.get(id)?.hashes['@guid'])).toEqual([]);
  }, 300_000);

  it('a change to every role after a stopped role write ends with each role once, on its person', async () => {
    for (const id of roles.filter((_, i) => i % 2 === 1))
      h.emu.control.sfUpdate({ id, fields: { Role: 'Influencer' } });
    h.advance(61_000);
    stopAt(/\/rest\/v1\/opportunities\/roles\.json$/, 2, '/rest/v1/opportunities/roles.json');
    const steps = await stoppedThenResumed();
    expect(
      steps.find((s) => s.operation === 'Pull Updates' && s.objectType === 'Opportunity Contact Role')
        ?.status,
    ).toBe('Failed');
    const rolesIn = h.emu.control.mkCrmRecords({ kind: 'opportunityRole' });
    expect(rolesIn).toHaveLength(2 * N);
    expect(rolesIn.filter((r) => r.role === 'Influencer')).toHaveLength(N);
    expect(rolesIn.filter((r) => r.role === 'Evaluator')).toHaveLength(0);
  }, 300_000);
});
