// The cycle's metric row (issue 18, docs/dashboard.md) from real cycles against the emulator: what
// each cycle synced per object and direction, per-field change counts, API calls, and the backlog
// — counted at the start of the hour's first cycle on both sides (Salesforce COUNT() of the rows
// the pulls owe, Marketo's feed after the push position), before the steps spend the budget.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordOf } from '../../lib/db/metricKeys';
import { BACKLOG_FETCHED_KEY, readDashboardMetrics } from '../../lib/db/metrics';
import type { CycleMetricsRecord } from '../../lib/db/types';
import { type SyncHarness, startSyncHarness } from './sync-harness';

let h: SyncHarness;
const HOUR = 3_600_000;
beforeAll(async () => {
  h = await startSyncHarness({ seed: 'empty' }, (settings) => {
    settings.objects.Contact!.enabled = false;
    settings.objects.Account!.enabled = false;
    settings.changeThresholds = [];
  });
});
afterAll(async () => h.stop());

type Row = Record<string, unknown>;
const leads: string[] = [];
/** The newest cycle's metrics, as the dashboard reads them (rows decoded with the key dictionary). */
const lastMetric = async (): Promise<CycleMetricsRecord> =>
  recordOf((await readDashboardMetrics(h.db, 0)).rows.at(-1)!);
const personOf = (sfId: string) =>
  (h.emu.marketo.snapshot().leads as Row[]).find((p) => p.sfdcLeadIdCustom === sfId)!;

describe('metric rows of real cycles', () => {
  it('counts a first sync: the whole org owed at the start, every lead synced', async () => {
    for (let i = 0; i < 40; i++)
      leads.push(
        h.emu.control.sfCreate({
          object: 'Lead',
          fields: { LastName: `M${i}`, Company: 'Acme', Email: `m${i}@example.com` },
        }).id,
      );
    const report = await h.cycle();
    const metric = await lastMetric();
    expect(metric).toMatchObject({
      cycleId: report.cycle!.id,
      at: report.cycle!.startedAt,
      synced: { 'Person|toMarketo': 40 },
      handled: { 'Person|toMarketo': 40 },
      backlog: { 'Person|toMarketo': 40 },
    });
    // The feed has no position before the first push: nothing counted on Marketo's side yet.
    expect(metric.backlog).not.toHaveProperty('Person|toSalesforce');
    expect(metric.api.salesforce).toBe(report.cycle!.apiCalls.salesforce);
    expect(metric.api.marketo).toBe(report.cycle!.apiCalls.marketo);
    expect(metric.api.salesforceOrgMax).toBeGreaterThan(0);
    expect((await h.db.cursors.get(BACKLOG_FETCHED_KEY))?.value).toBe(
      new Date(report.cycle!.startedAt).toISOString(),
    );
  });

  it('does not fetch again within the hour: an idle cycle writes its row without a backlog', async () => {
    h.advance(5 * 60_000);
    await h.cycle();
    const metric = await lastMetric();
    expect(metric.backlog).toBeUndefined();
    expect(metric.synced).toEqual({});
  });

  it('counts a backlog beyond one cycle budget on the hour, and per field what the updates changed', async () => {
    for (const id of leads.slice(0, 30)) h.emu.control.sfUpdate({ id, fields: { Title: 'Buyer' } });
    for (const id of leads.slice(0, 12))
      h.emu.control.mkUpdateLead({ id: personOf(id).id as number, fields: { leadScore: 70 } });
    h.advance(HOUR);
    const report = await h.cycle();
    const metric = await lastMetric();
    expect(metric.backlog).toEqual({
      'Person|toMarketo': 30,
      'Person|toSalesforce': 12,
      'Task|toSalesforce': 0,
    });
    expect(metric.backlogCapped).toBeUndefined();
    expect(metric.synced).toMatchObject({ 'Person|toMarketo': 30, 'Person|toSalesforce': 12 });
    expect(metric.updated).toMatchObject({ 'Person|toMarketo': 30, 'Person|toSalesforce': 12 });
    expect(metric.fields).toMatchObject({
      'Person|toMarketo|Title': 30,
      'Person|toSalesforce|mkto71_Lead_Score__c': 12,
    });
    expect(report.cycle!.status).toBe('Completed');
  });

  it('fetches before the steps, so a cycle whose budget the steps then spend still measures', async () => {
    for (const id of leads) h.emu.control.sfUpdate({ id, fields: { Title: 'Lead engineer' } });
    h.advance(HOUR);
    const report = await h.cycle({ budget: { maxApiCalls: 4 } });
    expect(report.cycle!.status).toBe('Not Completed');
    expect((await lastMetric()).backlog).toMatchObject({ 'Person|toMarketo': 40 });
  });

  it('reads at most 10 feed pages and says the counts are lower bounds past them', async () => {
    // 3,200 changes of 40 persons: more than 10 pages of 300.
    const persons = leads.map((id) => personOf(id).id as number);
    for (let round = 0; round < 80; round++)
      for (const id of persons) h.emu.control.mkUpdateLead({ id, fields: { leadScore: round } });
    h.advance(HOUR);
    await h.cycle({ budget: { maxApiCalls: 12 } });
    const metric = await lastMetric();
    expect(metric.backlog).toMatchObject({ 'Person|toSalesforce': 40 });
    expect(metric.backlogCapped).toEqual(['Person|toSalesforce', 'Task|toSalesforce']);
  });

  it('leaves the fetch due when the budget allows no call at the start', async () => {
    h.advance(HOUR);
    const before = (await h.db.cursors.get(BACKLOG_FETCHED_KEY))?.value;
    await h.cycle({ budget: { maxApiCalls: 0 } });
    expect((await lastMetric()).backlog).toBeUndefined();
    expect((await h.db.cursors.get(BACKLOG_FETCHED_KEY))?.value).toBe(before);
  });

  it("counts Salesforce's side while Marketo's daily budget is spent and the pulls wait", async () => {
    h.advance(HOUR);
    const budget = h.settings.apiBudget.marketoDailyCalls;
    h.settings.apiBudget.marketoDailyCalls = 0;
    // The 40 leads of the last test still wait; 7 new ones join them.
    for (let i = 0; i < 7; i++)
      h.emu.control.sfCreate({
        object: 'Lead',
        fields: { LastName: `W${i}`, Company: 'Acme', Email: `w${i}@example.com` },
      });
    try {
      const report = await h.cycle();
      expect(report.cycle!.status).toBe('Not Completed');
      const metric = await lastMetric();
      expect(metric.backlog).toEqual({ 'Person|toMarketo': 7 + 40 });
      expect(metric.backlogError).toMatch(/^Marketo not counted: Today's Marketo API budget is spent/);
    } finally {
      h.settings.apiBudget.marketoDailyCalls = budget;
    }
  });

  it('names a side it could not count and keeps the other', async () => {
    h.advance(HOUR);
    h.emu.control.injectFault({
      side: 'marketo',
      kind: 'error',
      route: '/rest/v1/activities.json',
      errorCode: '611',
      message: 'System error',
    });
    await h.cycle();
    h.emu.control.clearFaults();
    const metric = await lastMetric();
    expect(metric.backlog).toEqual({ 'Person|toMarketo': expect.any(Number) });
    expect(metric.backlogError).toMatch(/^Marketo not counted: .*611/);
  });
});
