// Two writes in flight (docs/objects.md "Two writes in flight", batches.ts): in a pull's read, the
// opportunity and role writers send a batch to Marketo while the one before is still waiting for
// its answer — never more than two — and everything after the answers happens in batch order.
// 2,700 roles created in one second on 300 contacts (nine role batches), every Marketo write slowed
// down so that the batches overlap: each role once in Marketo on its contact's person, every
// contact's panel lists exactly its roles; a batch Marketo refuses while the next one is in flight
// stops the read there — nothing after it committed — and the next cycle writes the rest once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStates } from '../../lib/db/syncState';
import { contactRolesView } from '../../lib/records/contactRoles';
import { hashText } from '../../lib/sync/hash';
import { CallFault } from '../support/callFault';
import { createDealsInOneSecond, type Deals, withDeals } from '../support/dealsInOneSecond';
import { type SyncHarness, startSyncHarness } from './sync-harness';

const ROLES = '/rest/v1/opportunities/roles.json';
const OPPORTUNITIES = '/rest/v1/opportunities.json';
let h: SyncHarness;
let deals: Deals;
const calls = new CallFault(() => h.emu);

beforeAll(async () => {
  h = await startSyncHarness({ seed: 'empty' }, withDeals, calls.beforeFetch);
  deals = createDealsInOneSecond(h.emu.control, {
    accounts: 100,
    contactsPerAccount: 3,
    opportunities: 900,
    closeDate: '2026-12-31',
    roleOf: (n) => `R${n}`,
  });
  for (const route of [ROLES, OPPORTUNITIES])
    h.emu.control.injectFault({ side: 'marketo', kind: 'latency', route, method: 'POST', latencyMs: 150 });
}, 300_000);
afterAll(async () => h?.stop());

const personOf = () =>
  new Map(
    (h.emu.marketo.snapshot().leads as Record<string, unknown>[]).map((p) => [p.sfdcContactIdCustom, p.id]),
  );

/** What is wrong with Marketo's roles and the panel's lists (empty: nothing). */
async function wrongRoles(roleOf: (id: string) => string): Promise<string[]> {
  const wrong: string[] = [];
  const inMarketo = h.emu.control.mkCrmRecords({ kind: 'opportunityRole' });
  if (inMarketo.length !== deals.roles.length)
    wrong.push(`${inMarketo.length} roles in Marketo, not ${deals.roles.length}`);
  const persons = personOf();
  const sfRoles = new Map(h.emu.control.snapshot().salesforce.OpportunityContactRole!.map((r) => [r.Id, r]));
  const key = (opportunity: unknown, lead: unknown, role: unknown) => `${opportunity}|${lead}|${role}`;
  const keys = new Set(inMarketo.map((r) => key(r.externalOpportunityId, r.leadId, r.role)));
  for (const id of deals.roles) {
    const row = sfRoles.get(id)!;
    if (!keys.has(key(row.OpportunityId, persons.get(row.ContactId), roleOf(id))))
      wrong.push(`${id}: not in Marketo as ${roleOf(id)} on its contact's person`);
  }
  for (const [contact, roles] of deals.rolesOf) {
    const shown = (await contactRolesView(h.db, contact)).map((r) => r.roleId).sort();
    if (JSON.stringify(shown) !== JSON.stringify([...roles].sort()))
      wrong.push(`${contact} lists ${shown.length} of its ${roles.length} roles`);
  }
  return wrong;
}

describe('two writes in flight', () => {
  it('writes the next batch while Marketo answers the one before, never three, every role once', async () => {
    const report = await h.cycle();
    expect(report.cycle?.status, report.cycle?.error ?? '').toBe('Completed');
    expect(h.peakInFlight.get(`POST ${ROLES}`)).toBe(2);
    expect(h.peakInFlight.get(`POST ${OPPORTUNITIES}`)).toBe(2);
    expect(await wrongRoles((id) => h.emu.control.sfGet({ id })!.Role as string)).toEqual([]);
  }, 120_000);

  it('a batch refused while the next is in flight: nothing after it committed, the next cycle writes the rest once', async () => {
    for (const id of deals.roles) h.emu.control.sfUpdate({ id, fields: { Role: 'Influencer' } });
    h.advance(61_000);
    calls.arm(/\/rest\/v1\/opportunities\/roles\.json$/, 4, {
      side: 'marketo',
      kind: 'error',
      route: ROLES,
      method: 'POST',
      errorCode: '1003',
      message: 'Invalid value for field role',
      latencyMs: 300,
      times: 1,
    });
    const roleWrites = () => h.mkCounter.snapshot()[`marketo POST ${ROLES}`] ?? 0;
    const before = roleWrites();
    const failed = await h.cycle();
    // Sent: the three answered, the refused fourth, and the fifth that was in flight — no more.
    expect(roleWrites() - before).toBe(5);
    const pull = failed.steps.find(
      (s) => s.operation === 'Pull Updates' && s.objectType === 'Opportunity Contact Role',
    )!;
    expect(pull.status).toBe('Failed');
    expect(pull.error).toContain('1003');
    // The third batch's answer came while the fourth waited for its own (slower) answer: batches
    // one to three committed, the fourth refused, the fifth — sent before the refusal was known —
    // not committed.
    expect(pull.updated).toBe(900);
    const states = await loadStates(h.db, deals.roles);
    const influencer = hashText('Influencer');
    expect(deals.roles.filter((id) => states.get(id)?.hashes.Role === influencer)).toHaveLength(900);
    calls.disarm();
    h.advance(61_000);
    const next = await h.cycle();
    expect(next.cycle?.status, next.cycle?.error ?? '').toBe('Completed');
    expect(await wrongRoles(() => 'Influencer')).toEqual([]);
  }, 120_000);
});
