import { afterEach, describe, expect, it } from 'vitest';
import { MarketoApiError } from '../../lib/marketo';
import { type MarketoFixture, startMarketoFixture } from './marketo-client.harness';

let fx: MarketoFixture;
afterEach(async () => {
  await fx.close();
});

describe('Marketo client timeouts', () => {
  it('gives up after the retry budget with a retryable timeout error', async () => {
    fx = await startMarketoFixture({
      client: { requestTimeoutMs: 150, retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 } },
    });
    await fx.client.leads.getById(1); // token first, so only the API call is slow
    fx.marketo.control.setProcessingDelayMs(1_000);
    const started = Date.now();
    const error = await fx.client.leads.getById(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MarketoApiError);
    expect(error).toMatchObject({ code: 'timeout', kind: 'timeout', retryable: true });
    expect(fx.counter.snapshot()['marketo GET /rest/v1/lead/{id}.json']).toBe(4); // 1 + 3 attempts
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('retries a call that timed out and succeeds when the server recovers', async () => {
    fx = await startMarketoFixture({
      client: { requestTimeoutMs: 200, retry: { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 100 } },
    });
    await fx.client.leads.getById(1);
    fx.marketo.control.setProcessingDelayMs(1_000);
    setTimeout(() => fx.marketo.control.setProcessingDelayMs(0), 220);
    await expect(fx.client.leads.getById(1)).resolves.toBeNull();
    expect(fx.counter.snapshot()['marketo GET /rest/v1/lead/{id}.json']).toBeGreaterThanOrEqual(3);
  });

  it('frees the rate-limit slot of a timed-out call', async () => {
    fx = await startMarketoFixture({
      client: {
        requestTimeoutMs: 100,
        limits: { maxConcurrent: 1 },
        retry: { maxAttempts: 1 },
      },
    });
    await fx.client.leads.getById(1);
    fx.marketo.control.setProcessingDelayMs(500);
    await expect(fx.client.leads.getById(1)).rejects.toMatchObject({ code: 'timeout' });
    fx.marketo.control.setProcessingDelayMs(0);
    expect(fx.client.transport.limiter.usage().inFlight).toBe(0);
    await expect(fx.client.leads.getById(1)).resolves.toBeNull();
  });
});
