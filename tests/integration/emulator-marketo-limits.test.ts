// The Marketo emulator enforces Marketo's limits for real (api-facts B2): 606 over the rolling
// window, 615 over the concurrent-call limit, 607 over the daily quota; identity calls and
// asterisked errors are not counted; the limits can be tuned and switched off.
import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MarketoHarness, START, startMarketo } from './emulator-marketo-helpers';

let m: MarketoHarness;
beforeAll(async () => {
  m = await startMarketo({ limits: { enabled: true, callsPerWindow: 5, windowMs: 2_000, maxConcurrent: 3 } });
});
afterAll(() => m.close());
beforeEach(() => {
  m.emulator.reset();
  m.clock.set(START);
});

async function call(token: string): Promise<Record<string, unknown>> {
  const res = await m.raw('/rest/v1/leads/partitions.json', {
    headers: { Authorization: `Bearer ${token}` },
  });
  return (await res.json()) as Record<string, unknown>;
}

/** Starts a POST whose body never finishes, so the call holds a concurrency slot. */
function hangingCall(token: string): Promise<() => void> {
  return new Promise((resolve) => {
    const url = new URL(`${m.baseUrl}/rest/v1/leads.json`);
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          'Content-Length': 100,
        },
      },
      (res) => res.resume(),
    );
    req.on('error', () => {});
    req.write('{"input":');
    // Give the server a moment to admit the call before the next one arrives.
    setTimeout(() => resolve(() => req.destroy()), 50);
  });
}

describe('rate window', () => {
  it('answers call 6 of 5-per-window with 606 and the exact message, then recovers', async () => {
    const token = await m.token();
    for (let i = 0; i < 5; i++) expect((await call(token)).success).toBe(true);
    const refused = await call(token);
    expect(refused).toMatchObject({
      success: false,
      errors: [{ code: '606', message: "Max rate limit '5' exceeded with in '2' secs" }],
    });
    // Identity calls are not counted and not refused.
    expect(await m.token()).toBe(token);
    m.clock.advance(2_001);
    expect((await call(token)).success).toBe(true);
  });

  it('uses the real message at the default limits', async () => {
    m.emulator.control.setLimits({ callsPerWindow: 100, windowMs: 20_000 });
    const token = await m.token();
    for (let i = 0; i < 100; i++) await call(token);
    expect((await call(token)).errors).toEqual([
      { code: '606', message: "Max rate limit '100' exceeded with in '20' secs" },
    ]);
  });

  it('does not count 601/602 calls', async () => {
    const token = await m.token();
    for (let i = 0; i < 10; i++) {
      await m.raw('/rest/v1/leads/partitions.json', { headers: { Authorization: 'Bearer bad' } });
    }
    for (let i = 0; i < 5; i++) expect((await call(token)).success).toBe(true);
  });

  it('can be switched off', async () => {
    m.emulator.control.setLimits({ enabled: false });
    const token = await m.token();
    for (let i = 0; i < 12; i++) expect((await call(token)).success).toBe(true);
  });
});

describe('concurrency', () => {
  it('answers the call over the concurrent limit with 615 and frees slots when calls finish', async () => {
    m.emulator.control.setLimits({ callsPerWindow: 100 });
    const token = await m.token();
    const hanging = [await hangingCall(token), await hangingCall(token), await hangingCall(token)];
    expect(await call(token)).toMatchObject({
      success: false,
      errors: [{ code: '615', message: "Concurrent access limit '3' reached" }],
    });
    for (const stop of hanging) stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await call(token)).success).toBe(true);
  });

  it('holds slots for the configured processing delay', async () => {
    m.emulator.control.setLimits({ callsPerWindow: 100 });
    m.emulator.control.setProcessingDelayMs(200);
    const token = await m.token();
    const results = await Promise.all(Array.from({ length: 5 }, () => call(token)));
    const codes = results.map((r) => (r.success ? 'ok' : (r.errors as { code: string }[])[0]!.code)).sort();
    expect(codes).toEqual(['615', '615', 'ok', 'ok', 'ok']);
  });
});

describe('daily quota', () => {
  it('answers 607 once the quota is spent, until the next US Central day', async () => {
    m.emulator.control.setLimits({ dailyQuota: 3, callsPerWindow: 100 });
    // 2026-03-02T15:00Z is 09:00 in Chicago.
    const token = await m.token();
    for (let i = 0; i < 3; i++) expect((await call(token)).success).toBe(true);
    expect((await call(token)).errors).toEqual([{ code: '607', message: 'Daily quota reached' }]);
    m.clock.advance(14 * 3_600_000); // 23:00 Chicago: still the same quota day
    expect((await call(await m.token())).errors).toEqual([{ code: '607', message: 'Daily quota reached' }]);
    m.clock.advance(1.5 * 3_600_000); // past midnight Chicago
    const fresh = await m.token();
    expect((await call(fresh)).success).toBe(true);
  });

  it('resetUsage clears the counters', async () => {
    m.emulator.control.setLimits({ dailyQuota: 1, callsPerWindow: 100 });
    const token = await m.token();
    await call(token);
    expect((await call(token)).errors).toEqual([{ code: '607', message: 'Daily quota reached' }]);
    m.emulator.control.resetUsage();
    expect((await call(token)).success).toBe(true);
  });
});
