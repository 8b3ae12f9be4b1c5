// Campaigns ⇄ programs (issue 17) against the emulator over real HTTP, from an empty org: link a
// pair and load it; a member added on each side; a status progression on each side (and the echo
// that stops); a status Salesforce lacks; members removed on each side; a member whose person is
// not in Marketo yet (queued, then written); a lead converting to a contact keeps its membership;
// relinking to another program; a campaign deleted; an idle cycle's calls. Every cycle checks the
// count invariant on every step (sync-harness.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowOutcomes } from '../../lib/db/eventRowBody';
import { createRecordPanelService } from '../../lib/records/panelService';
import { createPendingChecker } from '../../lib/records/pendingCheck';
import type { ProgramPair } from '../../lib/settings/schema';
import { WEBINAR_STATUSES, webinarPair } from '../support/programPairs';
import { type SyncHarness, startSyncHarness, stepOf } from './sync-harness';

let h: SyncHarness;
const CONTENT = ['Not in Program', 'Member', 'Influenced', 'Engaged'];

beforeAll(async () => {
  h = await startSyncHarness({ seed: 'empty' }, (settings) => {
    settings.objects.Campaign!.enabled = true;
    settings.objects.CampaignMember!.enabled = true;
  });
});
afterAll(async () => h.stop());

const create = (object: string, fields: Record<string, unknown>) =>
  h.emu.control.sfCreate({ object, fields }).id;
const lead = (last: string, fields: Record<string, unknown> = {}) =>
  create('Lead', { Company: 'Acme', LastName: last, Email: `${last.toLowerCase()}@example.com`, ...fields });
const personOf = (sfId: string) =>
  (h.emu.marketo.snapshot().leads as Record<string, unknown>[]).find(
    (p) => p.sfdcLeadIdCustom === sfId || p.sfdcContactIdCustom === sfId,
  )?.id as number;
const program = (programId: number) => h.emu.control.mkProgramMembers({ programId });
const members = (campaignId: string) =>
  Object.fromEntries(
    (h.emu.control.snapshot().salesforce.CampaignMember ?? [])
      .filter((m) => m.CampaignId === campaignId && m.IsDeleted !== true)
      .map((m) => [String(m.ContactId ?? m.LeadId), String(m.Status)]),
  );
async function outcomesOf(stepId: number) {
  const rows = await h.db.recordEvents
    .where('[stepId+id]')
    .between([stepId, -Infinity], [stepId, Infinity])
    .toArray();
  return rows.flatMap((r) => rowOutcomes(r));
}
async function next() {
  h.advance();
  const report = await h.cycle();
  expect(report.cycle?.status, `${report.cycle?.error} ${h.logs.join('\n')}`).toBe('Completed');
  return report;
}

describe('a campaign linked to a program', () => {
  let campaign: string;
  const leads: Record<string, string> = {};
  let pair: ProgramPair;

  it('links the pair and loads its members both ways (Init Link counts Updated)', async () => {
    for (const name of ['Ann', 'Bob', 'Cid', 'Dee']) leads[name] = lead(name);
    campaign = create('Campaign', { Name: 'Spring Webinar 2026', Type: 'Webinar' });
    for (const [label, responded] of [
      ['Invited', false],
      ['Registered', false],
      ['Attended', true],
    ] as const)
      create('CampaignMemberStatus', { CampaignId: campaign, Label: label, HasResponded: responded });
    create('CampaignMember', { CampaignId: campaign, LeadId: leads.Ann, Status: 'Registered' });
    create('CampaignMember', { CampaignId: campaign, LeadId: leads.Bob, Status: 'Responded' });
    pair = webinarPair(
      { id: campaign, name: 'Spring Webinar 2026' },
      { id: 1000, name: 'Spring Webinar 2026' },
      { campaignStatuses: ['Sent', 'Responded', 'Invited', 'Registered', 'Attended'] },
    );
    h.settings.programPairs = [pair];
    const first = await h.cycle();
    expect(first.cycle?.status, h.logs.join('\n')).toBe('Completed');
    expect(stepOf(first, 'Pull Updates', 'Person').new).toBe(4);
    // Cid is a program member only (a Marketo user added him): he joins the campaign.
    expect(
      h.emu.control.mkSetMemberStatus({ programId: 1000, leadId: personOf(leads.Cid!), status: 'Invited' }),
    ).toEqual({ result: 'created' });
    expect(first.steps.map((s) => `${s.operation}/${s.objectType}`)).toEqual(
      expect.arrayContaining([
        'Sync Schema/Campaign',
        'Sync Schema/Campaign Member',
        'Sync Schema/Campaign Member Status',
        'Pull Deletes/Campaign',
        'Pull Deletes/Campaign Member',
        'Pull Updates/Campaign',
        'Pull Updates/Campaign Member',
        'Sync to Program/Campaign',
        'Init Link to Program/Campaign',
      ]),
    );
    // Ann and Bob went to the program, and the campaign was linked.
    expect(stepOf(first, 'Init Link to Program', 'Campaign')).toMatchObject({ updated: 3, failed: 0 });
    expect(program(1000)).toMatchObject({
      [personOf(leads.Ann!)]: 'Registered',
      [personOf(leads.Bob!)]: 'Attended',
    });
    const second = await next();
    expect(stepOf(second, 'Sync to Program', 'Campaign').new).toBe(1);
    expect(members(campaign)).toEqual({
      [leads.Ann!]: 'Registered',
      [leads.Bob!]: 'Responded',
      [leads.Cid!]: 'Invited',
    });
  });

  it('adds a member from each side and follows status progressions both ways, without echo', async () => {
    create('CampaignMember', { CampaignId: campaign, LeadId: leads.Dee, Status: 'Invited' });
    const added = await next();
    expect(stepOf(added, 'Pull Updates', 'Campaign Member')).toMatchObject({ new: 1, failed: 0 });
    expect(program(1000)[personOf(leads.Dee!)]).toBe('Invited');

    const ann = members(campaign);
    expect(ann[leads.Ann!]).toBe('Registered');
    const annMember = (h.emu.control.snapshot().salesforce.CampaignMember ?? []).find(
      (m) => m.LeadId === leads.Ann,
    )!;
    h.emu.control.sfUpdate({ id: String(annMember.Id), fields: { Status: 'Attended' } });
    const forward = await next();
    expect(stepOf(forward, 'Pull Updates', 'Campaign Member').updated).toBe(1);
    expect(program(1000)[personOf(leads.Ann!)]).toBe('Attended');
    // Marketo logs our change; Sync to Program finds both sides agreeing and writes nothing.
    const sync = stepOf(forward, 'Sync to Program', 'Campaign');
    expect(
      sync.new + sync.updated + sync.deleted + sync.failed,
      JSON.stringify(await outcomesOf(sync.id)),
    ).toBe(0);

    h.emu.control.mkSetMemberStatus({ programId: 1000, leadId: personOf(leads.Dee!), status: 'Registered' });
    const back = await next();
    expect(stepOf(back, 'Sync to Program', 'Campaign').updated).toBe(1);
    expect(members(campaign)[leads.Dee!]).toBe('Registered');
    // Our update bumps the member's SystemModstamp: the next pull finds it agreed and writes nothing.
    const echo = await next();
    const pull = stepOf(echo, 'Pull Updates', 'Campaign Member');
    expect(pull.new + pull.updated + pull.failed).toBe(0);
  });

  it('creates a status the campaign lacks, and maps it back to Marketo unchanged', async () => {
    h.emu.control.mkSetMemberStatus({
      programId: 1000,
      leadId: personOf(leads.Bob!),
      status: 'Attended On-demand',
    });
    const synced = await next();
    expect(stepOf(synced, 'Sync to Program', 'Campaign')).toMatchObject({ updated: 1, failed: 0 });
    expect(members(campaign)[leads.Bob!]).toBe('Attended On-demand');
    const labels = (h.emu.control.snapshot().salesforce.CampaignMemberStatus ?? [])
      .filter((s) => s.CampaignId === campaign && !s.IsDeleted)
      .map((s) => s.Label);
    expect(labels).toContain('Attended On-demand');
  });

  it('removes members: in Marketo → deleted in Salesforce; in Salesforce → removed from the program', async () => {
    expect(h.emu.control.mkRemoveMember({ programId: 1000, leadId: personOf(leads.Cid!) })).toEqual({
      removed: true,
    });
    const removed = await next();
    expect(stepOf(removed, 'Sync to Program', 'Campaign').deleted).toBe(1);
    expect(members(campaign)[leads.Cid!]).toBeUndefined();

    const dee = (h.emu.control.snapshot().salesforce.CampaignMember ?? []).find(
      (m) => m.LeadId === leads.Dee && !m.IsDeleted,
    )!;
    h.emu.control.sfDelete({ id: String(dee.Id) });
    // The deleted/ feed covers deletions up to a minute back: two cycles.
    const first = await next();
    const second = await next();
    expect(
      stepOf(first, 'Pull Deletes', 'Campaign Member').deleted +
        stepOf(second, 'Pull Deletes', 'Campaign Member').deleted,
    ).toBe(1);
    expect(program(1000)[personOf(leads.Dee!)]).toBeUndefined();
  });

  it('queues a member whose person is not in Marketo (excluded), and writes it once the person is synced', async () => {
    const eve = lead('Eve', { Do_Not_Sync_to_Marketo__c: true });
    create('CampaignMember', { CampaignId: campaign, LeadId: eve, Status: 'Invited' });
    const queued = await next();
    const step = stepOf(queued, 'Pull Updates', 'Campaign Member');
    expect(step).toMatchObject({ excluded: 1, skipped: 0, failed: 0, new: 0 });
    h.emu.control.sfUpdate({ id: eve, fields: { Do_Not_Sync_to_Marketo__c: false } });
    const picked = await next();
    expect(stepOf(picked, 'Pull Updates', 'Person').new).toBe(1);
    expect(stepOf(picked, 'Pull Updates', 'Campaign Member').new).toBe(1);
    expect(program(1000)[personOf(eve)]).toBe('Invited');
  });

  it('keeps the membership of a lead converted to a contact', async () => {
    const converted = h.emu.control.convertLead({ leadId: leads.Ann! });
    await next();
    const annPerson = personOf(converted.contactId);
    expect(annPerson).toBeDefined();
    h.emu.control.mkSetMemberStatus({ programId: 1000, leadId: annPerson, status: 'Attended On-demand' });
    const synced = await next();
    expect(stepOf(synced, 'Sync to Program', 'Campaign')).toMatchObject({ updated: 1, new: 0, failed: 0 });
    const member = (h.emu.control.snapshot().salesforce.CampaignMember ?? []).filter(
      (m) => m.CampaignId === campaign && m.ContactId === converted.contactId && !m.IsDeleted,
    );
    expect(member).toHaveLength(1);
    expect(member[0]!.Status).toBe('Attended On-demand');
  });

  it('keeps an idle cycle at 3 calls or fewer with campaigns enabled', async () => {
    await next();
    await next();
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

  it('relinks the campaign to another program and loads it', async () => {
    pair = {
      ...pair,
      programId: 1003,
      programName: 'Whitepaper Download',
      programStatuses: CONTENT,
      statusMap: [
        { salesforceStatus: 'Sent', marketoStatus: 'Member' },
        { salesforceStatus: 'Invited', marketoStatus: 'Member' },
        { salesforceStatus: 'Registered', marketoStatus: 'Influenced' },
        { salesforceStatus: 'Responded', marketoStatus: 'Engaged' },
        { salesforceStatus: 'Attended', marketoStatus: 'Engaged' },
      ],
    };
    h.settings.programPairs = [pair];
    const relinked = await next();
    // Eve (Invited → Member) and the campaign itself; Ann and Bob are at "Attended On-demand",
    // which has no status in the new program: they fail, saying so.
    expect(stepOf(relinked, 'Init Link to Program', 'Campaign')).toMatchObject({ updated: 2, failed: 2 });
    expect(Object.values(program(1003))).toEqual(['Member']);
    const failures = await h.db.failures.toArray();
    expect(JSON.stringify(failures.at(-1))).toContain('has no status in Whitepaper Download');
  });

  it('stops a pair whose campaign is deleted; linking it again fails saying why', async () => {
    h.emu.control.sfDelete({ id: campaign });
    const first = await next();
    const second = await next();
    const deletes =
      stepOf(first, 'Pull Deletes', 'Campaign').deleted + stepOf(second, 'Pull Deletes', 'Campaign').deleted;
    expect(deletes).toBe(1);
    const failed = stepOf(second, 'Init Link to Program', 'Campaign');
    expect(failed.failed).toBe(1);
    const rows = await h.db.failures.toArray();
    expect(
      rows.some(
        (r) => r.codes?.includes?.('CAMPAIGN_NOT_FOUND') || JSON.stringify(r).includes('CAMPAIGN_NOT_FOUND'),
      ),
    ).toBe(true);
  });
});

describe('a program deleted in Marketo', () => {
  it('fails the members written to it afterwards, saying why, and fails a relink to it', async () => {
    const { id: programId } = h.emu.control.mkCreateProgram({
      name: 'Booth 2026',
      type: 'Event',
      channel: 'Tradeshow',
    });
    const booth = create('Campaign', { Name: 'Booth 2026' });
    const fay = lead('Fay');
    const gus = lead('Gus');
    create('CampaignMember', { CampaignId: booth, LeadId: fay });
    h.settings.programPairs = [
      {
        campaignId: booth,
        campaignName: 'Booth 2026',
        programId,
        programName: 'Booth 2026',
        direction: 'both',
        campaignStatuses: ['Sent', 'Responded'],
        programStatuses: ['Not in Program', 'Invited', 'Registered', 'No Show', 'Visited Booth', 'Engaged'],
        statusMap: [
          { salesforceStatus: 'Sent', marketoStatus: 'Invited' },
          { salesforceStatus: 'Responded', marketoStatus: 'Visited Booth' },
        ],
      },
    ];
    const linked = await next();
    expect(stepOf(linked, 'Init Link to Program', 'Campaign')).toMatchObject({ updated: 2, failed: 0 });
    expect(Object.values(program(programId))).toEqual(['Invited']);

    h.emu.control.mkDeleteProgram({ programId });
    create('CampaignMember', { CampaignId: booth, LeadId: gus });
    const after = await next();
    expect(stepOf(after, 'Pull Updates', 'Campaign Member')).toMatchObject({ failed: 1, new: 0 });
    const failures = await h.db.failures.toArray();
    expect(JSON.stringify(failures.at(-1))).toContain('Booth 2026 was not found in Marketo');

    h.settings.programPairs = [{ ...h.settings.programPairs[0]!, programId: programId + 1000 }];
    const relink = await next();
    expect(stepOf(relink, 'Init Link to Program', 'Campaign')).toMatchObject({ failed: 1, updated: 0 });
  });
});

describe('the record panel on a Campaign page', () => {
  it('shows the linked program, the members in step and the last Sync to Program', async () => {
    const campaign = create('Campaign', { Name: 'Panel Webinar' });
    const leads = ['Hal', 'Ivy', 'Jo'].map((name) => lead(name));
    for (const id of leads) create('CampaignMember', { CampaignId: campaign, LeadId: id });
    const { id: programId } = h.emu.control.mkCreateProgram({
      name: 'Panel Webinar',
      type: 'Event',
      channel: 'Webinar',
    });
    h.settings.programPairs = [
      webinarPair({ id: campaign, name: 'Panel Webinar' }, { id: programId, name: 'Panel Webinar' }),
    ];
    const panel = createRecordPanelService({
      db: h.db,
      settings: async () => h.settings,
      isAdmin: async () => true,
      timeZone: async () => 'UTC',
      pending: createPendingChecker({ db: h.db, clock: h.clock, salesforce: async () => h.salesforce }),
      syncing: () => undefined,
    });
    const before = await panel({ objectType: 'Campaign', recordId: campaign });
    expect(before).toMatchObject({ programPair: { programId, loaded: false, membersInStep: 0 } });
    await next();
    await next();
    const after = await panel({ objectType: 'Campaign', recordId: campaign });
    expect(after).toMatchObject({
      state: 'synced',
      operation: 'Init Link to Program',
      programPair: { programId, programName: 'Panel Webinar', loaded: true, membersInStep: 3 },
    });
    expect(
      (after as { programPair?: { lastSyncToProgram?: unknown } }).programPair?.lastSyncToProgram,
    ).toMatchObject({
      status: 'Completed',
    });
    // The Programs section on a member's Lead page: its status on both sides.
    const hal = await panel({ objectType: 'Lead', recordId: leads[0]! });
    expect(hal).toMatchObject({
      programs: [
        { campaignName: 'Panel Webinar', programId, campaignStatus: 'Sent', programStatus: 'Invited' },
      ],
    });
    // A campaign in no pair stays "not synced".
    const other = create('Campaign', { Name: 'Unpaired' });
    expect(await panel({ objectType: 'Campaign', recordId: other })).toMatchObject({ notice: 'not-synced' });
  });
});

describe('a program status renamed in Marketo', () => {
  it('fails the members whose status no longer exists there, saying what to fix', async () => {
    const camp = create('Campaign', { Name: 'Rename Webinar' });
    const kim = lead('Kim');
    const { id: programId } = h.emu.control.mkCreateProgram({
      name: 'Rename Webinar',
      type: 'Event',
      channel: 'Webinar',
    });
    h.settings.programPairs = [
      webinarPair(
        { id: camp, name: 'Rename Webinar' },
        { id: programId, name: 'Rename Webinar' },
        {
          statusMap: [
            { salesforceStatus: 'Sent', marketoStatus: 'Registered' },
            { salesforceStatus: 'Responded', marketoStatus: 'Attended' },
          ],
        },
      ),
    ];
    await next();
    h.emu.control.mkRenameProgressionStatus({ channel: 'Webinar', from: 'Registered', to: 'Signed Up' });
    try {
      create('CampaignMember', { CampaignId: camp, LeadId: kim });
      const report = await next();
      expect(stepOf(report, 'Pull Updates', 'Campaign Member')).toMatchObject({ failed: 1, new: 0 });
      const failures = await h.db.failures.toArray();
      expect(JSON.stringify(failures.at(-1))).toContain('has no status \\"Registered\\"');
    } finally {
      h.emu.control.mkRenameProgressionStatus({ channel: 'Webinar', from: 'Signed Up', to: 'Registered' });
    }
  });
});

describe('one-way pairs', () => {
  it('moves members only the way the pair says', async () => {
    const inbound = create('Campaign', { Name: 'Inbound' });
    const outbound = create('Campaign', { Name: 'Outbound' });
    const { id: inProgram } = h.emu.control.mkCreateProgram({
      name: 'Inbound',
      type: 'Event',
      channel: 'Webinar',
    });
    const { id: outProgram } = h.emu.control.mkCreateProgram({
      name: 'Outbound',
      type: 'Event',
      channel: 'Webinar',
    });
    const [lia, max] = [lead('Lia'), lead('Max')];
    const pairOf = (
      campaignId: string,
      programId: number,
      direction: ProgramPair['direction'],
    ): ProgramPair => ({
      campaignId,
      campaignName: '',
      programId,
      programName: '',
      direction,
      campaignStatuses: ['Sent', 'Responded'],
      programStatuses: WEBINAR_STATUSES,
      statusMap: [
        { salesforceStatus: 'Sent', marketoStatus: 'Invited' },
        { salesforceStatus: 'Responded', marketoStatus: 'Attended' },
      ],
    });
    h.settings.programPairs = [
      pairOf(inbound, inProgram, 'toCampaign'),
      pairOf(outbound, outProgram, 'toProgram'),
    ];
    await next();
    await next();
    // Salesforce members of the Marketo → Salesforce pair stay in Salesforce, and the other way round.
    create('CampaignMember', { CampaignId: inbound, LeadId: lia });
    h.emu.control.mkSetMemberStatus({ programId: outProgram, leadId: personOf(max), status: 'Registered' });
    // Marketo → Salesforce for the inbound pair; Salesforce → Marketo for the outbound one.
    h.emu.control.mkSetMemberStatus({ programId: inProgram, leadId: personOf(max), status: 'Attended' });
    create('CampaignMember', { CampaignId: outbound, LeadId: lia, Status: 'Responded' });
    await next();
    await next();
    expect(program(inProgram)).toEqual({ [personOf(max)]: 'Attended' });
    expect(members(inbound)).toEqual({ [lia]: 'Sent', [max]: 'Responded' });
    expect(program(outProgram)).toEqual({ [personOf(max)]: 'Registered', [personOf(lia)]: 'Attended' });
    expect(members(outbound)).toEqual({ [lia]: 'Responded' });
  });
});

describe('program cost → campaign cost (Push Updates Campaign)', () => {
  it('writes the sum of the period costs to the chosen field, hourly or on a manual cycle', async () => {
    const camp = create('Campaign', { Name: 'Costly' });
    const { id: programId } = h.emu.control.mkCreateProgram({
      name: 'Costly',
      type: 'Event',
      channel: 'Webinar',
    });
    h.settings.programPairs = [
      {
        campaignId: camp,
        campaignName: 'Costly',
        programId,
        programName: 'Costly',
        direction: 'both',
        campaignStatuses: ['Sent', 'Responded'],
        programStatuses: WEBINAR_STATUSES,
        statusMap: [
          { salesforceStatus: 'Sent', marketoStatus: 'Invited' },
          { salesforceStatus: 'Responded', marketoStatus: 'Attended' },
        ],
        costField: 'ActualCost',
      },
    ];
    h.emu.control.mkSetProgramCosts({
      programId,
      costs: [
        { startDate: '2026-01-01', cost: 1200.5, note: 'venue' },
        { startDate: '2026-02-01', cost: 300 },
      ],
    });
    await next(); // links the pair
    const written = await next();
    expect(stepOf(written, 'Push Updates', 'Campaign')).toMatchObject({ updated: 1, failed: 0 });
    expect(h.emu.control.sfGet({ id: camp })?.ActualCost).toBe(1500.5);
    const same = await next();
    expect(stepOf(same, 'Push Updates', 'Campaign')).toMatchObject({ updated: 0, skipped: 1 });
    // A scheduled cycle within the hour does not ask Marketo again.
    h.emu.control.mkSetProgramCosts({ programId, costs: [{ startDate: '2026-03-01', cost: 99 }] });
    h.advance(60_000);
    const scheduled = await h.cycle({ trigger: 'schedule' });
    expect(stepOf(scheduled, 'Push Updates', 'Campaign')).toMatchObject({ updated: 0, skipped: 0 });
    h.advance(60 * 60_000);
    const hourly = await h.cycle({ trigger: 'schedule' });
    expect(stepOf(hourly, 'Push Updates', 'Campaign').updated).toBe(1);
    expect(h.emu.control.sfGet({ id: camp })?.ActualCost).toBe(99);
  });
});
