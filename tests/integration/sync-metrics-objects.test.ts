// The hourly backlog count (docs/dashboard.md) with the objects of issue 19 (docs/objects.md):
// opportunities, roles, users, account types and a custom object make eight probe targets, more
// than the five queries a composite call takes. Engine against the emulator over real HTTP: a first
// sync counts every live row (queries), and the hour's count afterwards stays one call, the
// targets past the fifth counted from the replication feeds (roles' deletions from deleted/ too).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordOf } from '../../lib/db/metricKeys';
import { readDashboardMetrics } from '../../lib/db/metrics';
import { type SyncHarness, startSyncHarness } from './sync-harness';

let h: SyncHarness;
const HOUR = 3_600_000;
/** The composite calls the backlog count made (their subrequests' urls). */
const countCalls: string[][] = [];
beforeAll(async () => {
  h = await startSyncHarness(
    { seed: 'empty' },
    (s) => {
      for (const o of ['Opportunity', 'OpportunityContactRole', 'User'] as const)
        s.objects[o]!.enabled = true;
      s.objects.Subscription__c = {
        enabled: true,
        conflictWinner: 'salesforce',
        fields: [{ salesforceField: 'Status__c', marketoField: 'status', direction: 'pull' }],
      };
      s.customObjects = {
        Subscription__c: { marketoObject: 'subscription_c', linkFields: ['Contact__c', 'Lead__c'] },
      };
      s.changeThresholds = [];
    },
    (url, init) => {
      if (!url.endsWith('/composite') || typeof init?.body !== 'string') return;
      const body = JSON.parse(init.body) as { compositeRequest: { url: string; referenceId: string }[] };
      const subs = body.compositeRequest.filter((r) => r.referenceId.startsWith('backlog'));
      if (subs.length > 0) countCalls.push(subs.map((r) => decodeURIComponent(r.url.replaceAll('+', ' '))));
    },
  );
});
afterAll(async () => h.stop());

const create = (object: string, fields: Record<string, unknown>) =>
  h.emu.control.sfCreate({ object, fields }).id;
/** The Salesforce → Marketo counts of the newest cycle's metric row. */
async function salesforceBacklog(): Promise<Record<string, number>> {
  const metric = recordOf((await readDashboardMetrics(h.db, 0)).rows.at(-1)!);
  expect(metric.backlogError).toBeUndefined();
  return Object.fromEntries(Object.entries(metric.backlog ?? {}).filter(([k]) => k.endsWith('|toMarketo')));
}

/**
 * The scheduled cycles after one that synced (5 minutes apart): the feeds answer per minute, so the
 * pull re-reads its last rows once (a position taken in the second it read, cursors.ts
 * settledPosition, needs a second pass) and then moves its position up to its read, after which a
 * feed counts only what is new.
 */
async function scheduledCycles() {
  for (let i = 0; i < 2; i++) {
    h.advance(5 * 60_000);
    await h.cycle({ trigger: 'schedule' });
  }
}

const ids: Record<string, string> = {};
describe('the backlog count with opportunities, roles, users, account types and custom objects', () => {
  it('counts every live row of each object on the first sync', async () => {
    ids.account = create('Account', { Name: 'Acme', Type: 'Customer - Direct' });
    const contacts = [1, 2].map((n) =>
      create('Contact', { LastName: `C${n}`, Email: `c${n}@acme.example`, AccountId: ids.account }),
    );
    ids.contact = contacts[0]!;
    ids.opportunity = create('Opportunity', {
      Name: 'Acme expansion',
      AccountId: ids.account,
      StageName: 'Prospecting',
      CloseDate: '2026-06-30',
    });
    ids.role = create('OpportunityContactRole', {
      OpportunityId: ids.opportunity,
      ContactId: contacts[0],
      Role: 'Decision Maker',
    });
    create('OpportunityContactRole', {
      OpportunityId: ids.opportunity,
      ContactId: contacts[1],
      Role: 'Evaluator',
    });
    create('Subscription__c', { Name: 'S1', Contact__c: contacts[0], Status__c: 'Active' });
    const users = (h.emu.control.snapshot().salesforce.User ?? []).filter((u) => !u.IsDeleted).length;
    expect(users).toBeGreaterThan(0);
    const report = await h.cycle();
    expect(report.cycle?.status, report.cycle?.error).toBe('Completed');
    expect(await salesforceBacklog()).toEqual({
      'Person|toMarketo': 0,
      'Contact|toMarketo': 2,
      'Account|toMarketo': 1,
      'Opportunity|toMarketo': 1,
      'Opportunity Contact Role|toMarketo': 2,
      'User|toMarketo': users,
      'Account Type|toMarketo': 1,
      'Custom Objects|toMarketo': 1,
    });
    // Never pulled: eight COUNT() queries, five per call.
    expect(countCalls.map((c) => c.length)).toEqual([5, 3]);
  });

  it("counts the hour's changes in one call, the targets past the fifth query from the feeds", async () => {
    await scheduledCycles();
    h.advance(HOUR);
    h.emu.control.sfUpdate({ id: ids.opportunity!, fields: { StageName: 'Closed Won' } });
    h.emu.control.sfUpdate({ id: ids.account!, fields: { Type: 'Customer - Channel' } });
    const user = (h.emu.control.snapshot().salesforce.User ?? []).find((u) => !u.IsDeleted)!;
    h.emu.control.sfUpdate({ id: String(user.Id), fields: { Title: 'Head of sales' } });
    h.emu.control.sfDelete({ id: ids.role! });
    create('Subscription__c', { Name: 'S2', Contact__c: ids.contact, Status__c: 'Trial' });
    create('Subscription__c', { Name: 'S3', Contact__c: ids.contact, Status__c: 'Trial' });
    h.advance(3 * 60_000);
    countCalls.length = 0;
    const report = await h.cycle();
    expect(report.cycle?.status, report.cycle?.error).toBe('Completed');
    expect(await salesforceBacklog()).toEqual({
      'Person|toMarketo': 0,
      'Contact|toMarketo': 0,
      'Account|toMarketo': 1,
      'Opportunity|toMarketo': 1,
      'Opportunity Contact Role|toMarketo': 1,
      'User|toMarketo': 1,
      'Account Type|toMarketo': 1,
      'Custom Objects|toMarketo': 2,
    });
    expect(countCalls).toHaveLength(1);
    const [call] = countCalls;
    expect(call!.filter((u) => u.includes('SELECT COUNT()'))).toHaveLength(5);
    expect(call!.filter((u) => /\/sobjects\/(User|Account|Subscription__c)\/updated\//.test(u))).toHaveLength(
      3,
    );
    expect(call!.some((u) => u.includes('/sobjects/OpportunityContactRole/deleted/'))).toBe(true);
  });

  it('names a target Salesforce refuses (its object removed in Setup) and keeps the others', async () => {
    await scheduledCycles();
    h.advance(HOUR);
    h.emu.control.sfUpdate({ id: ids.opportunity!, fields: { StageName: 'Closed Lost' } });
    h.emu.control.sfRemoveObject({ object: 'Subscription__c' });
    await h.cycle();
    const metric = recordOf((await readDashboardMetrics(h.db, 0)).rows.at(-1)!);
    expect(metric.backlog).toMatchObject({ 'Opportunity|toMarketo': 1, 'User|toMarketo': 0 });
    expect(metric.backlog).not.toHaveProperty('Custom Objects|toMarketo');
    expect(metric.backlogError).toMatch(/^Salesforce Subscription__c not counted: /);
  });
});
