// Sync now for one campaign ⇄ program pair (issue 17), from the record panel of its Campaign page:
// a one-record cycle on the campaign runs that pair's steps alone (Pull Deletes and Pull Updates
// Campaign Member, Sync to Program, Init Link when it is not loaded yet) against the emulator over
// real HTTP. A member changed on each side of the pair agrees afterwards; another pair's members
// and the persons are left to the next whole cycle, which then finds the synced pair agreed. The
// panel shows the result. Every cycle checks the count invariant.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecordPanelService } from '../../lib/records/panelService';
import { createPendingChecker } from '../../lib/records/pendingCheck';
import { campaignWorld } from '../support/campaignWorld';
import { type SyncHarness, startSyncHarness, stepOf } from './sync-harness';

let h: SyncHarness;
let w: ReturnType<typeof campaignWorld>;

beforeAll(async () => {
  h = await startSyncHarness({ seed: 'empty' }, (settings) => {
    settings.objects.Campaign!.enabled = true;
    settings.objects.CampaignMember!.enabled = true;
  });
  w = campaignWorld(h);
});
afterAll(async () => h.stop());

const syncNow = (campaign: string) =>
  h.cycle({ trigger: 'record', record: { objectType: 'Campaign', id: campaign } });
const panel = () =>
  createRecordPanelService({
    db: h.db,
    settings: async () => h.settings,
    isAdmin: async () => true,
    timeZone: async () => 'UTC',
    pending: createPendingChecker({ db: h.db, clock: h.clock, salesforce: async () => h.salesforce }),
    syncing: () => undefined,
  });

describe('Sync now for one pair', () => {
  const a = { campaign: '', programId: 0 };
  const b = { campaign: '', programId: 0 };
  const people: Record<string, string> = {};

  it('makes that pair’s members agree now, and leaves other pairs and persons to the next cycle', async () => {
    for (const name of ['Ann', 'Bob', 'Cal', 'Dan', 'Eve']) people[name] = w.lead(name);
    const first = w.newPair('Sync Now A');
    const second = w.newPair('Sync Now B');
    Object.assign(a, first);
    Object.assign(b, second);
    for (const [campaign, names] of [
      [a.campaign, ['Ann', 'Bob']],
      [b.campaign, ['Cal', 'Dan']],
    ] as const)
      for (const name of names) w.create('CampaignMember', { CampaignId: campaign, LeadId: people[name] });
    h.settings.programPairs = [first.pair, second.pair];
    await w.next();
    await w.next();
    expect(w.program(a.programId)).toEqual({
      [w.personOf(people.Ann!)]: 'Invited',
      [w.personOf(people.Bob!)]: 'Invited',
    });

    // A member changed on each side of each pair, and a person changed.
    for (const [campaign, name] of [
      [a.campaign, 'Ann'],
      [b.campaign, 'Cal'],
    ] as const)
      h.emu.control.sfUpdate({
        id: String(w.memberRow(campaign, people[name]!).Id),
        fields: { Status: 'Responded' },
      });
    h.emu.control.mkSetMemberStatus({
      programId: a.programId,
      leadId: w.personOf(people.Bob!),
      status: 'Attended',
    });
    h.emu.control.mkSetMemberStatus({
      programId: b.programId,
      leadId: w.personOf(people.Dan!),
      status: 'Attended',
    });
    h.emu.control.sfUpdate({ id: people.Eve!, fields: { LastName: 'Evans' } });
    h.advance(60_000);

    const report = await syncNow(a.campaign);
    expect(report.cycle, h.logs.join('\n')).toMatchObject({
      trigger: 'record',
      recordId: a.campaign,
      status: 'Completed',
    });
    expect(report.steps.map((s) => `${s.operation}/${s.objectType}`)).toEqual([
      'Pull Deletes/Campaign Member',
      'Pull Updates/Campaign Member',
      'Sync to Program/Campaign',
      'Init Link to Program/Campaign',
    ]);
    const pull = stepOf(report, 'Pull Updates', 'Campaign Member');
    expect(pull, JSON.stringify(await w.outcomesOf(pull.id))).toMatchObject({
      updated: 1,
      new: 0,
      failed: 0,
    });
    const sync = stepOf(report, 'Sync to Program', 'Campaign');
    const synced = await w.outcomesOf(sync.id);
    expect(sync, JSON.stringify(synced)).toMatchObject({ updated: 1, new: 0, failed: 0, skipped: 0 });
    expect(synced.map((o) => o.mktoId)).toEqual([w.personOf(people.Bob!)]);
    // Pair A agrees on both sides.
    expect(w.program(a.programId)[w.personOf(people.Ann!)]).toBe('Attended');
    expect(w.members(a.campaign)[people.Bob!]).toBe('Responded');
    // Pair B and the person are untouched.
    expect(w.program(b.programId)[w.personOf(people.Cal!)]).toBe('Invited');
    expect(w.members(b.campaign)[people.Dan!]).toBe('Sent');
    const eve = (h.emu.marketo.snapshot().leads as Record<string, unknown>[]).find(
      (p) => p.id === w.personOf(people.Eve!),
    );
    expect(eve?.lastName).toBe('Eve');

    // The panel of campaign A shows the result.
    expect(await panel()({ objectType: 'Campaign', recordId: a.campaign })).toMatchObject({
      programPair: { lastSyncNow: { status: 'Completed', updated: 2, failed: 0 } },
    });
  });

  it('the next whole cycle syncs the rest and finds pair A agreed', async () => {
    const report = await w.next();
    const pull = stepOf(report, 'Pull Updates', 'Campaign Member');
    const pulled = await w.outcomesOf(pull.id);
    expect(pulled.filter((o) => o.outcome === 'updated').map((o) => o.mktoId)).toEqual([
      w.personOf(people.Cal!),
    ]);
    const sync = stepOf(report, 'Sync to Program', 'Campaign');
    const synced = await w.outcomesOf(sync.id);
    expect(synced.filter((o) => o.outcome !== 'skipped').map((o) => o.mktoId)).toEqual([
      w.personOf(people.Dan!),
    ]);
    expect(stepOf(report, 'Pull Updates', 'Person').updated).toBe(1);
    expect(w.program(b.programId)[w.personOf(people.Cal!)]).toBe('Attended');
    expect(w.members(b.campaign)[people.Dan!]).toBe('Responded');
    expect(w.program(a.programId)[w.personOf(people.Ann!)]).toBe('Attended');
    expect(w.members(a.campaign)[people.Bob!]).toBe('Responded');
  });

  it('settles a member changed on both sides as a whole cycle does (Marketo’s later status wins)', async () => {
    people.Fay = w.lead('Fay');
    w.create('CampaignMember', { CampaignId: a.campaign, LeadId: people.Fay });
    await w.next();
    await w.next();
    expect(w.program(a.programId)[w.personOf(people.Fay)]).toBe('Invited');
    h.emu.control.sfUpdate({
      id: String(w.memberRow(a.campaign, people.Fay).Id),
      fields: { Status: 'Responded' },
    });
    h.emu.control.mkSetMemberStatus({
      programId: a.programId,
      leadId: w.personOf(people.Fay),
      status: 'Attended On-demand',
    });
    h.advance(60_000);
    const report = await syncNow(a.campaign);
    // Marketo keeps its later status (its API moves statuses only forward) …
    const pull = await w.outcomesOf(stepOf(report, 'Pull Updates', 'Campaign Member').id);
    expect(pull.find((o) => o.mktoId === w.personOf(people.Fay!))).toMatchObject({ outcome: 'skipped' });
    // … and Sync to Program brings it to Salesforce: the pull of this Sync now covered the member.
    const sync = stepOf(report, 'Sync to Program', 'Campaign');
    expect(sync, JSON.stringify(await w.outcomesOf(sync.id))).toMatchObject({ updated: 1, skipped: 0 });
    expect(w.members(a.campaign)[people.Fay]).toBe('Attended On-demand');
  });

  it('loads a pair not loaded yet (Init Link), which the whole cycles then follow', async () => {
    const c = w.newPair('Sync Now C');
    w.create('CampaignMember', { CampaignId: c.campaign, LeadId: people.Eve, Status: 'Responded' });
    h.settings.programPairs = [...h.settings.programPairs, c.pair];
    expect(await panel()({ objectType: 'Campaign', recordId: c.campaign })).toMatchObject({
      programPair: { loaded: false },
    });
    const report = await syncNow(c.campaign);
    expect(report.cycle?.status, h.logs.join('\n')).toBe('Completed');
    expect(stepOf(report, 'Init Link to Program', 'Campaign')).toMatchObject({ updated: 2, failed: 0 });
    expect(w.program(c.programId)).toEqual({ [w.personOf(people.Eve!)]: 'Attended' });
    expect(await panel()({ objectType: 'Campaign', recordId: c.campaign })).toMatchObject({
      programPair: { loaded: true, membersInStep: 1, lastSyncNow: { status: 'Completed', updated: 2 } },
    });
    const next = await w.next();
    expect(stepOf(next, 'Init Link to Program', 'Campaign')).toMatchObject({ updated: 0, failed: 0 });
  });
});
