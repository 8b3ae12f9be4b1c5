// The admin's daily API budgets (options "API budget", lib/sync/dailyUsage.ts): a cycle stops as
// Not Completed with the reason when today's budget is spent, the count survives a new engine (a
// restarted worker), and the next day's cycles go on from the checkpoint with nothing lost.
import { afterEach, describe, expect, it } from 'vitest';
import { personsPerLead } from '../support/personsPerRecord';
import { type SyncHarness, startSyncHarness, stepOf } from './sync-harness';

let h: SyncHarness;
afterEach(async () => h?.stop());

const persons = () => h.emu.marketo.snapshot().leads as Record<string, unknown>[];
const leads = (n: number, prefix: string) =>
  Array.from(
    { length: n },
    (_, i) =>
      h.emu.control.sfCreate({
        object: 'Lead',
        fields: { Company: 'Acme', LastName: `${prefix}${i}`, Email: `${prefix}${i}@example.com` },
      }).id,
  );
const synced = (ids: string[]) => {
  const linked = personsPerLead(persons());
  return ids.filter((id) => linked.has(id));
};

describe('daily API budgets', () => {
  it("Marketo: stops at the admin's calls per day, counts across a restart, resumes the next day", {
    timeout: 120_000,
  }, async () => {
    h = await startSyncHarness({ seed: 'empty' }, (s) => {
      s.apiBudget.marketoDailyCalls = 4;
    });
    const ids = leads(700, 'Mk');
    const first = await h.cycle();
    expect(first.cycle?.status).toBe('Not Completed');
    expect(first.cycle?.error).toMatch(/^Today's Marketo API budget is spent \(4 of 4 calls/);
    expect(h.mkCounter.total('marketo')).toBe(4);
    const partial = synced(ids).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(ids.length);

    // A restarted worker (a new engine over the same log) still knows today's count.
    h.engine = h.newEngine('restarted-worker');
    h.advance(60_000);
    const again = await h.cycle();
    expect(again.cycle?.status).toBe('Not Completed');
    expect(again.cycle?.error).toMatch(/Today's Marketo API budget is spent/);
    expect(h.mkCounter.total('marketo')).toBe(4);

    // The next US Central day: the budget is new; the sync goes on until every lead is in Marketo.
    h.advance(24 * 3_600_000);
    for (let i = 0; i < 10 && synced(ids).length < ids.length; i++) {
      const next = await h.cycle();
      expect(next.cycle?.error ?? '').not.toMatch(/Salesforce/);
      h.advance(24 * 3_600_000);
    }
    expect(synced(ids)).toHaveLength(ids.length);
    const personsOf = personsPerLead(persons());
    for (const id of ids) expect(personsOf.get(id)).toHaveLength(1);
  });

  it("Salesforce: stops at the admin's share of the org's allowance with the reason; 24 hours later it continues", {
    timeout: 120_000,
  }, async () => {
    // The emulated org allows 15,000 requests a day: 0.02 % of it is 3 calls.
    h = await startSyncHarness({ seed: 'empty' }, (s) => {
      s.apiBudget.salesforceDailyShare = 0.0002;
    });
    const ids = leads(2500, 'Sf');
    const first = await h.cycle();
    expect(first.cycle?.status).toBe('Not Completed');
    expect(first.cycle?.error).toMatch(/^Today's Salesforce API budget is spent \(3 of 3 calls/);
    expect(h.sfCounter.total('salesforce')).toBeLessThanOrEqual(4);

    h.advance(60 * 60_000);
    const sameDay = await h.cycle();
    expect(sameDay.cycle?.status).toBe('Not Completed');
    const spent = h.sfCounter.total('salesforce');

    h.settings.apiBudget.salesforceDailyShare = 0.5;
    h.advance(24 * 3_600_000);
    const nextDay = await h.cycle();
    expect(nextDay.cycle?.status).toBe('Completed');
    expect(h.sfCounter.total('salesforce')).toBeGreaterThan(spent);
    expect(stepOf(nextDay, 'Pull Updates', 'Person').status).toBe('Completed');
    expect(synced(ids)).toHaveLength(ids.length);
  });
});
