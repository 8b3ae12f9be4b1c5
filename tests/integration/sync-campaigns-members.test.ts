// Campaign members against the emulator over real HTTP (issue 17), the two rules persons already
// follow: the pull's lookback window (a member whose transaction committed late, with an earlier
// SystemModstamp than rows already read, is still written; what the window brings again is not
// logged again) and the sync filter field (a member whose person is excluded is not synced either
// way: Excluded, with the reason; a person excluded after it was synced too; once the person is
// no longer excluded, its member is written). Every cycle checks the count invariant.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRecordStatus } from '../../lib/db/recordStatus';
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

describe('Pull Updates Campaign Member re-reads a lookback window', () => {
  it('writes a member committed late with an earlier SystemModstamp, and logs what it re-reads once', async () => {
    const { campaign, programId, pair } = w.newPair('Late Webinar');
    const [ann, bob, cal] = [w.lead('Ann'), w.lead('Bob'), w.lead('Cal')];
    h.settings.programPairs = [pair];
    await w.next(); // persons, positions, the pair's load
    const annMember = w.create('CampaignMember', { CampaignId: campaign, LeadId: ann });
    const first = await w.next();
    expect(stepOf(first, 'Pull Updates', 'Campaign Member')).toMatchObject({ new: 1 });
    // The pull's position is now Ann's member, stamped five minutes before this cycle.
    const position = Date.parse(
      String(h.emu.control.sfGet({ id: annMember })!.SystemModstamp).replace('+0000', 'Z'),
    );

    // Cal's member commits now but carries a stamp from before that position (its transaction
    // began a minute before Ann's); Bob's is an ordinary change, so the change probe sees one.
    const now = h.emu.control.now().now;
    h.emu.control.setTime({ at: position - 60_000 });
    w.create('CampaignMember', { CampaignId: campaign, LeadId: cal, Status: 'Responded' });
    h.emu.control.setTime({ at: now });
    w.create('CampaignMember', { CampaignId: campaign, LeadId: bob });
    const late = await w.next();
    const pull = stepOf(late, 'Pull Updates', 'Campaign Member');
    expect(pull, JSON.stringify(await w.outcomesOf(pull.id))).toMatchObject({
      new: 2,
      skipped: 0,
      failed: 0,
    });
    expect(w.program(programId)).toEqual({
      [w.personOf(ann)]: 'Invited',
      [w.personOf(bob)]: 'Invited',
      [w.personOf(cal)]: 'Attended',
    });

    // The next change re-reads Bob within the window: agreed, so not written and not logged again.
    const dee = w.lead('Dee');
    await w.next();
    w.create('CampaignMember', { CampaignId: campaign, LeadId: dee });
    const again = await w.next();
    expect(stepOf(again, 'Pull Updates', 'Campaign Member')).toMatchObject({
      new: 1,
      updated: 0,
      skipped: 0,
    });
  });

  it('keeps an idle cycle at 3 calls or fewer', async () => {
    await w.next();
    h.sfCounter.reset();
    h.mkCounter.reset();
    h.advance();
    await h.cycle({ trigger: 'schedule' });
    const calls = h.sfCounter.total('salesforce') + h.mkCounter.total('marketo');
    expect(
      calls,
      JSON.stringify({ ...h.sfCounter.snapshot(), ...h.mkCounter.snapshot() }),
    ).toBeLessThanOrEqual(3);
  });
});

describe('the sync filter field applies to members through their person', () => {
  let campaign: string;
  let programId: number;
  let fay: string;
  let gil: string;

  it('excludes a member whose person was never synced because it is excluded', async () => {
    ({ campaign, programId } = (() => {
      const made = w.newPair('Filter Webinar');
      h.settings.programPairs = [made.pair];
      return made;
    })());
    fay = w.lead('Fay');
    gil = w.lead('Gil');
    w.create('CampaignMember', { CampaignId: campaign, LeadId: fay });
    w.create('CampaignMember', { CampaignId: campaign, LeadId: gil });
    await w.next(); // loads the pair: Fay and Gil are program members at Invited
    expect(Object.keys(w.program(programId))).toHaveLength(2);

    const hal = w.lead('Hal', { Do_Not_Sync_to_Marketo__c: true });
    const member = w.create('CampaignMember', { CampaignId: campaign, LeadId: hal });
    const report = await w.next();
    const pull = stepOf(report, 'Pull Updates', 'Campaign Member');
    // (Fay and Gil, loaded by Init Link, are read once by the pull too: agreed, Skipped.)
    expect(pull).toMatchObject({ excluded: 1, new: 0, failed: 0 });
    const outcome = (await w.outcomesOf(pull.id)).find((o) => o.outcome === 'excluded');
    expect(outcome).toMatchObject({ sfId: member });
    expect(outcome!.reason).toContain('Do_Not_Sync_to_Marketo__c is checked');
    // The record panel of the member says why.
    expect((await getRecordStatus(h.db, member)).events[0]).toMatchObject({
      operation: 'Pull Updates',
      outcome: 'excluded',
      reason: outcome!.reason,
    });
  });

  it('does not write a change of a member whose person was excluded after it was synced (Salesforce → Marketo)', async () => {
    h.emu.control.sfUpdate({ id: fay, fields: { Do_Not_Sync_to_Marketo__c: true } });
    h.emu.control.sfUpdate({ id: String(w.memberRow(campaign, fay).Id), fields: { Status: 'Responded' } });
    const report = await w.next();
    const person = await w.outcomesOf(stepOf(report, 'Pull Updates', 'Person').id);
    expect(person.find((o) => o.sfId === fay)).toMatchObject({ outcome: 'excluded' });
    const pull = stepOf(report, 'Pull Updates', 'Campaign Member');
    expect(pull).toMatchObject({ updated: 0, new: 0 });
    const member = String(w.memberRow(campaign, fay).Id);
    expect((await w.outcomesOf(pull.id)).find((o) => o.sfId === member)).toMatchObject({
      outcome: 'excluded',
    });
    expect(w.program(programId)[w.personOf(fay)]).toBe('Invited');
  });

  it('does not write a Marketo change of such a member (Marketo → Salesforce)', async () => {
    h.emu.control.sfUpdate({ id: gil, fields: { Do_Not_Sync_to_Marketo__c: true } });
    await w.next();
    h.emu.control.mkSetMemberStatus({ programId, leadId: w.personOf(gil), status: 'Attended' });
    const report = await w.next();
    const sync = stepOf(report, 'Sync to Program', 'Campaign');
    expect(sync, JSON.stringify(await w.outcomesOf(sync.id))).toMatchObject({ excluded: 1, updated: 0 });
    expect(w.members(campaign)[gil]).toBe('Sent');
  });

  it('writes the queued member once its person is no longer excluded', async () => {
    h.emu.control.sfUpdate({ id: fay, fields: { Do_Not_Sync_to_Marketo__c: false } });
    const report = await w.next();
    // Read again from the queue (persons changed): Fay's is written; Hal's person is still excluded.
    const pull = stepOf(report, 'Pull Updates', 'Campaign Member');
    expect(pull).toMatchObject({ updated: 1, excluded: 1, failed: 0 });
    expect(w.program(programId)[w.personOf(fay)]).toBe('Attended');
  });

  it('excludes such members when a pair is loaded (Init Link), from either side', async () => {
    const other = w.newPair('Filter Webinar 2');
    const ivy = w.lead('Ivy', { Do_Not_Sync_to_Marketo__c: true });
    w.create('CampaignMember', { CampaignId: other.campaign, LeadId: ivy });
    // Gil (excluded after he was synced) is a member of the program only.
    h.emu.control.mkSetMemberStatus({
      programId: other.programId,
      leadId: w.personOf(gil),
      status: 'Registered',
    });
    h.settings.programPairs = [...h.settings.programPairs, other.pair];
    const report = await w.next();
    const load = stepOf(report, 'Init Link to Program', 'Campaign');
    expect(load, JSON.stringify(await w.outcomesOf(load.id))).toMatchObject({
      excluded: 2,
      updated: 1, // the campaign itself
      failed: 0,
    });
    expect(w.members(other.campaign)).toEqual({ [ivy]: 'Sent' });
    expect(Object.keys(w.program(other.programId))).toEqual([String(w.personOf(gil))]);
  });
});
