// Change thresholds for noisy number fields (issue 15; lib/sync/thresholds.ts): a change smaller
// than the field's minimum, measured from the value LAST SYNCED, is Skipped with a reason the record
// panel shows, and small changes add up until they reach the minimum — in Push Updates (Marketo →
// Salesforce, the field named by its Marketo name) and Pull Updates (Salesforce → Marketo, named
// by its Salesforce name). Reconcile does not call such a difference drift.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRecordStatus } from '../../lib/db/recordStatus';
import { loadStepRecords } from '../../lib/db/stepRecords';
import { isPanelNotice, type RecordStatusView } from '../../lib/messaging/views';
import { createRecordPanelService } from '../../lib/records/panelService';
import { createPendingChecker } from '../../lib/records/pendingCheck';
import { recordStatusView } from '../../lib/records/statusView';
import { type SyncHarness, startSyncHarness, stepOf } from './sync-harness';

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness({ seed: 'empty' }, (settings) => {
    settings.changeThresholds = [
      { field: 'leadScore', minDelta: 5 },
      { field: 'NumberOfEmployees', minDelta: 10 },
    ];
  });
});
afterAll(async () => h.stop());

type Row = Record<string, unknown>;
const persons = () => h.emu.marketo.snapshot().leads as Row[];
const personOf = (sfId: string) => persons().find((p) => p.sfdcLeadIdCustom === sfId)!;
const sf = (id: string) => h.emu.control.sfGet({ id })!;
const lead = (fields: Row) =>
  h.emu.control.sfCreate({ object: 'Lead', fields: { Company: 'Acme', LastName: 'Doe', ...fields } }).id;
const shown = async (id: string) => recordStatusView('Lead', await getRecordStatus(h.db, id));
async function next(request = {}) {
  h.advance();
  return h.cycle(request);
}
/** What the record panel is answered (lib/records/panelService.ts), its live check against the emulator. */
async function panelOf(sfId: string): Promise<RecordStatusView> {
  const service = createRecordPanelService({
    db: h.db,
    settings: async () => h.settings,
    isAdmin: async () => true,
    timeZone: async () => 'UTC',
    pending: createPendingChecker({ db: h.db, clock: h.clock, salesforce: async () => h.salesforce }),
    syncing: () => undefined,
    pendingWaitMs: 10_000,
  });
  const answer = await service({ objectType: 'Lead', recordId: sfId });
  if (isPanelNotice(answer)) throw new Error(`notice ${answer.notice}`);
  return answer;
}
const push = (report: Awaited<ReturnType<typeof next>>) => stepOf(report, 'Push Updates', 'Person');
const pull = (report: Awaited<ReturnType<typeof next>>) => stepOf(report, 'Pull Updates', 'Person');

describe('Push Updates: leadScore (threshold 5, by its Marketo name)', () => {
  let id: string;
  let mktoId: number;

  it('pushes the first score (nothing synced to measure from)', async () => {
    id = lead({ FirstName: 'Noisy', Email: 'noisy@example.com' });
    await next();
    mktoId = personOf(id).id as number;
    h.emu.control.mkUpdateLead({ id: mktoId, fields: { leadScore: 41 } });
    const report = await next();
    expect(push(report).updated).toBe(1);
    expect(sf(id).mkto71_Lead_Score__c).toBe(41);
  });

  it('skips 41 → 42 with the reason, counted skipped, and the record panel says why', async () => {
    h.emu.control.mkUpdateLead({ id: mktoId, fields: { leadScore: 42 } });
    const report = await next();
    expect(push(report)).toMatchObject({ updated: 0, skipped: 1, failed: 0 });
    expect(sf(id).mkto71_Lead_Score__c).toBe(41);
    const status = await getRecordStatus(h.db, id);
    expect(status.events[0]).toMatchObject({
      operation: 'Push Updates',
      outcome: 'skipped',
      reason: 'leadScore changed by 1 (< 5): not synced',
    });
    const view = await shown(id);
    expect(view.state).toBe('skipped');
    expect(view.skippedReason).toBe('leadScore changed by 1 (< 5): not synced');
    expect(view.history[0]?.reason).toBe('leadScore changed by 1 (< 5): not synced');
    // The popup's opened step row lists it with the reason (components/StepRecordsList.tsx).
    const records = await loadStepRecords(h.db, push(report).id, 50);
    expect(records.skipped).toContainEqual(
      expect.objectContaining({ sfId: id, reason: 'leadScore changed by 1 (< 5): not synced' }),
    );
  });

  it('Reconcile does not call the held-back difference drift', async () => {
    const report = await next({ reconcile: true });
    expect(stepOf(report, 'Reconcile', 'Person')).toMatchObject({ drifted: 0 });
    expect(sf(id).mkto71_Lead_Score__c).toBe(41);
  });

  it('small changes add up from the last synced value: 43, 44 skipped, 46 syncs', async () => {
    for (const [score, delta] of [
      [43, 2],
      [44, 3],
    ] as const) {
      h.emu.control.mkUpdateLead({ id: mktoId, fields: { leadScore: score } });
      const report = await next();
      expect(push(report)).toMatchObject({ updated: 0, skipped: 1 });
      expect((await shown(id)).skippedReason).toBe(`leadScore changed by ${delta} (< 5): not synced`);
    }
    h.emu.control.mkUpdateLead({ id: mktoId, fields: { leadScore: 46 } });
    const report = await next();
    expect(push(report)).toMatchObject({ updated: 1, skipped: 0 });
    expect(sf(id).mkto71_Lead_Score__c).toBe(46);
    expect((await shown(id)).state).toBe('synced');
    // The base is now 46: 49 is 3 away from it.
    h.emu.control.mkUpdateLead({ id: mktoId, fields: { leadScore: 49 } });
    expect(push(await next())).toMatchObject({ updated: 0, skipped: 1 });
    expect(sf(id).mkto71_Lead_Score__c).toBe(46);
  });

  it('a record synced before the threshold was set measures from the value before the change', async () => {
    const other = lead({ FirstName: 'Early', Email: 'early@example.com' });
    await next();
    const person = personOf(other).id as number;
    const thresholds = h.settings.changeThresholds;
    h.settings.changeThresholds = [];
    h.emu.control.mkUpdateLead({ id: person, fields: { leadScore: 41 } });
    await next();
    expect(sf(other).mkto71_Lead_Score__c).toBe(41);
    h.settings.changeThresholds = thresholds;
    // No synced number kept for it: Marketo's "Old Value" (41) is the base, and stays the base.
    h.emu.control.mkUpdateLead({ id: person, fields: { leadScore: 44 } });
    expect(push(await next())).toMatchObject({ updated: 0, skipped: 1 });
    h.emu.control.mkUpdateLead({ id: person, fields: { leadScore: 45 } });
    expect(push(await next())).toMatchObject({ updated: 0, skipped: 1 });
    expect((await shown(other)).skippedReason).toBe('leadScore changed by 4 (< 5): not synced');
    h.emu.control.mkUpdateLead({ id: person, fields: { leadScore: 46 } });
    expect(push(await next())).toMatchObject({ updated: 1 });
    expect(sf(other).mkto71_Lead_Score__c).toBe(46);
  });
});

describe('Pull Updates: NumberOfEmployees (threshold 10, by its Salesforce name)', () => {
  let id: string;

  it('skips 100 → 105 with the reason, then syncs 112 (12 from 100)', async () => {
    id = lead({ FirstName: 'Count', Email: 'count@example.com', NumberOfEmployees: 100 });
    await next();
    expect(personOf(id).numberOfEmployees).toBe(100);

    h.emu.control.sfUpdate({ id, fields: { NumberOfEmployees: 105 } });
    const small = await next();
    // (The lookback window may bring the earlier lead again, skipped as unchanged.)
    expect(pull(small)).toMatchObject({ updated: 0, failed: 0 });
    expect(personOf(id).numberOfEmployees).toBe(100);
    const view = await shown(id);
    expect(view.state).toBe('skipped');
    expect(view.skippedReason).toBe('NumberOfEmployees changed by 5 (< 10): not synced');
    // The record panel's answer, with its live check of Salesforce: the held-back change is not
    // "pending" (the next cycle would skip it too), and the panel says why it was skipped.
    const panel = await panelOf(id);
    expect(panel).toMatchObject({
      state: 'skipped',
      skippedReason: 'NumberOfEmployees changed by 5 (< 10): not synced',
    });
    expect(panel.pendingFields ?? []).toEqual([]);

    const checked = await next({ reconcile: true });
    expect(stepOf(checked, 'Reconcile', 'Person')).toMatchObject({ drifted: 0 });

    h.emu.control.sfUpdate({ id, fields: { NumberOfEmployees: 108 } });
    expect(pull(await next())).toMatchObject({ updated: 0, skipped: 1 });
    expect((await shown(id)).skippedReason).toBe('NumberOfEmployees changed by 8 (< 10): not synced');

    h.emu.control.sfUpdate({ id, fields: { NumberOfEmployees: 112 } });
    // Far enough from the synced 100 now: pending until the next cycle writes it.
    expect(await panelOf(id)).toMatchObject({ state: 'pending', pendingFields: ['NumberOfEmployees'] });
    expect(pull(await next())).toMatchObject({ updated: 1 });
    expect(personOf(id).numberOfEmployees).toBe(112);
  });

  it('writes a small change together with other fields only when it reaches the threshold', async () => {
    h.emu.control.sfUpdate({ id, fields: { NumberOfEmployees: 115, Title: 'CTO' } });
    expect(pull(await next())).toMatchObject({ updated: 1 });
    expect(personOf(id)).toMatchObject({ title: 'CTO', numberOfEmployees: 112 });
    h.emu.control.sfUpdate({ id, fields: { NumberOfEmployees: 122 } });
    expect(pull(await next())).toMatchObject({ updated: 1 });
    expect(personOf(id).numberOfEmployees).toBe(122);
  });
});
