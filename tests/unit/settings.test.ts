import { describe, expect, it } from 'vitest';
import {
  connectionSettingsSchema,
  defaultSettings,
  describeIssues,
  marketoBaseUrl,
  marketoEndpointSchema,
  parseSettings,
  parseWithIssues,
  SETTINGS_VERSION,
  STANDARD_SYNC_OBJECTS,
  secretsSchema,
} from '../../lib/settings';

function errorsOf(input: unknown) {
  const parsed = parseSettings(input);
  if (parsed.ok) throw new Error('expected the settings to be refused');
  return parsed.errors;
}

describe('sync settings schema', () => {
  it('fills every field with the design defaults', () => {
    const settings = defaultSettings();
    expect(settings).toMatchObject({
      version: SETTINGS_VERSION,
      intervalMinutes: 5,
      paused: false,
      syncFilterField: 'Do_Not_Sync_to_Marketo__c',
      personLabel: 'Lead',
      retentionDays: 5,
      apiBudget: { salesforceDailyShare: 0.5, marketoDailyCalls: 10_000 },
      notifyOnFailure: true,
      retry: { maxAttempts: 5, backoffBaseMinutes: 5 },
    });
    expect(settings.taskActivityTypes.map((t) => t.id)).toEqual([2, 11]);
    expect(settings.changeThresholds).toEqual([{ field: 'leadScore', minDelta: 5 }]);
    const enabled = STANDARD_SYNC_OBJECTS.filter((name) => settings.objects[name]?.enabled);
    expect(enabled).toEqual(['Lead', 'Contact', 'Account']);
    expect(settings.objects.Lead?.fields).toContainEqual({
      salesforceField: 'Email',
      marketoField: 'email',
      direction: 'both',
    });
    expect(settings.objects.Account?.fields).toContainEqual({
      salesforceField: 'Name',
      marketoField: 'company',
      direction: 'pull',
    });
    expect(settings.objects.Lead?.conflictWinner).toBe('salesforce');
  });

  it('is plain JSON data that parses back to itself', () => {
    const settings = defaultSettings();
    const roundTrip = JSON.parse(JSON.stringify(settings));
    expect(parseSettings(roundTrip)).toEqual({ ok: true, value: settings });
  });

  it('hands out fresh defaults each time, so editing one copy leaves the next alone', () => {
    const first = defaultSettings();
    first.objects.Lead?.fields.splice(0);
    first.taskActivityTypes.push({ id: 1, name: 'Visit Webpage' });
    const second = defaultSettings();
    expect(second.objects.Lead?.fields.length).toBeGreaterThan(0);
    expect(second.taskActivityTypes).toHaveLength(2);
  });

  it('refuses a wrong type and names the field', () => {
    expect(errorsOf({ intervalMinutes: '5' })).toEqual([
      { path: 'intervalMinutes', message: expect.stringContaining('expected number') },
    ]);
    expect(errorsOf({ apiBudget: { salesforceDailyShare: 'half' } })[0]?.path).toBe(
      'apiBudget.salesforceDailyShare',
    );
  });

  it('refuses values out of range and names the field', () => {
    expect(errorsOf({ intervalMinutes: 0 })[0]).toMatchObject({ path: 'intervalMinutes' });
    expect(errorsOf({ intervalMinutes: 61 })[0]).toMatchObject({ path: 'intervalMinutes' });
    expect(errorsOf({ intervalMinutes: 2.5 })[0]).toMatchObject({ path: 'intervalMinutes' });
    expect(errorsOf({ retentionDays: 91 })[0]).toMatchObject({ path: 'retentionDays' });
    expect(errorsOf({ apiBudget: { salesforceDailyShare: 1.5 } })[0]).toMatchObject({
      path: 'apiBudget.salesforceDailyShare',
    });
    expect(
      errorsOf({ taskActivityTypes: Array.from({ length: 11 }, (_, i) => ({ id: i + 1, name: 'x' })) })[0],
    ).toMatchObject({ path: 'taskActivityTypes' });
  });

  it('refuses an unknown key, at any depth, naming it', () => {
    expect(errorsOf({ intervalMinute: 5 })).toEqual([{ path: 'intervalMinute', message: 'unknown setting' }]);
    expect(errorsOf({ retry: { maxAttempts: 3, jitter: true } })).toEqual([
      { path: 'retry.jitter', message: 'unknown setting' },
    ]);
  });

  it('names the exact mapping row and field that is wrong', () => {
    const fields = [
      { salesforceField: 'Email', marketoField: 'email', direction: 'both' },
      { salesforceField: 'Title', marketoField: 'title', direction: 'sideways' },
    ];
    expect(errorsOf({ objects: { Lead: { enabled: true, fields } } })).toEqual([
      { path: 'objects.Lead.fields[1].direction', message: expect.stringContaining('"pull"') },
    ]);
    expect(errorsOf({ objects: { Lead: { enabled: 'yes' } } })[0]?.path).toBe('objects.Lead.enabled');
  });

  it('accepts custom objects and refuses names that are neither standard nor custom', () => {
    expect(parseSettings({ objects: { Invoice__c: { enabled: false } } }).ok).toBe(true);
    const target = { Invoice__c: { marketoObject: 'invoice_c', linkFields: ['Contact__c'] } };
    expect(parseSettings({ objects: { Invoice__c: { enabled: true } }, customObjects: target }).ok).toBe(
      true,
    );
    expect(errorsOf({ objects: { Leed: { enabled: true } } })).toEqual([
      { path: 'objects.Leed', message: expect.stringContaining('not an object the sync handles') },
    ]);
  });

  it('refuses a custom object switched on without its Marketo object or a link field', () => {
    expect(errorsOf({ objects: { Invoice__c: { enabled: true } } })).toEqual([
      {
        path: 'customObjects.Invoice__c',
        message: expect.stringContaining('without a Marketo custom object'),
      },
    ]);
    const noLink = { Invoice__c: { marketoObject: 'invoice_c', linkFields: [] } };
    expect(errorsOf({ objects: { Invoice__c: { enabled: true } }, customObjects: noLink })).toEqual([
      { path: 'customObjects.Invoice__c.linkFields', message: expect.stringContaining('needs a link field') },
    ]);
    expect(errorsOf({ customObjects: { Invoice: { marketoObject: 'x' } } })[0]?.path).toBe(
      'customObjects.Invoice',
    );
  });

  it('refuses a newer version than it knows', () => {
    expect(errorsOf({ version: SETTINGS_VERSION + 1 })[0]?.path).toBe('version');
  });

  it('allows the sync filter to be switched off, but not set to a non-field', () => {
    expect(parseSettings({ syncFilterField: null }).ok).toBe(true);
    expect(errorsOf({ syncFilterField: 'Do Not Sync' })[0]?.path).toBe('syncFilterField');
  });

  it('describes errors as one line naming each field', () => {
    expect(describeIssues(errorsOf({ intervalMinutes: 0, foo: 1 }))).toMatch(
      /^intervalMinutes: .+; foo: unknown setting$/,
    );
  });
});

describe('connection settings', () => {
  it('takes a Munchkin id, a bare host or the endpoint with /rest, and stores the endpoint', () => {
    for (const input of [
      '284-RPR-133',
      'https://284-RPR-133.mktorest.com',
      'https://284-rpr-133.mktorest.com/rest/',
    ]) {
      const endpoint = marketoEndpointSchema.parse(input);
      expect(endpoint).toBe('https://284-rpr-133.mktorest.com/rest');
    }
    expect(marketoBaseUrl('https://284-RPR-133.mktorest.com/rest')).toBe('https://284-RPR-133.mktorest.com');
  });

  it('accepts the emulator on a loopback port', () => {
    expect(marketoEndpointSchema.parse('http://127.0.0.1:4567/rest')).toBe('http://127.0.0.1:4567/rest');
    expect(marketoEndpointSchema.parse('http://localhost:4567')).toBe('http://localhost:4567/rest');
  });

  it('refuses other hosts, plain http and wrong paths, naming the field', () => {
    for (const bad of [
      'http://284-RPR-133.mktorest.com/rest',
      'https://evil.example.com/rest',
      'https://284-RPR-133.mktorest.com/identity',
      'http://127.0.0.1/rest',
      '284RPR133',
    ]) {
      const parsed = parseWithIssues(connectionSettingsSchema, { marketo: { restEndpoint: bad } });
      expect(parsed.ok, bad).toBe(false);
      if (!parsed.ok) expect(parsed.errors[0]?.path).toBe('marketo.restEndpoint');
    }
  });

  it('normalises Salesforce URLs to their origin and refuses non-Salesforce hosts', () => {
    const parsed = connectionSettingsSchema.parse({
      salesforce: { mode: 'oauth', instanceUrl: 'https://acme.my.salesforce.com/lightning/page/home' },
    });
    expect(parsed.salesforce.instanceUrl).toBe('https://acme.my.salesforce.com');
    expect(parsed.salesforce.loginHost).toBe('https://login.salesforce.com');
    const bad = parseWithIssues(connectionSettingsSchema, {
      salesforce: { instanceUrl: 'https://acme.my.salesforce.com.evil.io', orgId: '001000000000001' },
    });
    expect(bad.ok ? [] : bad.errors.map((e) => e.path)).toEqual([
      'salesforce.instanceUrl',
      'salesforce.orgId',
    ]);
  });

  it('has no field for a secret; secrets have their own schema', () => {
    const withSecret = parseWithIssues(connectionSettingsSchema, { marketo: { clientSecret: 's3cret' } });
    expect(withSecret).toEqual({
      ok: false,
      errors: [{ path: 'marketo.clientSecret', message: 'unknown setting' }],
    });
    expect(secretsSchema.parse({ marketo: { clientSecret: 's3cret' } }).marketo.clientSecret).toBe('s3cret');
  });
});

describe('field mappings the sync cannot honour are refused, naming the field', () => {
  const withLead = (fields: { salesforceField: string; marketoField: string; direction: string }[]) => ({
    objects: { Lead: { enabled: true, fields } },
  });

  it('two Salesforce fields written into one Marketo field', () => {
    const errors = errorsOf(
      withLead([
        { salesforceField: 'Title', marketoField: 'title', direction: 'both' },
        { salesforceField: 'Phone', marketoField: 'title', direction: 'pull' },
      ]),
    );
    expect(errors).toEqual([
      {
        path: 'objects.Lead.fields[1].marketoField',
        message: 'Marketo field title is already written from Title',
      },
    ]);
  });

  it('two Marketo fields written into one Salesforce field (case-insensitive API names)', () => {
    const errors = errorsOf(
      withLead([
        { salesforceField: 'Title', marketoField: 'title', direction: 'push' },
        { salesforceField: 'title', marketoField: 'jobTitle', direction: 'both' },
      ]),
    );
    expect(errors.map((e) => e.path)).toEqual(['objects.Lead.fields[1].salesforceField']);
  });

  it('one source read into two targets, and a one-way pair in opposite directions, are fine', () => {
    const parsed = parseSettings(
      withLead([
        { salesforceField: 'Title', marketoField: 'title', direction: 'pull' },
        { salesforceField: 'Title', marketoField: 'jobTitle', direction: 'pull' },
        { salesforceField: 'Phone', marketoField: 'phone', direction: 'push' },
        { salesforceField: 'MobilePhone', marketoField: 'phone', direction: 'pull' },
      ]),
    );
    expect(parsed.ok).toBe(true);
  });

  it('link and id fields cannot be mapped unless the direction is none', () => {
    const errors = errorsOf(
      withLead([
        { salesforceField: 'Id', marketoField: 'sfdcLeadId', direction: 'pull' },
        { salesforceField: 'Title', marketoField: 'sfdcContactIdCustom', direction: 'both' },
        { salesforceField: 'Company', marketoField: 'id', direction: 'none' },
      ]),
    );
    expect(errors.map((e) => e.path)).toEqual([
      'objects.Lead.fields[0].marketoField',
      'objects.Lead.fields[0].salesforceField',
      'objects.Lead.fields[1].marketoField',
    ]);
    expect(errors[0]!.message).toContain('links the person to Salesforce');
  });
});

describe('email templates (issue 20)', () => {
  it('refuses the switch on without folders on both sides, naming each field', () => {
    const parsed = parseSettings({
      objects: { ...defaultSettings().objects, EmailTemplate: { enabled: true } },
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const paths = parsed.errors.map((e) => e.path);
    expect(paths).toContain('emailTemplates.marketoFolders');
    expect(paths).toContain('emailTemplates.salesforceFolderId');
  });

  it('takes a Marketo folder and a Salesforce email folder', () => {
    const parsed = parseSettings({
      objects: { ...defaultSettings().objects, EmailTemplate: { enabled: true } },
      emailTemplates: {
        marketoFolders: [{ id: 12, type: 'Folder', name: 'Sales emails' }],
        salesforceFolderId: '00l000000000001AAA',
      },
    });
    expect(parsed.ok).toBe(true);
    expect(parseSettings({ emailTemplates: { salesforceFolderId: '001000000000001AAA' } }).ok).toBe(false);
  });
});
