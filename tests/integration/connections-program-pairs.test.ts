// The options page's campaign ⇄ program choices (issue 17) against the demo org over real HTTP:
// campaigns with their member statuses, programs with their channel's statuses in step order,
// Marketo's own link (sfdcId), suggestions by link, name and channel, and each side's failure
// reported without hiding the other side.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { settingsStorage } from '../../components/storage/settings';
import { type Emulator, startEmulator } from '../../emulator/index';
import { saveMarketoConnection } from '../../lib/connections/marketoConnection';
import type { ConnectionPorts } from '../../lib/connections/ports';
import { programPairChoices } from '../../lib/connections/programPairChoices';
import { detectSalesforceSession } from '../../lib/connections/salesforceConnection';
import { systemClock } from '../../lib/http/ports';
import { MemoryCookieJar } from '../../lib/salesforce/auth/cookieJar';
import { parseSettings } from '../../lib/settings';
import { newPair, suggestPairs } from '../../lib/settings/programSuggestions';
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

function ports(): ConnectionPorts {
  return {
    store,
    fetch: (input, init) => fetch(input, init),
    clock: systemClock,
    cookies: jar,
    findSalesforceTab: async () => tabUrl,
    launchWebAuthFlow: async () => '',
    oauthRedirectUri: 'https://abcdefghijklmnop.chromiumapp.org/oauth',
    lastTest: { get: async () => undefined, set: async () => {} },
  };
}

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

describe('campaign ⇄ program choices', () => {
  it('lists campaigns with statuses and programs with their channel statuses, and suggests the demo pairs', async () => {
    await connectBoth();
    emu.control.mkLinkProgram({ programId: 1002, campaign: { sfdcId: '701000000000099AAA', sfdcName: 'x' } });
    const choices = await programPairChoices(ports());
    expect(choices.error).toBeUndefined();
    const webinar = choices.campaigns.find((c) => c.name === 'Spring Webinar 2026')!;
    expect(webinar.statuses).toEqual(['Invited', 'Attended', 'Registered', 'No Show']);
    const program = choices.programs.find((p) => p.id === 1000)!;
    expect(program).toMatchObject({ channel: 'Webinar' });
    expect(program.statuses[0]).toBe('Not in Program');
    expect(choices.programs.find((p) => p.id === 1002)?.sfdcId).toBe('701000000000099AAA');
    const suggested = suggestPairs(choices.campaigns, choices.programs, []);
    expect(suggested.map((s) => [s.campaign.name, s.program.id, s.why])).toEqual(
      expect.arrayContaining([
        ['Spring Webinar 2026', 1000, 'same name'],
        ['Monthly Newsletter', 1001, 'same name'],
      ]),
    );
    // A pair built from the choices is valid settings as it is.
    const pairs = suggested.map((s) => newPair(s.campaign, s.program));
    expect(parseSettings({ programPairs: pairs }).ok).toBe(true);
    // Already paired: not suggested again.
    expect(suggestPairs(choices.campaigns, choices.programs, pairs)).toEqual([]);
  });

  it('reports a side that is not connected and still lists the other', async () => {
    const nothing = await programPairChoices(ports());
    expect(nothing.campaigns).toEqual([]);
    expect(nothing.error).toMatch(/Salesforce is not connected yet/);
    expect(nothing.error).toMatch(/Marketo is not connected yet/);
  });
});

describe('suggestPairs', () => {
  const campaign = (id: string, name: string, type: string | null = null) => ({
    id,
    name,
    type,
    statuses: ['Sent'],
  });
  const program = (id: number, name: string, channel: string, sfdcId?: string) => ({
    id,
    name,
    channel,
    statuses: ['Not in Program', 'Member'],
    ...(sfdcId && { sfdcId }),
  });
  it('prefers Marketo’s own link, then the name, then a single program of a fitting channel', () => {
    const got = suggestPairs(
      [
        campaign('701000000000001AAA', 'Q3 Roadshow'),
        campaign('701000000000002AAA', 'Partner Day – 2026'),
        campaign('701000000000003AAA', 'Product', 'Webinar'),
      ],
      [
        program(1, 'Something else', 'Tradeshow', '701000000000001'),
        program(2, 'partner day 2026', 'Tradeshow'),
        program(3, 'Product Webinar Series', 'Webinar'),
        program(4, 'Product Newsletter', 'Email Blast'),
      ],
      [],
    );
    expect(got.map((s) => [s.campaign.id.slice(0, 15), s.program.id])).toEqual([
      ['701000000000001', 1],
      ['701000000000002', 2],
      ['701000000000003', 3],
    ]);
  });
});
