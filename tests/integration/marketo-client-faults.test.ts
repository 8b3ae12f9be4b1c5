import { afterEach, describe, expect, it } from 'vitest';
import { ResponseShapeError } from '../../lib/http/parse';
import { MarketoApiError } from '../../lib/marketo';
import { type MarketoFixture, people, startMarketoFixture } from './marketo-client.harness';

let fx: MarketoFixture;
afterEach(async () => {
  await fx.close();
});

const calls = (f: MarketoFixture, endpoint: string) => f.counter.snapshot()[`marketo ${endpoint}`] ?? 0;
const fault = (
  f: MarketoFixture,
  spec: Omit<Parameters<MarketoFixture['emulator']['control']['injectFault']>[0], 'side'>,
) => f.emulator.control.injectFault({ side: 'marketo', ...spec });

describe('Marketo client against injected faults', () => {
  it('retries 5xx answers with back-off and then succeeds', async () => {
    fx = await startMarketoFixture();
    fault(fx, { kind: 'error', status: 502, route: '/rest/v1/leads.json', times: 2 });
    const outcomes = await fx.client.leads.sync({ action: 'createOnly', input: people(3) });
    expect(outcomes.map((o) => o.status)).toEqual(['created', 'created', 'created']);
    expect(fx.wire.statuses.get(502)).toBe(2);
    expect(calls(fx, 'POST /rest/v1/leads.json')).toBe(3);
  });

  it('gives up on a lasting 5xx with a typed, retryable error after the retry budget', async () => {
    fx = await startMarketoFixture({
      client: { retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 } },
    });
    fault(fx, { kind: 'error', status: 503, route: '/rest/v1/lead/' });
    const error = await fx.client.leads.getById(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MarketoApiError);
    expect(error).toMatchObject({ code: 'HTTP 503', kind: 'transient', retryable: true, httpStatus: 503 });
    expect(calls(fx, 'GET /rest/v1/lead/{id}.json')).toBe(3);
  });

  it('waits at least what a 503 says in Retry-After before it retries', async () => {
    const sleeps: number[] = [];
    fx = await startMarketoFixture({
      client: { clock: { now: () => Date.now(), sleep: async (ms) => void sleeps.push(ms) } },
    });
    fault(fx, { kind: 'error', status: 503, route: '/rest/v1/lead/', times: 1, retryAfterSeconds: 2 });
    await expect(fx.client.leads.getById(1)).resolves.toBeNull();
    // The fixture's policy alone waits at most 200 ms; the server asked for 2 s.
    expect(sleeps.filter((ms) => ms >= 2000)).toEqual([2000]);
    expect(calls(fx, 'GET /rest/v1/lead/{id}.json')).toBe(2);
  });

  it('retries the transient envelope codes (604, 608, 611, 713)', async () => {
    fx = await startMarketoFixture();
    for (const errorCode of ['604', '608', '611', '713']) {
      fault(fx, { kind: 'error', errorCode, route: '/rest/v1/lead/', times: 1 });
      await expect(fx.client.leads.getById(1)).resolves.toBeNull();
      expect(fx.wire.code(errorCode)).toBe(1);
    }
    expect(calls(fx, 'GET /rest/v1/lead/{id}.json')).toBe(8);
  });

  it('waits out an unexpected 606 for a window, holding other calls too, then retries', async () => {
    fx = await startMarketoFixture({ client: { limits: { windowMs: 600 } } });
    await fx.client.leads.getById(1);
    fault(fx, { kind: 'error', errorCode: '606', route: '/rest/v1/lead/', times: 1 });
    const started = Date.now();
    await Promise.all([fx.client.leads.getById(1), fx.client.leads.getById(2)]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    expect(fx.wire.code('606')).toBe(1);
  });

  it('retries a dropped connection', async () => {
    fx = await startMarketoFixture();
    fault(fx, { kind: 'drop', route: '/rest/v1/leads.json', times: 1 });
    const outcomes = await fx.client.leads.sync({ action: 'createOnly', input: people(2) });
    expect(outcomes).toHaveLength(2);
    expect(calls(fx, 'POST /rest/v1/leads.json')).toBe(2);
  });

  it('reports connections that keep dropping as a retryable network error', async () => {
    fx = await startMarketoFixture({
      client: { retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20 } },
    });
    fault(fx, { kind: 'drop', route: '/rest/v1/leads/describe2.json' });
    const error = await fx.client.leads.describe().catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'MarketoApiError',
      code: 'network',
      kind: 'network',
      retryable: true,
    });
    expect((error as Error).message).toMatch(/Connection to Marketo failed/);
  });

  it('retries the identity service when it fails with 5xx', async () => {
    fx = await startMarketoFixture();
    fault(fx, { kind: 'error', status: 500, route: '/identity/oauth/token', times: 1 });
    await expect(fx.client.leads.getById(1)).resolves.toBeNull();
    expect(calls(fx, 'POST /identity/oauth/token')).toBe(2);
  });

  it('tries an unreachable identity service maxAttempts times per call, not maxAttempts squared', async () => {
    fx = await startMarketoFixture({
      client: { retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 } },
    });
    fault(fx, { kind: 'drop', route: '/identity/oauth/token' });
    const error = await fx.client.leads.getById(1).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'MarketoApiError', kind: 'network', retryable: true });
    // The token provider has spent the retry policy on it; the call around it must not repeat that
    // (a sync cycle met an outage with 16 token requests per step, some 13 s each).
    expect(fx.emulator.control.counters().marketo['POST /identity/oauth/token']).toBe(3);
    expect(calls(fx, 'GET /rest/v1/lead/{id}.json')).toBe(0);
  });

  it('turns a body that is not JSON into a ResponseShapeError naming the endpoint, without retrying', async () => {
    fx = await startMarketoFixture();
    fault(fx, { kind: 'malformed', route: '/rest/v1/lead/', times: 1 });
    const error = await fx.client.leads.getById(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseShapeError);
    expect(error).toMatchObject({ endpoint: 'GET /rest/v1/lead/{id}.json' });
    expect((error as Error).message).toMatch(/body is not JSON/);
    expect(calls(fx, 'GET /rest/v1/lead/{id}.json')).toBe(1);
    // The client is not left in a bad state: the next call works.
    await expect(fx.client.leads.getById(1)).resolves.toBeNull();
  });

  it('turns a body that breaks the schema into a ResponseShapeError naming the field', async () => {
    fx = await startMarketoFixture();
    fault(fx, { kind: 'schema', route: '/rest/v1/activities/pagingtoken.json', times: 1 });
    const error = await fx.client.activities.pagingToken(new Date()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseShapeError);
    // The injected body has `requestId: 42, success: "yes"`: the first bad field is named.
    expect(error).toMatchObject({ endpoint: 'GET /rest/v1/activities/pagingtoken.json', path: 'requestId' });
    expect((error as Error).message).toMatch(/field "requestId"/);
  });

  it('names the result field when records break the schema', async () => {
    fx = await startMarketoFixture();
    await fx.client.leads.sync({ action: 'createOnly', input: people(1) });
    // A lead whose id is not an integer: the record, not the envelope, is wrong.
    fx.marketo.store.leads.get(1)!.id = 'one' as unknown as number;
    const error = await fx.client.leads
      .getByFilter({ filterType: 'email', filterValues: ['person0@example.com'] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseShapeError);
    expect((error as ResponseShapeError).path).toBe('result.0.id');
  });

  it('gives up with an auth error when Marketo refuses the token even after re-authenticating', async () => {
    fx = await startMarketoFixture();
    fault(fx, { kind: 'error', errorCode: '601', route: '/rest/v1/lead/' });
    const error = await fx.client.leads.getById(1).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'MarketoApiError', code: '601', kind: 'auth', retryable: false });
    expect(calls(fx, 'POST /identity/oauth/token')).toBe(2);
    expect(calls(fx, 'GET /rest/v1/lead/{id}.json')).toBe(2);
  });
});
