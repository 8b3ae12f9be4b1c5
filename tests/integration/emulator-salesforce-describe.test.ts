// Describe global and per object, with the connected user's field-level security, formula and
// picklist metadata, and If-Modified-Since → 304.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { sfClient } from '../../emulator/testing';

interface FieldDescribe {
  name: string;
  type: string;
  createable: boolean;
  updateable: boolean;
  calculated: boolean;
  calculatedFormula: string | null;
  nillable: boolean;
  picklistValues: { value: string; active: boolean; defaultValue: boolean }[];
  restrictedPicklist: boolean;
  referenceTo: string[];
  relationshipName: string | null;
  externalId: boolean;
  unique: boolean;
}
interface SObjectDescribe {
  name: string;
  keyPrefix: string;
  custom: boolean;
  fields: FieldDescribe[];
  urls: Record<string, string>;
}

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'empty' });
});
afterAll(() => emu.stop());

const fieldOf = (d: SObjectDescribe, name: string) => d.fields.find((f) => f.name === name);

describe('describe', () => {
  it('lists every emulated object in describe global with its key prefix', async () => {
    const res = await sfClient(emu.info).get<{
      encoding: string;
      maxBatchSize: number;
      sobjects: SObjectDescribe[];
    }>('sobjects');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ encoding: 'UTF-8', maxBatchSize: 200 });
    const prefixes = Object.fromEntries(res.body.sobjects.map((s) => [s.name, s.keyPrefix]));
    expect(prefixes).toMatchObject({
      Lead: '00Q',
      Contact: '003',
      Account: '001',
      Opportunity: '006',
      OpportunityContactRole: '00K',
      Campaign: '701',
      CampaignMember: '00v',
      CampaignMemberStatus: '01Y',
      Task: '00T',
      Event: '00U',
      User: '005',
      EmailTemplate: '00X',
      Subscription__c: 'a0B',
    });
    expect(res.body.sobjects.find((s) => s.name === 'Subscription__c')!.custom).toBe(true);
  });

  it.each(['Lead', 'Contact'])(
    'describes %s with formula, hidden, read-only, filter checkbox and picklist fields',
    async (object) => {
      const res = await sfClient(emu.info).get<SObjectDescribe>(`sobjects/${object}/describe`);
      expect(res.status).toBe(200);
      const d = res.body;
      expect(fieldOf(d, 'Internal_Notes__c')).toBeUndefined();
      expect(fieldOf(d, 'Territory__c')).toMatchObject({
        createable: false,
        updateable: false,
        calculated: false,
      });
      expect(fieldOf(d, 'Email_Domain__c')).toMatchObject({
        calculated: true,
        createable: false,
        updateable: false,
        type: 'string',
      });
      expect(fieldOf(d, 'Email_Domain__c')!.calculatedFormula).toContain('Email');
      expect(fieldOf(d, 'Do_Not_Sync_to_Marketo__c')).toMatchObject({
        type: 'boolean',
        updateable: true,
        nillable: false,
      });
      expect(fieldOf(d, 'Product_Interest__c')).toMatchObject({ type: 'picklist', restrictedPicklist: true });
      expect(fieldOf(d, 'Product_Interest__c')!.picklistValues.map((p) => p.value)).toEqual([
        'Analytics',
        'Automation',
        'Integration',
        'Support',
      ]);
      expect(fieldOf(d, 'External_Id__c')).toMatchObject({ externalId: true, unique: true });
      expect(fieldOf(d, 'Id')).toMatchObject({ type: 'id', updateable: false });
      expect(fieldOf(d, 'SystemModstamp')).toMatchObject({
        type: 'datetime',
        createable: false,
        updateable: false,
      });
      expect(fieldOf(d, 'LastName')).toMatchObject({ nillable: false, createable: true });
      expect(d.urls.rowTemplate).toBe(`/services/data/v62.0/sobjects/${object}/{ID}`);
    },
  );

  it('marks the lead conversion fields read-only and polymorphic lookups on Task', async () => {
    const lead = (await sfClient(emu.info).get<SObjectDescribe>('sobjects/Lead/describe')).body;
    for (const name of [
      'IsConverted',
      'ConvertedDate',
      'ConvertedAccountId',
      'ConvertedContactId',
      'ConvertedOpportunityId',
    ]) {
      expect(fieldOf(lead, name)).toMatchObject({ createable: false, updateable: false });
    }
    expect(fieldOf(lead, 'ConvertedContactId')).toMatchObject({
      referenceTo: ['Contact'],
      relationshipName: 'ConvertedContact',
    });
    const task = (await sfClient(emu.info).get<SObjectDescribe>('sobjects/Task/describe')).body;
    expect(fieldOf(task, 'WhoId')!.referenceTo).toEqual(['Contact', 'Lead']);
  });

  it('answers 304 to If-Modified-Since until a field is added', async () => {
    const sf = sfClient(emu.info);
    const first = await sf.get('sobjects/Lead/describe');
    const since = first.headers.get('last-modified')!;
    expect(since).toBeTruthy();
    const later = new Date(Date.now() + 1000).toUTCString();
    const cached = await sf.get('sobjects/Lead/describe', { 'If-Modified-Since': later });
    expect(cached.status).toBe(304);
    expect(cached.body).toBe('');
    expect((await sf.get('sobjects', { 'If-Modified-Since': later })).status).toBe(304);
    emu.control.advanceTime({ ms: 5000 });
    emu.control.addField({ object: 'Lead', name: 'Webinar_Count__c', type: 'double' });
    const changed = await sf.get<SObjectDescribe>('sobjects/Lead/describe', { 'If-Modified-Since': later });
    expect(changed.status).toBe(200);
    expect(fieldOf(changed.body, 'Webinar_Count__c')).toMatchObject({ type: 'double', updateable: true });
  });

  it('a field-level security edit leaves If-Modified-Since at 304; only a full describe shows it', async () => {
    const sf = sfClient(emu.info);
    const since = (await sf.get('sobjects/Contact/describe')).headers.get('last-modified')!;
    emu.control.advanceTime({ ms: 5000 });
    emu.control.setFieldSecurity({ object: 'Contact', field: 'Title', access: 'hidden' });
    try {
      expect((await sf.get('sobjects/Contact/describe', { 'If-Modified-Since': since })).status).toBe(304);
      const full = await sf.get<SObjectDescribe>('sobjects/Contact/describe');
      expect(full.status).toBe(200);
      expect(fieldOf(full.body, 'Title')).toBeUndefined();
    } finally {
      emu.control.setFieldSecurity({ object: 'Contact', field: 'Title', access: 'edit' });
    }
  });

  it('answers 404 NOT_FOUND for an unknown object', async () => {
    const res = await sfClient(emu.info).get('sobjects/Widget__c/describe');
    expect(res.status).toBe(404);
    expect(res.body).toEqual([{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
  });
});
