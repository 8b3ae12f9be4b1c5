// lib/sync/fieldAccess.ts: which query errors mean "a mapped column vanished" (field-level security
// changed under the sync), and which mapped fields the sync user cannot read.
import { describe, expect, it } from 'vitest';
import type { SchemaRow } from '../../lib/db/types';
import { SalesforceApiError } from '../../lib/salesforce/errors';
import { defaultSettings } from '../../lib/settings/schema';
import { unreadableMappedFields, vanishedColumn } from '../../lib/sync/fieldAccess';

// Salesforce's message: the SOQL, a caret line, then the sentence (api-facts A10).
const invalidField = (column: string, entity: string) =>
  new SalesforceApiError(
    'INVALID_FIELD',
    `\nSELECT Id, ${column} FROM ${entity}\n           ^\nERROR at Row:1:Column:12\nNo such column '${column}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    'query',
    'request',
    400,
  );

describe('vanished column', () => {
  it('names the column and entity of an INVALID_FIELD query error', () => {
    expect(vanishedColumn(invalidField('Title', 'Lead'))).toEqual({ field: 'Title', entity: 'Lead' });
    expect(vanishedColumn(invalidField('Industry', 'Account'))).toEqual({
      field: 'Industry',
      entity: 'Account',
    });
  });

  it('is nothing for other errors, even with the same words', () => {
    const malformed = new SalesforceApiError(
      'MALFORMED_QUERY',
      "No such column 'Title' on entity 'Lead'",
      'query',
      'request',
      400,
    );
    expect(vanishedColumn(malformed)).toBeUndefined();
    expect(vanishedColumn(new Error("No such column 'Title' on entity 'Lead'"))).toBeUndefined();
    const other = new SalesforceApiError('INVALID_FIELD', 'Invalid field Foo__r', 'query', 'request', 400);
    expect(vanishedColumn(other)).toBeUndefined();
  });
});

describe('unreadable mapped fields', () => {
  const lead = defaultSettings().objects.Lead!;
  const schema = (names: string[]): SchemaRow => ({
    objectType: 'Lead',
    newFields: [],
    checkedAt: 0,
    fields: names.map((name) => ({
      name,
      label: name,
      type: 'string',
      readable: true,
      updateable: true,
      createable: true,
      calculated: false,
    })),
  });
  const all = lead.fields.map((f) => f.salesforceField);

  it('lists the mapped fields the describe leaves out, per direction', () => {
    expect(unreadableMappedFields(lead, schema(all))).toEqual([]);
    const withoutTitle = schema(all.filter((f) => f !== 'Title' && f !== 'Rating'));
    expect(unreadableMappedFields(lead, withoutTitle)).toEqual(['Title', 'Rating']);
    // Rating is mapped pull only: Push Updates does not leave it out.
    expect(unreadableMappedFields(lead, withoutTitle, ['push', 'both'])).toEqual(['Title']);
  });

  it('compares names as Salesforce does, without case', () => {
    expect(unreadableMappedFields(lead, schema(all.map((f) => f.toUpperCase())))).toEqual([]);
  });
});
