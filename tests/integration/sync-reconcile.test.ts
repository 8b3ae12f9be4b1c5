// Reconcile against the emulator: values changed behind the sync's back (no SystemModstamp bump, no
// Change Data Value activity) on each side are found, counted drifted and repaired by the next
// cycle, after which both sides agree field by field; a record owing a failed write is not
// drifted; an idle Reconcile costs exactly the calls its data needs; its schedule and API share.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRecordStatus } from '../../lib/db/recordStatus';
import { DAILY_USAGE_KEY } from '../../lib/sync/dailyUsage';
import { reconcileKeys } from '../../lib/sync/reconcileSchedule';
import { type SyncHarness, startSyncHarness, stepOf } from './sync-harness';

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness({ seed: 'empty' });
});
afterAll(async () => h.stop());

type Row = Record<string, unknown>;
const persons = () => h.emu.marketo.snapshot().leads as Row[];
const personOf = (sfId: string) =>
  persons().find((p) => p.sfdcLeadIdCustom === sfId || p.sfdcContactIdCustom === sfId);
const sf = (id: string) => h.emu.control.sfGet({ id })!;
const lead = (fields: Row) =>
  h.emu.control.sfCreate({ object: 'Lead', fields: { Company: 'Acme', LastName: 'Doe', ...fields } }).id;
async function next(request = {}) {
  h.advance();
  return h.cycle(request);
}
const text = (v: unknown) => (v === null || v === undefined || v === '' ? null : String(v));

/** Every mapped field of every linked lead and contact where the two sides differ. */
function disagreements(): string[] {
  const out: string[] = [];
  for (const sobject of ['Lead', 'Contact'] as const) {
    const fields = h.settings.objects[sobject]!.fields.filter((f) => f.direction !== 'none');
    const rows = (h.emu.control.snapshot().salesforce[sobject] ?? []).filter(
      (r) => !r.IsDeleted && !r.IsConverted && !r.Do_Not_Sync_to_Marketo__c,
    );
    for (const row of rows) {
      const person = personOf(String(row.Id));
      if (!person) {
        out.push(`${sobject} ${row.Id}: no person`);
        continue;
      }
      for (const f of fields) {
        if (text(row[f.salesforceField]) !== text(person[f.marketoField]))
          out.push(`${row.Id}.${f.salesforceField}: ${row[f.salesforceField]} ≠ ${person[f.marketoField]}`);
      }
      // A contact's person also carries its account's fields (Account → Marketo).
      const account = sobject === 'Contact' && row.AccountId ? sf(String(row.AccountId)) : undefined;
      for (const f of account
        ? h.settings.objects.Account!.fields.filter((m) => m.direction === 'pull')
        : []) {
        if (text(account![f.salesforceField]) !== text(person[f.marketoField]))
          out.push(
            `${row.Id}.Account.${f.salesforceField}: ${account![f.salesforceField]} ≠ ${person[f.marketoField]}`,
          );
      }
    }
  }
  return out;
}

describe('Reconcile', () => {
  const ids: string[] = [];
  let contact: string;

  it('syncs a few records, then ordinary cycles leave Reconcile out until it is due', async () => {
    for (let i = 0; i < 6; i++)
      ids.push(
        lead({ FirstName: `P${i}`, Email: `p${i}@example.com`, Title: 'Engineer', Phone: '+1 555 0100' }),
      );
    const account = h.emu.control.sfCreate({
      object: 'Account',
      fields: { Name: 'Globex', Industry: 'Energy' },
    }).id;
    contact = h.emu.control.sfCreate({
      object: 'Contact',
      fields: { LastName: 'Roe', FirstName: 'Cy', AccountId: account, MailingCity: 'Springfield' },
    }).id;
    const first = await h.cycle();
    expect(first.cycle?.status, h.logs.join('\n')).toBe('Completed');
    expect(first.steps.some((s) => s.operation === 'Reconcile')).toBe(false);
    await next();
    expect(disagreements()).toEqual([]);
  });

  it('finds values changed behind the sync on each side, counts them drifted, and the next cycle repairs them', async () => {
    const [a, b, c] = ids as [string, string, string];
    // Salesforce side, no SystemModstamp bump: a both-ways field (Salesforce wins) → pulled.
    h.emu.control.sfUpdateWithoutStamp({ id: a, fields: { Title: 'Changed in Salesforce' } });
    // Marketo side, no activity: a both-ways field → repaired from the winner, Salesforce.
    h.emu.control.mkUpdateLeadWithoutActivity({
      id: personOf(b)!.id as number,
      fields: { phone: '+1 555 0199' },
    });
    // Marketo side, a push-only field (the score lives in Marketo) → pushed to Salesforce.
    h.emu.control.mkUpdateLeadWithoutActivity({ id: personOf(c)!.id as number, fields: { leadScore: 87 } });
    // A contact's account field on its person (Account → Marketo only).
    h.emu.control.mkUpdateLeadWithoutActivity({
      id: personOf(contact)!.id as number,
      fields: { industry: 'Retail' },
    });

    // An ordinary cycle cannot see any of it.
    const blind = await next();
    for (const s of blind.steps) expect(s.updated, `${s.operation} ${s.objectType}`).toBe(0);
    expect(disagreements().length).toBe(4);

    const checked = await next({ reconcile: true });
    expect(checked.cycle?.status, h.logs.join('\n')).toBe('Completed');
    // One step for persons: the 6 leads and the contact, read from Marketo in one call.
    const step = stepOf(checked, 'Reconcile', 'Person');
    expect(step).toMatchObject({ skipped: ids.length - 3, drifted: 4, failed: 0, updated: 0 });
    expect(checked.cycle?.totals.drifted).toBe(4);
    expect((await getRecordStatus(h.db, contact)).events[0]).toMatchObject({
      outcome: 'drifted',
      changes: [{ field: 'Account.Industry', old: 'Retail', new: 'Energy' }],
    });
    const status = await getRecordStatus(h.db, a);
    expect(status.events[0]).toMatchObject({ operation: 'Reconcile', outcome: 'drifted' });
    expect(status.events[0]?.changes).toEqual([
      { field: 'Title', old: 'Engineer', new: 'Changed in Salesforce' },
    ]);

    const repaired = await next();
    expect(repaired.cycle?.status, h.logs.join('\n')).toBe('Completed');
    expect(stepOf(repaired, 'Pull Updates', 'Person').updated).toBe(2);
    expect(stepOf(repaired, 'Pull Updates', 'Contact').updated).toBe(1);
    expect(stepOf(repaired, 'Push Updates', 'Person').updated).toBe(1);
    expect(personOf(a)!.title).toBe('Changed in Salesforce');
    expect(personOf(b)!.phone).toBe('+1 555 0100');
    expect(sf(c).mkto71_Lead_Score__c).toBe(87);
    expect(personOf(contact)!.industry).toBe('Energy');
    expect(disagreements()).toEqual([]);
    // The Reconcile row that found them counts the repairs: compared, drifted and repaired on one row.
    expect((await h.db.steps.get(step.id))?.repaired).toBe(4);

    // Proof: a second check finds both sides agreeing, and nothing is written again.
    const again = await next({ reconcile: true });
    expect(stepOf(again, 'Reconcile', 'Person')).toMatchObject({ skipped: ids.length + 1, drifted: 0 });
    const quiet = await next();
    for (const s of quiet.steps) expect(s.updated + s.new, `${s.operation} ${s.objectType}`).toBe(0);
  });

  it('a record that changed during the check is compared again the next cycle, not the next day', async () => {
    const c = ids[2]!;
    const person = personOf(c)!.id as number;
    // Behind the sync: the score. And an ordinary edit, which this cycle's Push Updates writes to
    // Salesforce — so the lead changed during the check, and the check cannot call it drifted yet.
    h.emu.control.mkUpdateLeadWithoutActivity({ id: person, fields: { leadScore: 42 } });
    h.emu.control.mkUpdateLead({ id: person, fields: { title: 'Edited in Marketo' } });
    const checked = await next({ reconcile: true });
    expect(stepOf(checked, 'Push Updates', 'Person').updated).toBe(1);
    expect(stepOf(checked, 'Reconcile', 'Person').drifted).toBe(0);
    expect(sf(c).mkto71_Lead_Score__c).toBe(87);
    expect(JSON.parse((await h.db.cursors.get(reconcileKeys.recheck('Lead')))!.value)).toEqual([c]);

    // The next cycles compare it again by id (no full check is due for a day), find the score,
    // and repair it.
    const again = await next();
    expect(stepOf(again, 'Reconcile', 'Person')).toMatchObject({ drifted: 1 });
    const repaired = await next();
    expect(stepOf(repaired, 'Push Updates', 'Person').updated).toBe(1);
    expect(sf(c).mkto71_Lead_Score__c).toBe(42);
    expect(disagreements()).toEqual([]);
    expect(await h.db.cursors.get(reconcileKeys.recheck('Lead'))).toBeUndefined();
    // Nothing waits any more: no Reconcile step, nothing written.
    const quiet = await next();
    expect(quiet.steps.some((s) => s.operation === 'Reconcile')).toBe(false);
    for (const s of quiet.steps) expect(s.updated + s.new, `${s.operation} ${s.objectType}`).toBe(0);
  });

  it('finds a person deleted in Marketo and the next cycle writes it anew from Salesforce', async () => {
    const gone = ids[3]!;
    expect(h.emu.control.mkDeleteLead({ id: personOf(gone)!.id as number }).deleted).toBe(true);
    const checked = await next({ reconcile: true });
    expect(stepOf(checked, 'Reconcile', 'Person')).toMatchObject({ drifted: 1, skipped: ids.length });
    expect((await getRecordStatus(h.db, gone)).events[0]).toMatchObject({
      operation: 'Reconcile',
      outcome: 'drifted',
    });
    const repaired = await next();
    expect(stepOf(repaired, 'Pull Updates', 'Person').new).toBe(1);
    expect(personOf(gone)).toMatchObject({ firstName: 'P3', email: 'p3@example.com', title: 'Engineer' });
    expect(disagreements()).toEqual([]);
  });

  it('does not count a record drifted while it owes a failed write', async () => {
    const id = lead({ FirstName: 'Val', State: 'CA' });
    await next();
    // The validation rule refuses "CA": the push fails and stays owed.
    h.emu.control.mkUpdateLead({ id: personOf(id)!.id as number, fields: { title: 'VP Sales' } });
    const failed = await next();
    expect(stepOf(failed, 'Push Updates', 'Person').failed).toBe(1);
    const checked = await next({ reconcile: true });
    expect(stepOf(checked, 'Reconcile', 'Person')).toMatchObject({ drifted: 0, skipped: ids.length + 2 });
    expect((await h.db.records.get(id))?.state).toBe('failed');
  });
});

describe('Reconcile cost, schedule and API share', () => {
  const N = 2_100;
  let g: SyncHarness;
  beforeAll(async () => {
    g = await startSyncHarness({ seed: 'empty' }, (s) => {
      s.objects.Contact!.enabled = false;
      s.objects.Account!.enabled = false;
    });
    // Imported at once, as a data import does: many rows share one SystemModstamp second.
    for (let i = 0; i < N; i++)
      g.emu.control.sfCreate({
        object: 'Lead',
        fields: { Company: 'Acme', LastName: `L${i}`, Email: `l${i}@example.com` },
      });
    const first = await g.cycle();
    expect(first.cycle?.status, g.logs.join('\n')).toBe('Completed');
    g.advance();
    await g.cycle();
  }, 120_000);
  afterAll(async () => g.stop());

  const spent = () => ({ salesforce: g.sfCounter.total(), marketo: g.mkCounter.total() });
  async function measured(request = {}) {
    g.advance();
    g.sfCounter.reset();
    g.mkCounter.reset();
    const report = await g.cycle(request);
    return { report, calls: spent() };
  }

  it('an idle check of 2,100 leads costs ceil(2,100 / 2,000) + ceil(2,100 / 300) calls, no more', async () => {
    const checked = await measured({ reconcile: true });
    expect(checked.report.cycle?.status, g.logs.join('\n')).toBe('Completed');
    expect(stepOf(checked.report, 'Reconcile', 'Person')).toMatchObject({ skipped: N, drifted: 0 });
    // The same idle cycle without Reconcile: the difference is what Reconcile spent.
    const idle = await measured();
    expect(idle.report.steps.some((s) => s.operation === 'Reconcile')).toBe(false);
    expect(checked.calls.salesforce - idle.calls.salesforce).toBe(Math.ceil(N / 2000));
    expect(checked.calls.marketo - idle.calls.marketo).toBe(Math.ceil(N / 300));
  });

  it('runs by itself once its interval has passed, then not again until the next one', async () => {
    g.settings.reconcile.intervalHours = 1;
    g.advance(60 * 60_000);
    const due = await g.cycle();
    expect(stepOf(due, 'Reconcile', 'Person')).toMatchObject({ status: 'Completed', skipped: N });
    const after = await measured();
    expect(after.report.steps.some((s) => s.operation === 'Reconcile')).toBe(false);
    g.settings.reconcile.intervalHours = 24;
  });

  it('a check cut short by the cycle budget is taken up by the next cycle, each record compared once', async () => {
    const idle = await measured();
    const cut = await g.cycle({
      reconcile: true,
      // The idle steps, Reconcile's two Salesforce pages (the second is read ahead), 3 Marketo reads.
      budget: { maxApiCalls: idle.calls.salesforce + idle.calls.marketo + 2 + 3 },
    });
    const first = stepOf(cut, 'Reconcile', 'Person');
    expect(first.status).toBe('Not Completed');
    expect(first.skipped).toBeGreaterThan(0);
    expect(first.skipped).toBeLessThan(N);
    expect(first.skipped % 300).toBe(0);
    g.advance();
    const resumed = await g.cycle(); // not asked for: due because a check is under way
    const rest = stepOf(resumed, 'Reconcile', 'Person');
    expect(rest).toMatchObject({ status: 'Completed', drifted: 0 });
    expect(first.skipped + rest.skipped).toBe(N);
  });

  it('stops at its daily API share and goes on the next day from where it stopped', async () => {
    // A Marketo share of 4 calls a day: 1,200 persons today, the other 900 tomorrow.
    g.settings.apiBudget.marketoDailyCalls = 40;
    g.settings.reconcile.maxApiShare = 0.1;
    // A person changed behind the sync near the end of the Id order: found on the second day.
    const last = (g.emu.control.snapshot().salesforce.Lead ?? [])
      .map((r) => String(r.Id))
      .sort()
      .at(-1)!;
    const person = (g.emu.marketo.snapshot().leads as Row[]).find((p) => p.sfdcLeadIdCustom === last)!;
    g.emu.control.mkUpdateLeadWithoutActivity({
      id: person.id as number,
      fields: { email: 'moved@example.com' },
    });
    // Day boundaries are UTC: start just after midnight so that "tomorrow" is a day later.
    const now = g.clock.now();
    g.emu.control.setTime({ at: Math.ceil(now / 86_400_000) * 86_400_000 + 60_000 });
    // The earlier tests of this file spent calls on the same harness: start the admin's daily
    // budget (lib/sync/dailyUsage.ts) afresh too, so only Reconcile's own share limits this day.
    await g.db.cursors.delete(DAILY_USAGE_KEY);
    const day1 = await g.cycle({ reconcile: true });
    const step1 = stepOf(day1, 'Reconcile', 'Person');
    expect(step1.status).toBe('Not Completed');
    expect(step1.error).toMatch(/Reconcile's share of today's API budget is spent \(4 of 4 Marketo calls\)/);
    expect(step1.skipped + step1.drifted).toBe(1200);
    expect(await g.db.cursors.get(reconcileKeys.progress('Lead'))).toBeDefined();
    // Later the same day: ordinary cycles, no Reconcile.
    g.advance();
    const sameDay = await g.cycle();
    expect(sameDay.steps.some((s) => s.operation === 'Reconcile')).toBe(false);

    g.advance(24 * 60 * 60_000);
    const day2 = await g.cycle();
    const step2 = stepOf(day2, 'Reconcile', 'Person');
    expect(step2).toMatchObject({ status: 'Completed', skipped: 899, drifted: 1 });
    expect(await g.db.cursors.get(reconcileKeys.progress('Lead'))).toBeUndefined();
    const repaired = await (async () => {
      g.advance();
      return g.cycle();
    })();
    expect(stepOf(repaired, 'Pull Updates', 'Person').updated).toBe(1);
    expect((g.emu.marketo.snapshot().leads as Row[]).find((p) => p.id === person.id)!.email).toBe(
      g.emu.control.sfGet({ id: last })!.Email,
    );
  });
});

describe('Reconcile within its cycle', () => {
  let k: SyncHarness;
  /** Run once, just before Reconcile's first Salesforce query goes out. */
  let beforeCheck: (() => void) | undefined;
  beforeAll(async () => {
    k = await startSyncHarness(
      { seed: 'empty' },
      (s) => {
        s.objects.Contact!.enabled = false;
        s.objects.Account!.enabled = false;
      },
      (url) => {
        const query = decodeURIComponent(url.replace(/\+/g, ' '));
        if (beforeCheck && query.includes('IsConverted = false') && query.includes('ORDER BY Id')) {
          const run = beforeCheck;
          beforeCheck = undefined;
          run();
        }
      },
    );
  });
  afterAll(async () => k.stop());
  const personOfLead = (id: string) =>
    (k.emu.marketo.snapshot().leads as Row[]).find((p) => p.sfdcLeadIdCustom === id)!;

  it('a Marketo edit made while the cycle runs is not drift: the feed brings it next cycle, unharmed', async () => {
    const id = k.emu.control.sfCreate({
      object: 'Lead',
      fields: { Company: 'Acme', LastName: 'Busy', Title: 'Engineer' },
    }).id;
    await k.cycle();
    k.advance();
    // After Push Updates read the feed, before Reconcile reads the person: an ordinary edit.
    beforeCheck = () =>
      k.emu.control.mkUpdateLead({
        id: personOfLead(id).id as number,
        fields: { title: 'Edited meanwhile' },
      });
    const checked = await k.cycle({ reconcile: true });
    expect(beforeCheck).toBeUndefined();
    expect(stepOf(checked, 'Reconcile', 'Person')).toMatchObject({ drifted: 0, skipped: 1 });
    k.advance();
    const next = await k.cycle();
    expect(stepOf(next, 'Push Updates', 'Person').updated).toBe(1);
    expect(k.emu.control.sfGet({ id })!.Title).toBe('Edited meanwhile');
    expect(personOfLead(id).title).toBe('Edited meanwhile');
  });

  it('does not compare in a cycle whose Push Updates failed (its feed is unread)', async () => {
    const id = k.emu.control.sfCreate({ object: 'Lead', fields: { Company: 'Acme', LastName: 'Late' } }).id;
    k.advance();
    await k.cycle();
    k.emu.control.mkUpdateLead({ id: personOfLead(id).id as number, fields: { title: 'Not pushed yet' } });
    k.emu.control.injectFault({
      side: 'marketo',
      kind: 'error',
      status: 503,
      route: '/rest/v1/activities.json',
    });
    k.advance();
    const cut = await k.cycle({ reconcile: true });
    k.emu.control.clearFaults();
    expect(stepOf(cut, 'Push Updates', 'Person').status).toBe('Failed');
    const step = stepOf(cut, 'Reconcile', 'Person');
    expect(step).toMatchObject({ status: 'Failed', skipped: 0, drifted: 0 });
    expect(step.error).toMatch(/Not compared: Push Updates Person ended Failed/);
    k.advance();
    await k.cycle();
    expect(k.emu.control.sfGet({ id })!.Title).toBe('Not pushed yet');
    k.advance();
    const checked = await k.cycle({ reconcile: true });
    expect(stepOf(checked, 'Reconcile', 'Person')).toMatchObject({ status: 'Completed', drifted: 0 });
  });
});
