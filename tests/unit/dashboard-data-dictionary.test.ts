import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import {
  DICTIONARY_CSV_COLUMNS,
  dataDictionary,
  dictionaryCsv,
  fieldChangeCounts,
} from '../../lib/dashboard/dataDictionary';
import { finishStep, startCycle, startStep } from '../../lib/db/lifecycle';
import type { SchemaFieldInfo, SchemaRow } from '../../lib/db/types';
import { writeBatch } from '../../lib/db/writeBatch';
import { toId18 } from '../../lib/salesforce/ids';
import { defaultSettings } from '../../lib/settings/schema';
import { MARKETO_LEAD_SCHEMA } from '../../lib/sync/schemaCache';
import { freshDb } from './db-fixtures';

const field = (name: string, extra: Partial<SchemaFieldInfo> = {}): SchemaFieldInfo => ({
  name,
  label: `${name} label`,
  type: 'string',
  readable: true,
  updateable: true,
  createable: true,
  calculated: false,
  ...extra,
});
const schema = (objectType: string, fields: SchemaFieldInfo[]): SchemaRow => ({
  objectType,
  fields,
  newFields: [],
  checkedAt: 0,
});

describe('the data dictionary', () => {
  const settings = defaultSettings();
  settings.objects.Account!.enabled = false;
  settings.objects.Contact!.enabled = false;
  settings.objects.Lead!.fields = [
    { salesforceField: 'Email', marketoField: 'email', direction: 'both' },
    { salesforceField: 'Title', marketoField: 'title', direction: 'push' },
    { salesforceField: 'Internal_Notes__c', marketoField: 'syncNotes', direction: 'pull' },
    { salesforceField: 'Email_Domain__c', marketoField: 'site', direction: 'pull' },
    { salesforceField: 'Fax', marketoField: 'fax', direction: 'none' },
  ];
  const schemas = new Map([
    [
      'Lead',
      schema('Lead', [
        field('Email', { type: 'email' }),
        field('Title', { updateable: false }),
        field('Email_Domain__c', { calculated: true, updateable: false }),
      ]),
    ],
    [MARKETO_LEAD_SCHEMA, schema(MARKETO_LEAD_SCHEMA, [field('email', { label: 'Email Address' })])],
  ]);

  it('lists every synced field of the enabled objects with what the sync user may do with it', () => {
    const rows = dataDictionary(settings, schemas, new Map([['Lead.Email', { count: 3, last: 42 }]]));
    expect(rows.map((r) => [r.apiName, r.direction, r.formula, r.hidden, r.readOnly, r.changes])).toEqual([
      ['Email', 'both', false, false, false, 3],
      ['Title', 'push', false, false, true, 0],
      // Absent from the sync user's describe: hidden from it.
      ['Internal_Notes__c', 'pull', false, true, false, 0],
      ['Email_Domain__c', 'pull', true, false, true, 0],
    ]);
    expect(rows[0]).toMatchObject({
      label: 'Email label',
      type: 'email',
      marketoLabel: 'Email Address',
      lastChange: 42,
    });
  });

  it('says "unknown" for field access before the first describe', () => {
    const [row] = dataDictionary(settings, new Map(), new Map());
    expect(row?.label).toBe('Email');
    expect([row?.hidden, row?.readOnly]).toEqual([undefined, undefined]);
    expect(Papa.parse<string[]>(dictionaryCsv([row!]).slice(1)).data[1]?.slice(8, 10)).toEqual([
      'unknown',
      'unknown',
    ]);
  });

  it('writes one CSV row per synced field, formula-safe', () => {
    const rows = dataDictionary(settings, schemas, new Map());
    rows[0]!.label = '=HYPERLINK("http://evil")';
    const parsed = Papa.parse<string[]>(dictionaryCsv(rows).replace(/^\uFEFF/, ''), {
      skipEmptyLines: true,
    }).data;
    expect(parsed[0]).toEqual([...DICTIONARY_CSV_COLUMNS]);
    expect(parsed).toHaveLength(1 + 4);
    expect(parsed[1]?.[1]).toBe(`'=HYPERLINK("http://evil")`);
    expect(parsed[2]?.slice(0, 5)).toEqual([
      'Lead',
      'Title label',
      'Title',
      'string',
      'Marketo → Salesforce',
    ]);
  });

  it('counts each field’s writes in the log, either way, with the newest', async () => {
    const db = freshDb();
    const lead = toId18('00QRO0000000001');
    const contact = toId18('003RO0000000001');
    for (const [at, operation, changes] of [
      [1000, 'Pull Updates', ['Email', 'Title']],
      [2000, 'Push Updates', ['Title']],
    ] as const) {
      const cycleId = await startCycle(db, { trigger: 'schedule', at });
      const stepId = await startStep(db, { cycleId, operation, objectType: 'Person', at });
      await writeBatch(db, {
        cycleId,
        stepId,
        operation,
        objectType: 'Person',
        at,
        outcomes: [
          {
            sfId: lead,
            outcome: 'updated',
            changes: changes.map((f) => ({ field: f, old: null, new: 'x' })),
          },
          { sfId: contact, outcome: 'updated', changes: [{ field: 'Title', old: null, new: 'y' }] },
          { sfId: lead, outcome: 'skipped' },
        ],
      });
      await finishStep(db, stepId, { status: 'Completed', at });
    }
    expect(Object.fromEntries(await fieldChangeCounts(db))).toEqual({
      'Lead.Email': { count: 1, last: 1000 },
      'Lead.Title': { count: 2, last: 2000 },
      'Contact.Title': { count: 2, last: 2000 },
    });
  });
});
