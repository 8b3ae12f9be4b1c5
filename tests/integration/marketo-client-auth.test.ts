import { afterEach, describe, expect, it } from 'vitest';
import { createMarketoClient, MarketoApiError } from '../../lib/marketo';
import {
  CLIENT_ID,
  type MarketoFixture,
  observingFetch,
  startMarketoFixture,
} from './marketo-client.harness';

let fx: MarketoFixture;
afterEach(async () => {
  await fx.close();
});

const identityCalls = (f: MarketoFixture) => f.counter.snapshot()['marketo POST /identity/oauth/token'] ?? 0;

describe('Marketo client authentication', () => {
  it('says clearly that Marketo rejected the client id/secret, without retrying', async () => {
    fx = await startMarketoFixture();
    const wire = observingFetch();
    const client = createMarketoClient({
      fetch: wire.fetch,
      credentials: () => ({ endpoint: fx.baseUrl, clientId: CLIENT_ID, clientSecret: 'wrong' }),
    });
    const error = await client.leads.describe().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MarketoApiError);
    expect(error).toMatchObject({ code: 'invalid_client', kind: 'auth', retryable: false, httpStatus: 401 });
    expect((error as Error).message).toMatch(
      /^Marketo rejected the client id\/secret \(Bad client credentials\)/,
    );
    expect(wire.requests).toEqual(['POST /identity/oauth/token']);
  });

  it('names the missing setting when credentials are incomplete, before any call', async () => {
    fx = await startMarketoFixture();
    const wire = observingFetch();
    const client = createMarketoClient({
      fetch: wire.fetch,
      credentials: () => ({ endpoint: fx.baseUrl, clientId: CLIENT_ID, clientSecret: '' }),
    });
    const error = await client.leads.describe().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_CONFIGURED', kind: 'auth' });
    expect((error as Error).message).toMatch(/field "clientSecret"/);
    expect(wire.requests).toEqual([]);
  });

  it('shares one token between many concurrent calls', async () => {
    fx = await startMarketoFixture();
    await Promise.all(Array.from({ length: 20 }, () => fx.client.leads.getById(1)));
    expect(identityCalls(fx)).toBe(1);
    expect(fx.counter.snapshot()['marketo GET /rest/v1/lead/{id}.json']).toBe(20);
  });

  it('re-authenticates once and retries when the token expired (602)', async () => {
    fx = await startMarketoFixture();
    await fx.client.leads.getById(1);
    fx.marketo.control.expireTokens();
    await expect(fx.client.leads.getById(1)).resolves.toBeNull();
    expect(fx.wire.code('602')).toBe(1);
    expect(identityCalls(fx)).toBe(2);
  });

  it('re-authenticates once and retries when the token is unknown (601)', async () => {
    fx = await startMarketoFixture();
    await fx.client.leads.getById(1);
    fx.marketo.reset(); // forgets every issued token
    await expect(fx.client.leads.getById(1)).resolves.toBeNull();
    expect(fx.wire.code('601')).toBe(1);
    expect(identityCalls(fx)).toBe(2);
  });

  it('refreshes shortly before expiry and never sends an expired token', async () => {
    fx = await startMarketoFixture();
    await fx.client.leads.getById(1);
    fx.clock.offsetMs += 3_600_000 - 30_000; // 30 s of token life left: inside the refresh margin
    await fx.client.leads.getById(1);
    // Marketo hands back the same token with its remainder; the client keeps it to the end…
    expect(identityCalls(fx)).toBe(2);
    await fx.client.leads.getById(1);
    expect(identityCalls(fx)).toBe(2);
    fx.clock.offsetMs += 30_000; // …and then gets a new one before using the old one again.
    await fx.client.leads.getById(1);
    expect(identityCalls(fx)).toBe(3);
    expect(fx.wire.code('602')).toBe(0);
    expect(fx.wire.code('601')).toBe(0);
  });

  it('accepts the endpoint with or without /rest and an explicit identity URL', async () => {
    fx = await startMarketoFixture();
    const client = createMarketoClient({
      fetch,
      credentials: () => ({
        endpoint: `${fx.baseUrl}/`,
        identityUrl: `${fx.baseUrl}/identity`,
        clientId: CLIENT_ID,
        clientSecret: 'sync-secret',
      }),
    });
    await expect(client.leads.getById(1)).resolves.toBeNull();
  });
});
