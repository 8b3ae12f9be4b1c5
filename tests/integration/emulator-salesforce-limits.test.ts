// The API allowance: Sforce-Limit-Info on every REST response, /limits, REQUEST_LIMIT_EXCEEDED,
// the rolling 24 h window, and /limits needing "View Setup" (the non-admin user lacks it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { sfClient } from '../../emulator/testing';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'empty', salesforce: { dailyApiRequests: 50 } });
});
afterAll(() => emu.stop());

describe('API allowance', () => {
  it('counts each REST call in Sforce-Limit-Info and mirrors it in /limits', async () => {
    const sf = sfClient(emu.info);
    emu.control.setSalesforceAllowance({ used: 0 });
    const first = await sf.get('sobjects');
    expect(first.headers.get('sforce-limit-info')).toBe('api-usage=1/50');
    const limits = await sf.get<Record<string, { Max: number; Remaining: number }>>('limits');
    expect(limits.headers.get('sforce-limit-info')).toBe('api-usage=2/50');
    expect(limits.body.DailyApiRequests).toEqual({ Max: 50, Remaining: 48 });
    const bad = await sf.query('SELECT Nope FROM Lead');
    expect(bad.headers.get('sforce-limit-info')).toBe('api-usage=3/50');
  });

  it('answers 403 REQUEST_LIMIT_EXCEEDED once the allowance is spent, until the window rolls on', async () => {
    const sf = sfClient(emu.info);
    emu.control.setSalesforceAllowance({ used: 50 });
    const res = await sf.get('limits');
    expect(res.status).toBe(403);
    expect(res.body).toEqual([
      { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
    ]);
    expect(res.headers.get('sforce-limit-info')).toBe('api-usage=50/50');
    emu.control.setSalesforceAllowance({ used: 0 });
    await sf.get('sobjects');
    emu.control.advanceTime({ ms: 24 * 3600_000 + 60_000 });
    expect((await sf.get('sobjects')).headers.get('sforce-limit-info')).toBe('api-usage=1/50');
  });

  it('refuses /limits to the non-admin user (no View Setup)', async () => {
    const { sid } = emu.control.sfCreateSession({ user: 'standard' });
    const res = await sfClient(emu.info, sid).get<{ errorCode: string }[]>('limits');
    expect(res.status).toBe(403);
    expect(res.body[0]!.errorCode).toBe('INSUFFICIENT_ACCESS');
  });
});
