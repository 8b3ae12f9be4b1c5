// The options page's email template folders (issue 20) against the demo org over real HTTP:
// Marketo's Design Studio email folders and programs (each root found by name, then browsed), and
// Salesforce's Email folders; a choice makes valid settings as it is; a side not connected is
// reported without hiding the other.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { settingsStorage } from '../../components/storage/settings';
import { type Emulator, startEmulator } from '../../emulator/index';
import { emailFolderChoices } from '../../lib/connections/emailFolderChoices';
import { saveMarketoConnection } from '../../lib/connections/marketoConnection';
import type { ConnectionPorts } from '../../lib/connections/ports';
import { detectSalesforceSession } from '../../lib/connections/salesforceConnection';
import { systemClock } from '../../lib/http/ports';
import { MemoryCookieJar } from '../../lib/salesforce/auth/cookieJar';
import { defaultSettings, parseSettings } from '../../lib/settings';
import { createSettingsStore, type SettingsStore } from '../../lib/settings/store';

let emu: Emulator;
let store: SettingsStore;
let jar: MemoryCookieJar;
let tabUrl: string | undefined;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo' });
});
afterAll(async () => emu?.stop());
beforeEach(() => {
  fakeBrowser.reset();
  store = createSettingsStore(settingsStorage());
  jar = new MemoryCookieJar();
  tabUrl = undefined;
});

const ports = (): ConnectionPorts => ({
  store,
  fetch: (input, init) => fetch(input, init),
  clock: systemClock,
  cookies: jar,
  findSalesforceTab: async () => tabUrl,
  launchWebAuthFlow: async () => '',
  oauthRedirectUri: 'https://abcdefghijklmnop.chromiumapp.org/oauth',
  lastTest: { get: async () => undefined, set: async () => {} },
});

async function connectBoth() {
  const url = emu.info.salesforce.url;
  const response = await fetch(`${url}/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: 'sync.admin@emulator.example', pw: 'x' }).toString(),
    redirect: 'manual',
  });
  jar.setFromResponse(`${url}/login`, response);
  tabUrl = `${url}/lightning/o/Lead/list`;
  await detectSalesforceSession(ports());
  await saveMarketoConnection(ports(), {
    restEndpoint: `${emu.info.marketo.url}/rest`,
    clientId: emu.info.marketo.clientId,
    clientSecret: emu.info.marketo.clientSecret,
  });
}

describe('email template folders', () => {
  it('lists Marketo email folders and programs, and Salesforce Email folders', async () => {
    await connectBoth();
    const choices = await emailFolderChoices(ports());
    expect(choices.error).toBeUndefined();
    const paths = choices.marketo.map((f) => `${f.type} ${f.path}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'Folder /Design Studio/Default/Emails',
        'Folder /Design Studio/Default/Emails/Sales Emails',
        'Folder /Design Studio/Default/Emails/Newsletters',
        'Program /Marketing Activities/Default/Spring Webinar 2026',
      ]),
    );
    expect(paths.some((p) => p === 'Folder /Design Studio' || p === 'Folder /Marketing Activities')).toBe(
      false,
    );
    expect(choices.salesforce.map((f) => f.name)).toEqual(['Marketo Emails', 'Sales Templates']);
    // A choice is valid settings as it is.
    const sales = choices.marketo.find((f) => f.name === 'Sales Emails')!;
    const settings = defaultSettings();
    const parsed = parseSettings({
      ...settings,
      objects: {
        ...settings.objects,
        EmailTemplate: { enabled: true, conflictWinner: 'salesforce', fields: [] },
      },
      emailTemplates: {
        marketoFolders: [{ id: sales.id, type: sales.type, name: sales.name }],
        salesforceFolderId: choices.salesforce[0]!.id,
        salesforceFolderName: choices.salesforce[0]!.name,
      },
    });
    expect(parsed.ok).toBe(true);
  });

  it('reports a side that is not connected and still lists the other', async () => {
    await saveMarketoConnection(ports(), {
      restEndpoint: `${emu.info.marketo.url}/rest`,
      clientId: emu.info.marketo.clientId,
      clientSecret: emu.info.marketo.clientSecret,
    });
    const half = await emailFolderChoices(ports());
    expect(half.salesforce).toEqual([]);
    expect(half.marketo.length).toBeGreaterThan(3);
    expect(half.error).toMatch(/Salesforce is not connected yet/);
  });
});
