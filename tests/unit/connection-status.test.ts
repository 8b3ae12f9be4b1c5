// Each side's connection state in the popup (lib/connections/status.ts): Connected with who and
// zone after a passing test or cycle, Session expired with where to log in, Failing with the last
// error, Not connected — the newest evidence wins.
import { describe, expect, it } from 'vitest';
import { connectionStatus, storedConnectionTest } from '../../lib/connections/status';
import type { ConnectionTestView } from '../../lib/messaging/views';
import { connectionSettingsSchema, secretsSchema } from '../../lib/settings/connection';

const connections = connectionSettingsSchema.parse({
  salesforce: { instanceUrl: 'https://acme.my.salesforce.com' },
  marketo: { restEndpoint: 'https://123-ABC-456.mktorest.com/rest', clientId: 'cid' },
});
const secrets = secretsSchema.parse({ marketo: { clientSecret: 's' } });
const passing: ConnectionTestView = {
  checkedAt: 1_000,
  salesforce: {
    ok: true,
    who: {
      username: 'sync.admin@acme.com',
      displayName: 'Sync Admin',
      orgId: '00D000000000001AAA',
      instanceHost: 'acme.my.salesforce.com',
      timeZone: 'Europe/Amsterdam',
      isAdmin: true,
      mode: 'session',
    },
    usage: { used: 1, max: 15000, budget: 7500 },
  },
  marketo: {
    ok: true,
    who: { apiUser: 'api@acme.com', endpointHost: '123-abc-456.mktorest.com' },
    usage: { used: 1, budget: 10000 },
  },
};
const cycle = (status: 'Completed' | 'Failed' | 'Not Completed', endedAt: number, reason?: string) => ({
  status,
  startedAt: endedAt - 10,
  endedAt,
  apiCalls: { salesforce: 3, marketo: reason?.includes('Marketo') ? 1 : 2 },
  ...(reason && { reason, error: reason }),
});
const EXPIRED = 'The Salesforce session expired or was refused — log in to Salesforce again';

describe('connectionStatus', () => {
  it.each([
    {
      name: 'nothing configured',
      conn: connectionSettingsSchema.parse({}),
      ev: {},
      sf: 'not-configured',
      mk: 'not-configured',
    },
    { name: 'configured, never checked', conn: connections, ev: {}, sf: 'unchecked', mk: 'unchecked' },
    { name: 'a passing test', conn: connections, ev: { test: passing }, sf: 'connected', mk: 'connected' },
    {
      name: 'a completed cycle without a test',
      conn: connections,
      ev: { lastCycle: cycle('Completed', 5) },
      sf: 'connected',
      mk: 'connected',
    },
    {
      name: 'a cycle failing on an expired session after a passing test',
      conn: connections,
      ev: { test: passing, lastCycle: cycle('Failed', 2_000, EXPIRED) },
      sf: 'expired',
      mk: 'connected',
    },
    {
      name: 'a passing test after the expired cycle',
      conn: connections,
      ev: { test: { ...passing, checkedAt: 3_000 }, lastCycle: cycle('Failed', 2_000, EXPIRED) },
      sf: 'connected',
      mk: 'connected',
    },
    {
      name: 'Marketo unreachable in the last cycle',
      conn: connections,
      ev: {
        test: passing,
        lastCycle: cycle('Failed', 2_000, 'Marketo could not be reached — check the network'),
      },
      sf: 'connected',
      mk: 'error',
    },
    {
      // Salesforce answered every call of the cycle; the admin's daily budget stopped it.
      name: "a cycle stopped by today's Salesforce budget, without a test",
      conn: connections,
      ev: {
        lastCycle: cycle(
          'Not Completed',
          2_000,
          "Today's Salesforce API budget is spent (29 of 29 calls: 50 % of the org's 58 in 24 hours)",
        ),
      },
      sf: 'connected',
      mk: 'connected',
    },
    {
      name: 'a failing test',
      conn: connections,
      ev: {
        test: {
          checkedAt: 1,
          salesforce: { ok: false as const, error: 'INVALID_SESSION_ID: Session expired or invalid' },
        },
      },
      sf: 'expired',
      mk: 'unchecked',
    },
  ])('$name', ({ conn, ev, sf, mk }) => {
    const status = connectionStatus(conn, secrets, ev);
    expect(status.salesforce.state).toBe(sf);
    expect(status.marketo.state).toBe(mk);
  });

  it('connected after a test: user, host and time zone; the cycle after it keeps them', () => {
    const status = connectionStatus(connections, secrets, {
      test: passing,
      lastCycle: cycle('Completed', 5_000),
    });
    expect(status.salesforce.label).toBe(
      'Sync Admin (sync.admin@acme.com) @ acme.my.salesforce.com · Europe/Amsterdam',
    );
    expect(status.marketo.label).toBe('api@acme.com @ 123-abc-456.mktorest.com');
  });

  it('expired: the reason and the org to log in to', () => {
    const status = connectionStatus(connections, secrets, { lastCycle: cycle('Failed', 2_000, EXPIRED) });
    expect(status.salesforce).toMatchObject({
      state: 'expired',
      error: EXPIRED,
      loginUrl: 'https://acme.my.salesforce.com',
    });
  });

  it('a stored report that is not one is ignored', () => {
    expect(storedConnectionTest({ salesforce: 'x' })).toBeUndefined();
    expect(storedConnectionTest(passing)).toBe(passing);
  });
});
