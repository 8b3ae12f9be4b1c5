import { afterEach, describe, expect, it } from 'vitest';
import { MarketoApiError } from '../../lib/marketo';
import { type MarketoFixture, people, startMarketoFixture } from './marketo-client.harness';

let fx: MarketoFixture;
afterEach(async () => {
  await fx.close();
});

// Marketo's rule scaled in time: 100 calls per 2 s instead of per 20 s, 10 concurrent.
const scaled = { callsPerWindow: 100, windowMs: 2_000, maxConcurrent: 10 };

describe('Marketo client under the call limits', () => {
  it('runs 250 concurrent calls through 100 calls / 2 s and 10 in flight without one 606 or 615', async () => {
    fx = await startMarketoFixture({
      limits: { ...scaled, enabled: true, dailyQuota: 1_000_000 },
      client: { limits: scaled },
    });
    fx.marketo.control.setProcessingDelayMs(15); // calls overlap, so concurrency matters
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 250 }, (_, i) => fx.client.leads.getById(i + 1)));
    const elapsed = Date.now() - started;
    expect(results).toHaveLength(250);
    expect(fx.wire.code('606')).toBe(0);
    expect(fx.wire.code('615')).toBe(0);
    // 250 calls need three windows: the limiter really held calls back (two full waits).
    expect(elapsed).toBeGreaterThanOrEqual(4_000);
    expect(fx.counter.snapshot()['marketo GET /rest/v1/lead/{id}.json']).toBe(250);
  });

  it('backs off and retries when 615 happens anyway (client allows more in flight than the server)', async () => {
    fx = await startMarketoFixture({
      limits: { ...scaled, enabled: true, dailyQuota: 1_000_000 },
      client: {
        limits: { callsPerWindow: 10_000, windowMs: 2_000, maxConcurrent: 30 },
        retry: { maxAttempts: 10, baseDelayMs: 50, maxDelayMs: 500, maxElapsedMs: 30_000 },
      },
    });
    fx.marketo.control.setProcessingDelayMs(30);
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => fx.client.leads.getById(i + 1)));
    expect(results).toHaveLength(40);
    expect(fx.wire.code('615')).toBeGreaterThan(0);
    expect(fx.wire.code('606')).toBe(0);
  });

  it('backs off and retries when 606 happens anyway (client allows more per window than the server)', async () => {
    fx = await startMarketoFixture({
      limits: { ...scaled, enabled: true, dailyQuota: 1_000_000 },
      client: {
        limits: { callsPerWindow: 10_000, windowMs: 2_000, maxConcurrent: 10 },
        retry: { maxAttempts: 5, baseDelayMs: 50, maxDelayMs: 500, maxElapsedMs: 30_000 },
      },
    });
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 130 }, (_, i) => fx.client.leads.getById(i + 1)));
    expect(results).toHaveLength(130);
    expect(fx.wire.code('606')).toBeGreaterThan(0);
    expect(fx.wire.code('615')).toBe(0);
    // After a 606 the whole client pauses for a window instead of hammering the server: the calls
    // already in flight (≤ 10) may bounce, then next to none. Without the pause every queued call
    // would bounce on every attempt (hundreds).
    expect(fx.wire.code('606')).toBeLessThanOrEqual(20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
  });

  it('stops with a clear "daily quota spent" error on 607 and does not retry it', async () => {
    fx = await startMarketoFixture({ limits: { enabled: true, dailyQuota: 3 } });
    await fx.client.leads.sync({ action: 'createOnly', input: people(3) });
    await fx.client.leads.getById(1);
    await fx.client.leads.getById(2);
    const error = await fx.client.leads.getById(3).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MarketoApiError);
    expect(error).toMatchObject({ code: '607', kind: 'quota', retryable: false });
    expect((error as Error).message).toMatch(/daily API quota spent/);
    expect(fx.wire.code('607')).toBe(1);
  });

  it("stops at the client's own daily budget before Marketo has to say 607", async () => {
    fx = await startMarketoFixture({ client: { limits: { dailyBudget: 2 } } });
    await fx.client.leads.getById(1);
    await fx.client.leads.getById(2);
    const sent = fx.wire.requests.length;
    const error = await fx.client.leads.getById(3).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DAILY_BUDGET', kind: 'quota', retryable: false });
    expect(fx.wire.requests.length).toBe(sent);
    expect(fx.client.transport.limiter.usage().usedToday).toBe(2);
  });
});
