// Campaign, CampaignMember and CampaignMemberStatus over real HTTP: the statuses a new campaign
// gets, one member per campaign and person, HasResponded following the status, create-only
// fields, the default/in-use status rules, cascade on campaign delete, SOQL and describe
// (api-facts-objects E1, E4 items 3–5).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { type SfTestClient, sfClient } from '../../emulator/testing';

type Created = { id: string; success: boolean };
type ErrorBody = { message: string; errorCode: string; fields?: string[] }[];
type Rows<T> = { totalSize: number; records: T[] };
type Status = { Label: string; IsDefault: boolean; HasResponded: boolean; SortOrder: number };

let emu: Emulator;
let sf: SfTestClient;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'empty' });
  sf = sfClient(emu.info);
});
beforeEach(() => {
  emu.control.reset();
});
afterAll(() => emu.stop());

async function create(object: string, fields: Record<string, unknown>) {
  return sf.request<Created | ErrorBody>('POST', `sobjects/${object}`, fields);
}

async function createOk(object: string, fields: Record<string, unknown>): Promise<string> {
  const res = await create(object, fields);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return (res.body as Created).id;
}

async function statuses(campaignId: string): Promise<Status[]> {
  const res = await sf.query<Rows<Status>>(
    `SELECT Label, IsDefault, HasResponded, SortOrder FROM CampaignMemberStatus WHERE CampaignId = '${campaignId}' ORDER BY SortOrder`,
  );
  return res.body.records.map(({ Label, IsDefault, HasResponded, SortOrder }) => ({
    Label,
    IsDefault,
    HasResponded,
    SortOrder,
  }));
}

describe('Campaign and its member statuses', () => {
  it('gives a new campaign "Sent" (default) and "Responded" (responded)', async () => {
    const campaign = await createOk('Campaign', { Name: 'Spring Webinar' });
    expect(await statuses(campaign)).toEqual([
      { Label: 'Sent', IsDefault: true, HasResponded: false, SortOrder: 1 },
      { Label: 'Responded', IsDefault: false, HasResponded: true, SortOrder: 2 },
    ]);
  });

  it('keeps one default, refuses duplicate labels, unsetting the default and deleting it or one in use', async () => {
    const campaign = await createOk('Campaign', { Name: 'Event' });
    const attended = await createOk('CampaignMemberStatus', {
      CampaignId: campaign,
      Label: 'Attended',
      HasResponded: true,
      IsDefault: true,
    });
    const rows = await statuses(campaign);
    expect(rows.filter((s) => s.IsDefault).map((s) => s.Label)).toEqual(['Attended']);
    expect(rows.find((s) => s.Label === 'Attended')!.SortOrder).toBe(3);
    const duplicate = await create('CampaignMemberStatus', { CampaignId: campaign, Label: 'Sent' });
    expect(duplicate.status).toBe(400);
    expect((duplicate.body as ErrorBody)[0]).toMatchObject({
      errorCode: 'DUPLICATE_VALUE',
      fields: ['Label'],
    });
    const unset = await sf.request<ErrorBody>('PATCH', `sobjects/CampaignMemberStatus/${attended}`, {
      IsDefault: false,
    });
    expect(unset.status).toBe(400);
    expect(unset.body[0]!.fields).toEqual(['IsDefault']);
    const removeDefault = await sf.request<ErrorBody>('DELETE', `sobjects/CampaignMemberStatus/${attended}`);
    expect(removeDefault.status).toBe(400);
    expect(removeDefault.body[0]!.errorCode).toBe('DELETE_FAILED');

    const lead = await createOk('Lead', { LastName: 'Doe', Company: 'Acme' });
    await createOk('CampaignMember', { CampaignId: campaign, LeadId: lead, Status: 'Responded' });
    const responded = await sf.query<Rows<{ Id: string }>>(
      `SELECT Id FROM CampaignMemberStatus WHERE CampaignId = '${campaign}' AND Label = 'Responded'`,
    );
    const inUse = await sf.request<ErrorBody>(
      'DELETE',
      `sobjects/CampaignMemberStatus/${responded.body.records[0]!.Id}`,
    );
    expect(inUse.status).toBe(400);
    expect(inUse.body[0]!.message).toMatch(/members/i);
    const sent = await sf.query<Rows<{ Id: string }>>(
      `SELECT Id FROM CampaignMemberStatus WHERE CampaignId = '${campaign}' AND Label = 'Sent'`,
    );
    expect(
      (await sf.request('DELETE', `sobjects/CampaignMemberStatus/${sent.body.records[0]!.Id}`)).status,
    ).toBe(204);
  });
});

describe('CampaignMember', () => {
  it('takes the default status, derives HasResponded and FirstRespondedDate, refuses a second member', async () => {
    const campaign = await createOk('Campaign', { Name: 'Newsletter' });
    const lead = await createOk('Lead', { LastName: 'Doe', Company: 'Acme' });
    const member = await createOk('CampaignMember', { CampaignId: campaign, LeadId: lead });
    const read = async () =>
      (
        await sf.get<Record<string, unknown>>(
          `sobjects/CampaignMember/${member}?fields=Status,HasResponded,FirstRespondedDate`,
        )
      ).body;
    expect(await read()).toMatchObject({ Status: 'Sent', HasResponded: false, FirstRespondedDate: null });
    expect(
      (await sf.request('PATCH', `sobjects/CampaignMember/${member}`, { Status: 'Responded' })).status,
    ).toBe(204);
    const responded = await read();
    expect(responded).toMatchObject({ Status: 'Responded', HasResponded: true });
    expect(responded.FirstRespondedDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const again = await create('CampaignMember', { CampaignId: campaign, LeadId: lead });
    expect(again.status).toBe(400);
    expect(again.body).toEqual([
      { message: 'Already a campaign member.', errorCode: 'DUPLICATE_VALUE', fields: [] },
    ]);

    const unknown = await create('CampaignMember', {
      CampaignId: campaign,
      LeadId: await createOk('Lead', { LastName: 'Roe', Company: 'Acme' }),
      Status: 'Danced',
    });
    expect(unknown.status).toBe(400);
    expect((unknown.body as ErrorBody)[0]!.fields).toEqual(['Status']);
    const readOnly = await sf.request<ErrorBody>('PATCH', `sobjects/CampaignMember/${member}`, {
      HasResponded: false,
    });
    expect(readOnly.status).toBe(400);
    expect(readOnly.body[0]!.errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    const moved = await sf.request<ErrorBody>('PATCH', `sobjects/CampaignMember/${member}`, {
      CampaignId: await createOk('Campaign', { Name: 'Other' }),
    });
    expect(moved.status).toBe(400);
    expect(moved.body[0]!.fields).toEqual(['CampaignId']);
  });

  it('keeps only ContactId when both ids are given; a lead and a contact are two members', async () => {
    const campaign = await createOk('Campaign', { Name: 'Both' });
    const lead = await createOk('Lead', { LastName: 'Lead', Company: 'Acme' });
    const contact = await createOk('Contact', { LastName: 'Contact' });
    const both = await createOk('CampaignMember', { CampaignId: campaign, LeadId: lead, ContactId: contact });
    const row = (
      await sf.get<Record<string, unknown>>(`sobjects/CampaignMember/${both}?fields=LeadId,ContactId`)
    ).body;
    expect(row).toMatchObject({ LeadId: null, ContactId: contact });
    await createOk('CampaignMember', { CampaignId: campaign, LeadId: lead });
    const members = await sf.query<Rows<{ Id: string }>>(
      `SELECT Id, LeadId, ContactId, Status, HasResponded FROM CampaignMember WHERE CampaignId = '${campaign}' ORDER BY SystemModstamp, Id`,
    );
    expect(members.body.totalSize).toBe(2);
  });

  it('deleting a campaign deletes its members and statuses (queryAll shows them deleted)', async () => {
    const campaign = await createOk('Campaign', { Name: 'Gone' });
    const lead = await createOk('Lead', { LastName: 'Doe', Company: 'Acme' });
    const member = await createOk('CampaignMember', { CampaignId: campaign, LeadId: lead });
    expect((await sf.request('DELETE', `sobjects/Campaign/${campaign}`)).status).toBe(204);
    const all = await sf.query<Rows<{ Id: string; IsDeleted: boolean }>>(
      `SELECT Id, IsDeleted FROM CampaignMember WHERE Id = '${member}'`,
      { all: true },
    );
    expect(all.body.records).toEqual([expect.objectContaining({ Id: member, IsDeleted: true })]);
    expect(
      (await sf.query<Rows<unknown>>(`SELECT Id FROM CampaignMemberStatus WHERE CampaignId = '${campaign}'`))
        .body.totalSize,
    ).toBe(0);
  });

  it('describes the three objects with CampaignId create-only and HasResponded read-only', async () => {
    const described = await sf.get<{ fields: { name: string; createable: boolean; updateable: boolean }[] }>(
      'sobjects/CampaignMember/describe',
    );
    const field = (name: string) => described.body.fields.find((f) => f.name === name)!;
    expect(field('CampaignId')).toMatchObject({ createable: true, updateable: false });
    expect(field('LeadId')).toMatchObject({ createable: true, updateable: false });
    expect(field('Status')).toMatchObject({ createable: true, updateable: true });
    expect(field('HasResponded')).toMatchObject({ createable: false, updateable: false });
    expect((await sf.get('sobjects/CampaignMemberStatus/describe')).status).toBe(200);
  });
});

describe('demo seed', () => {
  it('has campaigns matching Marketo programs, with members on both sides', async () => {
    emu.control.reset({ seed: 'demo' });
    const campaign = await sf.query<Rows<{ Id: string }>>(
      "SELECT Id FROM Campaign WHERE Name = 'Spring Webinar 2026'",
    );
    const id = campaign.body.records[0]!.Id;
    expect((await statuses(id)).map((s) => s.Label)).toEqual([
      'Invited',
      'Attended',
      'Registered',
      'No Show',
    ]);
    const members = await sf.query<Rows<{ Status: string; HasResponded: boolean }>>(
      `SELECT Status, HasResponded FROM CampaignMember WHERE CampaignId = '${id}'`,
    );
    expect(members.body.totalSize).toBeGreaterThan(10);
    for (const m of members.body.records) expect(m.HasResponded).toBe(m.Status === 'Attended');
    const program = emu.control.mkProgramMembers({ programId: 1000 });
    expect(Object.values(program)).toContain('Attended On-demand');
    expect(Object.keys(program).length).toBeGreaterThan(5);
  });
});

describe('large seed', () => {
  it('puts its first N leads in one campaign when asked', async () => {
    emu.control.reset({ seed: 'large', size: 50, members: 20 });
    const campaign = await sf.query<Rows<{ Id: string }>>(
      "SELECT Id FROM Campaign WHERE Name = 'Large Campaign'",
    );
    const id = campaign.body.records[0]!.Id;
    const rows = await sf.query<Rows<{ Status: string }>>(
      `SELECT Status FROM CampaignMember WHERE CampaignId = '${id}'`,
    );
    expect(rows.body.totalSize).toBe(20);
    expect(new Set(rows.body.records.map((r) => r.Status))).toEqual(new Set(['Sent']));
    emu.control.reset({ seed: 'large', size: 50 });
    expect((await sf.query<Rows<unknown>>('SELECT Id FROM CampaignMember')).body.totalSize).toBe(0);
  });
});
