// A widely used third-party client, node-marketo-rest (MadKudu/node-marketo), used unchanged
// against the Marketo emulator. It is pointed at the emulator with its own documented options:
// `endpoint: <base>/rest` and `identity: <base>/identity` (it appends "/v1/..." and "/oauth/token").
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MarketoHarness, START, startMarketo } from './emulator-marketo-helpers';

// biome-ignore lint/suspicious/noExplicitAny: the library ships no types
type Any = any;
const Marketo = createRequire(import.meta.url)('node-marketo-rest') as new (options: object) => Any;

let m: MarketoHarness;
let client: Any;

beforeAll(async () => {
  m = await startMarketo();
  m.clock.set(START);
  client = new Marketo({
    endpoint: `${m.baseUrl}/rest`,
    identity: `${m.baseUrl}/identity`,
    clientId: 'test-client',
    clientSecret: 'test-secret',
    // Fail fast in tests instead of the library's 5 retries with exponential back-off.
    retry: { maxRetries: 1, initialDelay: 10, maxDelay: 20 },
  });
});
afterAll(() => m.close());

describe('node-marketo-rest against the emulator', () => {
  it('gets a token', async () => {
    const token = await client.getOAuthToken();
    expect(token).toMatchObject({ token_type: 'bearer', expires_in: 3599 });
  });

  it('describes leads', async () => {
    const body = await client.lead.describe();
    expect(body.success).toBe(true);
    expect(body.result.some((f: Any) => f.rest?.name === 'sfdcLeadId')).toBe(true);
  });

  it('syncs leads and finds them by filter', async () => {
    const created = await client.lead.createOrUpdate(
      [
        { email: 'nm1@example.com', firstName: 'Node' },
        { email: 'nm2@example.com', firstName: 'Marketo' },
      ],
      { lookupField: 'email' },
    );
    expect(created.result).toEqual([
      { id: 1, status: 'created' },
      { id: 2, status: 'created' },
    ]);
    const found = await client.lead.find('email', ['nm1@example.com', 'nm2@example.com'], {
      fields: ['email', 'firstName'],
    });
    expect(found.result).toEqual([
      { email: 'nm1@example.com', firstName: 'Node' },
      { email: 'nm2@example.com', firstName: 'Marketo' },
    ]);
    const byId = await client.lead.byId(2, { fields: ['email'] });
    expect(byId.result).toEqual([{ email: 'nm2@example.com' }]);
  });

  it('gets a paging token and reads lead changes, following nextPage', async () => {
    const { nextPageToken } = await client.lead.getPageToken('2026-03-02T00:00:00Z');
    expect(typeof nextPageToken).toBe('string');
    m.clock.advance(60_000);
    await client.lead.createOrUpdate([{ email: 'nm1@example.com', firstName: 'Noda' }], {
      lookupField: 'email',
    });
    m.emulator.control.setSettings({ activityPageSize: 2 });
    const first = await client.lead.getChanges(nextPageToken, { fields: ['firstName'] });
    expect(first.result.map((a: Any) => a.activityTypeId)).toEqual([12, 12]);
    expect(first.moreResult).toBe(true);
    const second = await first.nextPage();
    expect(second.result).toHaveLength(1);
    expect(second.result[0]).toMatchObject({
      leadId: 1,
      activityTypeId: 13,
      fields: [{ name: 'firstName', oldValue: 'Node', newValue: 'Noda' }],
    });
    expect(second.moreResult).toBe(false);
    m.emulator.control.setSettings({ activityPageSize: 300 });
  });

  it('reads activity types and activities', async () => {
    const types = await client.activities.getActivityTypes();
    expect(types.result.find((t: Any) => t.id === 13).name).toBe('Change Data Value');
    const { nextPageToken } = await client.lead.getPageToken('2026-03-02T00:00:00Z');
    const activities = await client.lead.getActivities([1, 2], [12], nextPageToken);
    expect(activities.result.map((a: Any) => a.leadId)).toEqual([1, 2]);
  });

  it('reads usage stats', async () => {
    const usage = await client.stats.usage();
    expect(usage.result[0].total).toBeGreaterThan(5);
  });

  it('re-authenticates by itself when its token expires (602)', async () => {
    m.emulator.control.expireTokens();
    const body = await client.lead.describe();
    expect(body.success).toBe(true);
  });

  it('surfaces Marketo errors as rejections carrying the code', async () => {
    await expect(client.lead.find('title', ['x'])).rejects.toMatchObject({ errors: [{ code: '1011' }] });
  });
});
