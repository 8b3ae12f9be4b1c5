// Property: after any sequence of edits on both sides, faults and interrupted cycles, once the
// faults stop and a few cycles run, both sides agree on every synced field of every lead, or the
// lead is flagged failed with its reason. Small orgs and few runs keep it under a minute.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type SyncHarness, startSyncHarness } from './sync-harness';

type Action =
  | { kind: 'sf'; lead: number; field: 'Title' | 'Phone'; value: string }
  | { kind: 'mk'; lead: number; field: 'title' | 'phone'; value: string }
  | { kind: 'fault'; side: 'salesforce' | 'marketo' }
  | { kind: 'cycle'; budget?: number };

const LEADS = 4;
const value = fc.constantFrom('A', 'B', 'C', '');
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    kind: fc.constant('sf' as const),
    lead: fc.nat(LEADS - 1),
    field: fc.constantFrom('Title' as const, 'Phone' as const),
    value,
  }),
  fc.record({
    kind: fc.constant('mk' as const),
    lead: fc.nat(LEADS - 1),
    field: fc.constantFrom('title' as const, 'phone' as const),
    value,
  }),
  fc.record({
    kind: fc.constant('fault' as const),
    side: fc.constantFrom('salesforce' as const, 'marketo' as const),
  }),
  fc.record({
    kind: fc.constant('cycle' as const),
    budget: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  }),
);

async function apply(h: SyncHarness, ids: string[], a: Action) {
  const person = (i: number) =>
    (h.emu.marketo.snapshot().leads as Record<string, unknown>[]).find((p) => p.sfdcLeadIdCustom === ids[i]);
  if (a.kind === 'sf') h.emu.control.sfUpdate({ id: ids[a.lead]!, fields: { [a.field]: a.value || null } });
  else if (a.kind === 'mk') {
    const p = person(a.lead);
    if (p) h.emu.control.mkUpdateLead({ id: p.id as number, fields: { [a.field]: a.value || null } });
  } else if (a.kind === 'fault') {
    h.emu.control.injectFault(
      a.side === 'marketo'
        ? { side: 'marketo', kind: 'error', status: 503, route: '/rest/v1/leads.json', times: 3 }
        : {
            side: 'salesforce',
            kind: 'error',
            status: 503,
            route: '/services/data/v62.0/composite/sobjects',
            times: 3,
          },
    );
  } else {
    h.advance();
    await h.cycle({ trigger: 'schedule', ...(a.budget && { budget: { maxApiCalls: a.budget } }) });
  }
}

describe('sync convergence (property)', () => {
  it('both sides agree, or the record is flagged failed with a reason', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 3, maxLength: 12 }), async (actions) => {
        const h = await startSyncHarness({ seed: 'empty' });
        try {
          const ids = Array.from(
            { length: LEADS },
            (_, i) =>
              h.emu.control.sfCreate({ object: 'Lead', fields: { LastName: `P${i}`, Company: 'Acme' } }).id,
          );
          await h.cycle({ trigger: 'schedule' });
          for (const a of actions) await apply(h, ids, a);
          h.emu.control.clearFaults();
          for (let i = 0; i < 4; i++) {
            h.advance(30 * 60_000); // past every retry backoff
            await h.cycle({ trigger: 'schedule' });
          }
          const persons = h.emu.marketo.snapshot().leads as Record<string, unknown>[];
          for (const id of ids) {
            const sf = h.emu.control.sfGet({ id })!;
            const mk = persons.find((p) => p.sfdcLeadIdCustom === id);
            const flags = await h.db.records.get(id);
            if (flags?.state === 'failed') {
              expect(flags.lastError?.code).toBeTruthy();
              continue;
            }
            expect(mk, `person of ${id}`).toBeDefined();
            expect(mk!.title ?? null, `title of ${id}`).toBe(sf.Title ?? null);
            expect(mk!.phone ?? null, `phone of ${id}`).toBe(sf.Phone ?? null);
          }
        } finally {
          await h.stop();
        }
      }),
      { numRuns: 10, seed: 20261123, endOnFailure: true },
    );
  }, 120_000);
});
