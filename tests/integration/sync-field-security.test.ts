// Field-level security changed after the first sync (issue 15): the admin takes the sync user's
// Read access to a mapped Lead field away. The emulator, like Salesforce, does not move the
// object's metadata date for that, so a describe with If-Modified-Since answers 304 and the stored
// schema keeps listing the field. Each cycle must still complete: the step that queries the column
// re-describes once, leaves the field out with a warning on its row, and the other fields sync.
// The options page's stored connection test must not keep saying every mapped field is readable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { settingsStorage } from '../../components/storage/settings';
import { connectionsView, testConnections } from '../../lib/connections/handlers';
import type { ConnectionPorts } from '../../lib/connections/ports';
import { detectSalesforceSession } from '../../lib/connections/salesforceConnection';
import { fieldAccessChangedAt } from '../../lib/db/schemaChecks';
import type { PreflightFinding } from '../../lib/messaging/connectionViews';
import { MemoryCookieJar } from '../../lib/salesforce/auth/cookieJar';
import { createSettingsStore } from '../../lib/settings/store';
import type { CycleReport } from '../../lib/sync';
import { type SyncHarness, startSyncHarness, stepOf } from './sync-harness';

const LEADS = 1_000;

let h: SyncHarness;
let ports: ConnectionPorts;
let ids: string[];

beforeAll(async () => {
  h = await startSyncHarness({ seed: 'empty' });
  fakeBrowser.reset();
  const jar = new MemoryCookieJar();
  const url = h.emu.info.salesforce.url;
  const login = await fetch(`${url}/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: 'sync.admin@emulator.example', pw: 'x' }).toString(),
    redirect: 'manual',
  });
  jar.setFromResponse(`${url}/login`, login);
  let stored: unknown;
  ports = {
    store: createSettingsStore(settingsStorage()),
    fetch: (input, init) => fetch(input, init),
    clock: h.clock,
    cookies: jar,
    findSalesforceTab: async () => `${url}/lightning/o/Lead/list`,
    launchWebAuthFlow: async () => '',
    oauthRedirectUri: 'https://abcdefghijklmnop.chromiumapp.org/oauth',
    fieldAccessChangedAt: () => fieldAccessChangedAt(h.db),
    lastTest: {
      get: async () => stored,
      set: async (report) => {
        stored = report;
      },
    },
  };
  await detectSalesforceSession(ports);
  // Users' orgs: an import stamps thousands of leads in one SystemModstamp second.
  ids = Array.from(
    { length: LEADS },
    (_, i) =>
      h.emu.control.sfCreate({
        object: 'Lead',
        fields: { Company: 'Acme', LastName: `Doe ${i}`, Title: 'CEO', Phone: '+31 20 000 0000' },
      }).id,
  );
});
afterAll(async () => h?.stop());

const personOf = (sfId: string) =>
  (h.emu.marketo.snapshot().leads as Record<string, unknown>[]).find((p) => p.sfdcLeadIdCustom === sfId);

function expectCompletedWithTitleWarning(report: CycleReport) {
  expect(report.cycle?.status, report.cycle?.error).toBe('Completed');
  expect(report.steps.filter((s) => s.status !== 'Completed')).toEqual([]);
  const pull = stepOf(report, 'Pull Updates', 'Person');
  expect(pull.warnings).toEqual([expect.stringContaining('Lead.Title')]);
  expect(pull.warnings?.[0]).toMatch(/cannot read it/);
  // The steps that leave the field out say so (Title is mapped both ways), and no other.
  const push = stepOf(report, 'Push Updates', 'Person');
  expect(push.warnings).toEqual(pull.warnings);
  expect(report.steps.filter((s) => s.warnings?.length).map((s) => s.id)).toEqual([pull.id, push.id]);
}

const titleFinding = (findings: PreflightFinding[] | undefined) =>
  findings?.filter((f) => f.object === 'Lead' && f.field === 'Title').map((f) => f.kind);

async function storedPreflight() {
  const sf = (await connectionsView(ports)).lastTest?.salesforce;
  if (!sf?.ok) throw new Error(`no passing Salesforce test: ${JSON.stringify(sf)}`);
  return sf.preflight;
}

describe('a mapped field hidden from the sync user after the first sync', () => {
  it('first sync and connection test: every lead synced, Title readable', async () => {
    const test = await testConnections(ports, 'salesforce');
    expect(test.salesforce?.ok).toBe(true);
    expect(titleFinding(await storedPreflight())).toEqual([]);
    const first = await h.cycle({ trigger: 'schedule' });
    expect(first.cycle?.status).toBe('Completed');
    expect(stepOf(first, 'Pull Updates', 'Person').new).toBe(LEADS);
    expect(personOf(ids[0]!)?.title).toBe('CEO');
  });

  it('the next scheduled cycle re-describes once, leaves Title out with a warning, and completes', async () => {
    h.emu.control.setFieldSecurity({ profile: 'admin', object: 'Lead', field: 'Title', access: 'hidden' });
    h.advance();
    h.emu.control.sfUpdate({ id: ids[1]!, fields: { FirstName: 'Renamed' } });
    h.emu.control.sfUpdate({ id: ids[2]!, fields: { Phone: '+31 20 123 4567' } });
    const before = h.sfCounter.total('salesforce');
    // Scheduled: the stored schema (minutes old) is fresh, so Sync Schema does not describe and
    // Pull Updates queries the column the sync user lost.
    const report = await h.cycle({ trigger: 'schedule' });
    expectCompletedWithTitleWarning(report);
    expect(
      h.logs.some((l) => /Lead\.Title does not exist for the sync user; re-described Lead/.test(l)),
    ).toBe(true);
    const pull = stepOf(report, 'Pull Updates', 'Person');
    expect(pull.updated).toBe(2);
    expect(pull.failed).toBe(0);
    expect(personOf(ids[1]!)?.firstName).toBe('Renamed');
    expect(personOf(ids[2]!)?.phone).toBe('+31 20 123 4567');
    // Marketo keeps the last title it had: a hidden field is not an emptied one.
    expect(personOf(ids[1]!)?.title).toBe('CEO');
    expect(h.sfCounter.total('salesforce') - before).toBeLessThan(30);
  });

  it('every following cycle completes with the same warning while the field stays hidden', async () => {
    for (const trigger of ['schedule', 'manual'] as const) {
      h.advance();
      const phone = `+31 20 555 000${trigger === 'manual' ? 1 : 2}`;
      h.emu.control.sfUpdate({ id: ids[3]!, fields: { Phone: phone } });
      const report = await h.cycle({ trigger });
      expectCompletedWithTitleWarning(report);
      expect(stepOf(report, 'Pull Updates', 'Person').updated).toBe(1);
      expect(personOf(ids[3]!)?.phone).toBe(phone);
    }
  });

  it("Test connection's pre-flight names the field as unreadable, also the report stored before the change", async () => {
    // The options page shows the stored report; it was taken while Title was readable.
    expect(titleFinding(await storedPreflight())).toEqual(['field-unreadable']);
    const again = await testConnections(ports, 'salesforce');
    if (!again.salesforce?.ok) throw new Error('test failed');
    const finding = again.salesforce.preflight?.find((f) => f.field === 'Title');
    expect(finding).toMatchObject({ kind: 'field-unreadable', severity: 'error', object: 'Lead' });
    expect(finding?.fix).toMatch(/field-level security/);
  });

  it('access given back: the next cycle syncs Title again, without a warning', async () => {
    h.emu.control.setFieldSecurity({ profile: 'admin', object: 'Lead', field: 'Title', access: 'edit' });
    h.advance();
    h.emu.control.sfUpdate({ id: ids[4]!, fields: { Title: 'CFO' } });
    const report = await h.cycle({ trigger: 'schedule' });
    expect(report.cycle?.status).toBe('Completed');
    expect(report.steps.filter((s) => s.warnings?.length)).toEqual([]);
    expect(personOf(ids[4]!)?.title).toBe('CFO');
    expect(titleFinding(await storedPreflight())).toEqual([]);
  });
});

describe('a Reconcile that is the first to query the hidden column', () => {
  let r: SyncHarness;
  beforeAll(async () => {
    r = await startSyncHarness({ seed: 'empty' });
  });
  afterAll(async () => r?.stop());

  it('re-describes once, compares the other fields, and completes with the warning', async () => {
    const leads = Array.from(
      { length: 300 },
      (_, i) =>
        r.emu.control.sfCreate({
          object: 'Lead',
          fields: { Company: 'Acme', LastName: `Roe ${i}`, Title: 'CTO' },
        }).id,
    );
    expect((await r.cycle({ trigger: 'schedule' })).cycle?.status).toBe('Completed');
    r.emu.control.setFieldSecurity({ profile: 'admin', object: 'Lead', field: 'Title', access: 'hidden' });
    r.advance();
    // Nothing changed in Salesforce: Pull Updates reads nothing, so Reconcile's full read is the
    // first query that names Title.
    const report = await r.cycle({ trigger: 'schedule', reconcile: true });
    expect(report.cycle?.status, report.cycle?.error).toBe('Completed');
    expect(report.steps.filter((s) => s.status !== 'Completed')).toEqual([]);
    const check = stepOf(report, 'Reconcile', 'Person');
    expect(check.warnings).toEqual([
      expect.stringContaining('Lead.Title is mapped but the sync user cannot read it'),
    ]);
    expect(r.logs.filter((l) => /re-described Lead/.test(l))).toHaveLength(1);
    expect(
      r.logs.some((l) => new RegExp(`Reconcile Lead, Contact: compared ${leads.length}\\b`).test(l)),
    ).toBe(true);
  });
});
