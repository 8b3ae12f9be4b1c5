// The Salesforce client's failure paths against the emulator's fault injection, over real HTTP:
// 5xx then success, timeouts, dropped connections, malformed and schema-breaking bodies,
// REQUEST_LIMIT_EXCEEDED — and the replication feeds' window rules.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ResponseShapeError } from '../../lib/http/parse';
import { SalesforceApiError } from '../../lib/salesforce/errors';
import { collect, type SalesforceHarness, startSalesforce } from './salesforce-client.harness';

let h: SalesforceHarness;
const QUERY_ROUTE = '/services/data/v62.0/query';
const DAY = 86_400_000;

beforeAll(async () => {
  h = await startSalesforce({ seed: 'demo', salesforce: { maxReplicationIds: 300 } });
});
afterAll(async () => {
  await h.emu.stop();
});
beforeEach(() => {
  h.counter.reset();
  h.emu.control.clearFaults();
  h.emu.control.setSalesforceAllowance({ max: 15000, used: 0 });
});

const calls = (endpoint: string) => h.counter.snapshot()[`salesforce ${endpoint}`] ?? 0;
const countLeads = () => h.client.count('SELECT COUNT() FROM Lead');

describe('retries', () => {
  it('retries 503 and 500 and then succeeds', async () => {
    h.emu.control.injectFault({
      side: 'salesforce',
      kind: 'error',
      status: 503,
      route: QUERY_ROUTE,
      times: 1,
    });
    h.emu.control.injectFault({
      side: 'salesforce',
      kind: 'error',
      status: 500,
      route: QUERY_ROUTE,
      times: 1,
    });
    expect(await countLeads()).toBeGreaterThan(0);
    expect(calls('query')).toBe(3);
  });

  it('waits at least what a 503 says in Retry-After before it retries', async () => {
    h.emu.control.injectFault({
      side: 'salesforce',
      kind: 'error',
      status: 503,
      route: QUERY_ROUTE,
      times: 1,
      retryAfterSeconds: 3,
    });
    const sleeps: number[] = [];
    const client = h.makeClient({
      clock: { now: h.clock.now, sleep: async (ms) => void sleeps.push(ms) },
    });
    expect(await client.count('SELECT COUNT() FROM Lead')).toBeGreaterThan(0);
    // The policy alone would wait at most 40 ms (fastRetry); the server asked for 3 s.
    expect(sleeps).toEqual([3000]);
    expect(calls('query')).toBe(2);
  });

  it('gives up after the policy’s attempts with a retryable, typed error', async () => {
    h.emu.control.injectFault({ side: 'salesforce', kind: 'error', status: 503, route: QUERY_ROUTE });
    const error = await countLeads().catch((e) => e);
    expect(error).toBeInstanceOf(SalesforceApiError);
    expect(error).toMatchObject({
      errorCode: 'SERVER_UNAVAILABLE',
      httpStatus: 503,
      kind: 'transient',
      retryable: true,
    });
    expect(calls('query')).toBe(3);
  });

  it('retries a 502 from the edge', async () => {
    h.emu.control.injectFault({
      side: 'salesforce',
      kind: 'error',
      status: 502,
      errorCode: 'BAD_GATEWAY',
      route: QUERY_ROUTE,
      times: 1,
    });
    expect(await countLeads()).toBeGreaterThan(0);
    expect(calls('query')).toBe(2);
  });

  it('retries a request that timed out, then a persistent timeout is a TIMEOUT error', async () => {
    const client = h.makeClient({ timeoutMs: 300 });
    h.emu.control.injectFault({
      side: 'salesforce',
      kind: 'latency',
      latencyMs: 1_000,
      route: QUERY_ROUTE,
      times: 1,
    });
    expect(await client.count('SELECT COUNT() FROM Lead')).toBeGreaterThan(0);
    expect(calls('query')).toBe(2);

    h.counter.reset();
    h.emu.control.injectFault({ side: 'salesforce', kind: 'latency', latencyMs: 1_000, route: QUERY_ROUTE });
    const started = Date.now();
    const error = await client.count('SELECT COUNT() FROM Lead').catch((e) => e);
    expect(error).toBeInstanceOf(SalesforceApiError);
    expect(error).toMatchObject({ errorCode: 'TIMEOUT', kind: 'timeout', retryable: true, httpStatus: 0 });
    expect(calls('query')).toBe(3);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('retries a dropped connection', async () => {
    h.emu.control.injectFault({ side: 'salesforce', kind: 'drop', route: QUERY_ROUTE, times: 1 });
    expect(await countLeads()).toBeGreaterThan(0);
    expect(calls('query')).toBe(2);
    h.emu.control.injectFault({ side: 'salesforce', kind: 'drop', route: QUERY_ROUTE });
    const error = await countLeads().catch((e) => e);
    expect(error).toMatchObject({ errorCode: 'NETWORK_ERROR', kind: 'network' });
  });

  it('fails a page in the middle of paging only after its retries, keeping what was read', async () => {
    const seen: number[] = [];
    h.emu.control.injectFault({
      side: 'salesforce',
      kind: 'error',
      status: 503,
      route: '/services/data/v62.0/query/**',
      times: 1,
    });
    for await (const page of h.client.query('SELECT Id FROM Lead', { batchSize: 500 }))
      seen.push(page.records.length);
    expect(seen.length).toBeGreaterThan(2);
    expect(calls('queryMore')).toBe(seen.length); // one retried page
  });
});

describe('bodies that are not what Salesforce sends', () => {
  it('a truncated JSON body is a ResponseShapeError naming the endpoint, not retried', async () => {
    h.emu.control.injectFault({ side: 'salesforce', kind: 'malformed', route: QUERY_ROUTE, times: 1 });
    const error = await countLeads().catch((e) => e);
    expect(error).toBeInstanceOf(ResponseShapeError);
    expect(error.endpoint).toBe('Salesforce query');
    expect(error.message).toMatch(/not JSON/);
    expect(calls('query')).toBe(1);
  });

  it('a body that breaks the schema names the field', async () => {
    h.emu.control.injectFault({ side: 'salesforce', kind: 'schema', route: QUERY_ROUTE, times: 1 });
    const error = await countLeads().catch((e) => e);
    expect(error).toBeInstanceOf(ResponseShapeError);
    expect(error.path).toBe('totalSize');
    h.emu.control.injectFault({
      side: 'salesforce',
      kind: 'schema',
      route: '/services/data/v62.0/limits',
      times: 1,
    });
    const limits = await h.client.limits().catch((e) => e);
    expect(limits).toBeInstanceOf(ResponseShapeError);
    expect(limits.message).toMatch(/Salesforce limits: field "DailyApiRequests"/);
  });
});

describe('API allowance', () => {
  it('REQUEST_LIMIT_EXCEEDED is a clear error, not retried, and usage shows the spent allowance', async () => {
    h.emu.control.setSalesforceAllowance({ max: 100, used: 100 });
    const error = await countLeads().catch((e) => e);
    expect(error).toBeInstanceOf(SalesforceApiError);
    expect(error).toMatchObject({
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      httpStatus: 403,
      kind: 'limit',
      retryable: false,
    });
    expect(error.message).toMatch(/request limit exceeded/i);
    expect(calls('query')).toBe(1);
    expect(h.client.apiUsage).toMatchObject({ used: 100, max: 100 });
  });
});

describe('updated / deleted replication feeds', () => {
  it('returns the ids changed in a window and where the next window starts', async () => {
    const start = new Date(h.clock.now() - 10 * 60_000);
    const lead = (await collect(h.client.queryRecords('SELECT Id FROM Lead LIMIT 1')))[0]!;
    h.emu.control.sfUpdate({ id: lead.Id as string, fields: { Title: 'Replicated' } });
    h.emu.control.advanceTime({ ms: 3 * 60_000 });
    const windows = await collect(h.client.updated('Lead', { start }));
    expect(windows).toHaveLength(1);
    expect(windows[0]!.ids).toContain(lead.Id);
    expect(windows[0]!.startClamped).toBe(false);
    // Covered up to the last whole minute before now.
    expect(windows[0]!.latestDateCovered.getTime()).toBe(Math.floor(h.clock.now() / 60_000) * 60_000);
    expect(calls('updated')).toBe(1);
  });

  it('asks nothing for a window under a minute', async () => {
    const windows = await collect(h.client.updated('Lead', { start: new Date(h.clock.now() - 30_000) }));
    expect(windows).toEqual([]);
    expect(h.counter.total('salesforce')).toBe(0);
  });

  it('clamps a start older than 30 days and says so', async () => {
    const windows = await collect(h.client.updated('Account', { start: new Date(h.clock.now() - 45 * DAY) }));
    expect(windows[0]!.startClamped).toBe(true);
    expect(windows[0]!.start.getTime()).toBeGreaterThan(h.clock.now() - 30 * DAY);
  });

  it('halves the window on EXCEEDED_ID_LIMIT until each part fits, covering the same ids', async () => {
    // The demo leads were created over the last weeks; the emulator caps answers at 300 ids here.
    const start = new Date(h.clock.now() - 29 * DAY);
    const windows = await collect(h.client.updated('Lead', { start }));
    expect(windows.length).toBeGreaterThan(1);
    for (const w of windows) expect(w.ids.length).toBeLessThanOrEqual(300);
    // Consecutive windows touch: each starts where the previous was covered to.
    for (let i = 1; i < windows.length; i++) {
      expect(windows[i]!.start.getTime()).toBe(windows[i - 1]!.latestDateCovered.getTime());
    }
    const ids = new Set(windows.flatMap((w) => w.ids));
    const stamps = [...h.emu.salesforce.store.table('Lead').records.values()].filter(
      (r) =>
        !r.IsDeleted &&
        (r.SystemModstamp as number) >= windows[0]!.start.getTime() &&
        (r.SystemModstamp as number) < windows.at(-1)!.latestDateCovered.getTime(),
    );
    expect(ids.size).toBe(stamps.length);
    expect(calls('updated')).toBeGreaterThan(windows.length); // the refused attempts were real calls
  });

  it('surfaces INVALID_REPLICATION_DATE when our clock lags Salesforce’s past the safety margin', async () => {
    const lagging = h.makeClient({ clock: { now: () => h.clock.now() - 60 * 60_000, sleep: h.clock.sleep } });
    const error = await collect(lagging.deleted('Lead', { start: new Date(0) })).catch((e) => e);
    expect(error).toBeInstanceOf(SalesforceApiError);
    expect(error).toMatchObject({ errorCode: 'INVALID_REPLICATION_DATE', kind: 'request', retryable: false });
  });

  it('lists deletions, and flags a gap when the delete log starts after the cursor', async () => {
    const start = new Date(h.clock.now() - 5 * 60_000);
    const [created] = await h.client.create('Lead', [{ LastName: 'To Delete', Company: 'D' }]);
    await h.client.delete([created!.id!]);
    h.emu.control.advanceTime({ ms: 2 * 60_000 });
    const [window] = await collect(h.client.deleted('Lead', { start }));
    expect(window!.deletedRecords.map((r) => r.id)).toContain(created!.id);
    expect(window!.deletedRecords[0]!.deletedDate).toBeInstanceOf(Date);
    expect(window!.gap).toBe(false);

    h.emu.control.setDeletedLogStart({ object: 'Lead', at: h.clock.now() - 60_000 });
    const [purged] = await collect(h.client.deleted('Lead', { start }));
    expect(purged!.gap).toBe(true);
    expect(purged!.earliestDateAvailable.getTime()).toBeGreaterThan(start.getTime());
  });
});
