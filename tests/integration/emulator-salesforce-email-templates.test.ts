// EmailTemplate and Folder over real HTTP (issue 20; docs/email-templates.md): create through REST
// and sObject Collections with the fields a sync needs, DeveloperName defaulted, checked and unique,
// the folder rules (an Email folder the user may write, or the user's own personal folder), the
// 384 KB bodies, malformed merge fields refused per field, describe and SOQL.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { type SfTestClient, sfClient } from '../../emulator/testing';

type Saved = {
  id?: string;
  success: boolean;
  errors: { statusCode: string; message: string; fields: string[] }[];
};

let emu: Emulator;
let sf: SfTestClient;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'empty' });
  sf = sfClient(emu.info);
});
beforeEach(() => {
  emu.control.reset({ seed: 'empty' });
});
afterAll(() => emu.stop());

const folder = (fields: Record<string, unknown> = {}) =>
  emu.control.sfCreate({ object: 'Folder', fields: { Name: 'Sales Emails', Type: 'Email', ...fields } }).id;
const template = (folderId: string, fields: Record<string, unknown> = {}) => ({
  attributes: { type: 'EmailTemplate' },
  Name: 'Spring Promo',
  DeveloperName: 'Spring_Promo',
  FolderId: folderId,
  TemplateType: 'custom',
  Subject: 'Spring is here, {!Contact.FirstName}',
  HtmlValue: '<html><body><p>Hi {!Contact.FirstName}</p></body></html>',
  Body: 'Hi {!Contact.FirstName}',
  IsActive: true,
  ...fields,
});
async function createAll(records: unknown[], client = sf): Promise<Saved[]> {
  const res = await client.request<Saved[]>('POST', 'composite/sobjects', { allOrNone: false, records });
  expect(res.status).toBe(200);
  return res.body;
}

describe('EmailTemplate', () => {
  it('is created with the fields a sync writes, read back by SOQL, described with its folder lookup', async () => {
    const folderId = folder();
    const one = await sf.request<{ id: string; success: boolean }>(
      'POST',
      'sobjects/EmailTemplate',
      template(folderId),
    );
    expect(one.status).toBe(201);
    const rows = await sf.query<{ records: Record<string, unknown>[] }>(
      `SELECT Id, Name, DeveloperName, FolderId, Folder.Name, TemplateType, Subject, HtmlValue, Body, IsActive FROM EmailTemplate WHERE DeveloperName = 'Spring_Promo'`,
    );
    expect(rows.body.records[0]).toMatchObject({
      Id: one.body.id,
      FolderId: folderId,
      Folder: { Name: 'Sales Emails' },
      TemplateType: 'custom',
      Subject: 'Spring is here, {!Contact.FirstName}',
      IsActive: true,
    });
    const described = await sf.get<{
      fields: { name: string; type: string; length: number; referenceTo: string[] }[];
    }>('sobjects/EmailTemplate/describe');
    const byName = new Map(described.body.fields.map((f) => [f.name, f]));
    expect(byName.get('HtmlValue')).toMatchObject({ type: 'textarea', length: 384000 });
    expect(byName.get('FolderId')).toMatchObject({ type: 'reference', referenceTo: ['Folder', 'User'] });
    const folders = await sf.query<{ records: { Id: string; Type: string }[] }>(
      "SELECT Id, Name, Type FROM Folder WHERE Type = 'Email'",
    );
    expect(folders.body.records.map((f) => f.Id)).toEqual([folderId]);
  });

  it('defaults DeveloperName from Name, refuses a malformed or taken one', async () => {
    const folderId = folder();
    const results = await createAll([
      template(folderId, { Name: 'Spring Promo! 2026', DeveloperName: undefined }),
      template(folderId, { DeveloperName: 'Bad__Name' }),
      template(folderId, { DeveloperName: 'Trailing_' }),
      template(folderId, { DeveloperName: '9Lives' }),
    ]);
    expect(results[0]).toMatchObject({ success: true });
    const made = emu.control.sfGet({ id: results[0]!.id! });
    expect(made?.DeveloperName).toBe('Spring_Promo_2026');
    for (const r of results.slice(1))
      expect(r).toMatchObject({
        success: false,
        errors: [{ statusCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['DeveloperName'] }],
      });
    const again = await createAll([template(folderId, { DeveloperName: 'spring_promo_2026' })]);
    expect(again[0]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'DUPLICATE_DEVELOPER_NAME', fields: ['DeveloperName'] }],
    });
  });

  it('writes only to an Email folder the user may write, or the user’s own personal folder', async () => {
    const email = folder();
    const reports = folder({ Name: 'Reports', Type: 'Report' });
    const readOnly = folder({ Name: 'Locked' });
    emu.core.org.store.update(readOnly, { IsReadonly: true }, emu.core.org.principals.adminUserId);
    const hidden = emu.control.sfCreate({
      object: 'Folder',
      fields: { Name: 'Private', Type: 'Email', AccessType: 'Hidden' },
      asUser: 'admin',
    }).id;
    const standard = emu.control.sfCreateSession({ user: 'standard' });
    const asStandard = sfClient({ ...emu.info, salesforce: { ...emu.info.salesforce, sid: standard.sid } });
    const admin = emu.core.org.principals.adminUserId;
    const results = await createAll(
      [
        template(email, { DeveloperName: 'A' }),
        template(reports, { DeveloperName: 'B' }),
        template(readOnly, { DeveloperName: 'C' }),
        template(hidden, { DeveloperName: 'D' }),
        template(standard.userId, { DeveloperName: 'E' }),
        template(admin, { DeveloperName: 'F' }),
        template('00l000000000000AAA', { DeveloperName: 'G' }),
        template(email, { DeveloperName: 'H', FolderId: undefined }),
      ],
      asStandard,
    );
    expect(results.map((r) => (r.success ? 'ok' : r.errors[0]!.statusCode))).toEqual([
      'ok',
      'FIELD_INTEGRITY_EXCEPTION',
      'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
      'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
      'ok',
      'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
      'INVALID_CROSS_REFERENCE_KEY',
      'REQUIRED_FIELD_MISSING',
    ]);
    expect(results.slice(1, 7).every((r) => r.success || r.errors[0]!.fields[0] === 'FolderId')).toBe(true);
  });

  it('refuses bodies over 384 KB and malformed merge fields per field, on create and update', async () => {
    const folderId = folder();
    const results = await createAll([
      template(folderId, { DeveloperName: 'Big', HtmlValue: 'x'.repeat(384_001) }),
      template(folderId, { DeveloperName: 'Html', HtmlValue: '<p>Hi {!Contact.FirstName</p>' }),
      template(folderId, { DeveloperName: 'Text', Body: 'Hi {!Contact.FirstName' }),
      template(folderId, { DeveloperName: 'Subj', Subject: 'Hi {!}' }),
      template(folderId, {
        DeveloperName: 'Fine',
        HtmlValue: 'x'.repeat(384_000),
        Body: 'Hi {{lead.First Name}}',
      }),
      template(folderId, { DeveloperName: 'Html2', TemplateType: 'html' }),
    ]);
    expect(
      results.map((r) => (r.success ? 'ok' : `${r.errors[0]!.statusCode} ${r.errors[0]!.fields}`)),
    ).toEqual([
      'STRING_TOO_LONG HtmlValue',
      'FIELD_INTEGRITY_EXCEPTION HtmlValue',
      'FIELD_INTEGRITY_EXCEPTION Body',
      'FIELD_INTEGRITY_EXCEPTION Subject',
      'ok',
      'REQUIRED_FIELD_MISSING BrandTemplateId',
    ]);
    expect(results[1]!.errors[0]!.message).toBe(
      'The HTML Email Content contains improperly formatted merge fields. Please check the format of all the merge fields to ensure they start with {! and end with }.',
    );
    const update = await sf.request<Saved[]>('PATCH', 'composite/sobjects', {
      allOrNone: false,
      records: [
        {
          attributes: { type: 'EmailTemplate' },
          Id: results[4]!.id,
          Body: 'Bye {!Lead.Name',
          IsActive: false,
        },
      ],
    });
    expect(update.body[0]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['Body'] }],
    });
  });
});
