import { z } from 'zod';
import type { CycleRow } from '../db/types';
import type { ConnectionStatus, ConnectionTestView, SyncStateView } from '../messaging/views';
import type { ConnectionSettings, Secrets } from '../settings/connection';

// What the popup says about each side: Connected (who, where, zone), Session expired (with the
// org to log in to), Failing (the last error), Not connected — from the newest evidence there is:
// the last "Test connection" report or the last cycle, whichever is newer. A cycle that ran its
// steps reached both sides; a cycle that failed names the side in its reason
// (lib/sync/failureReason.ts words every reason "Salesforce …" or "Marketo …").

type Side = 'salesforce' | 'marketo';

/** What the popup and the options page say about a dropped OAuth grant. */
export const GRANT_LOST =
  "Salesforce refused the sync user's refresh token (revoked or expired): reconnect the sync user on the options page";
const SIDE_WORD: Record<Side, string> = { salesforce: 'Salesforce', marketo: 'Marketo' };

export interface ConnectionEvidence {
  test?: ConnectionTestView | undefined;
  lastCycle?:
    | Pick<CycleRow, 'status' | 'startedAt' | 'endedAt' | 'error' | 'reason' | 'apiCalls'>
    | undefined;
}

// The stored report is this extension's own (lib/connections writes it); only its frame is checked.
const storedTest = z.looseObject({
  checkedAt: z.number(),
  salesforce: z.looseObject({ ok: z.boolean() }).optional(),
  marketo: z.looseObject({ ok: z.boolean() }).optional(),
});

/** The last "Test connection" report from storage, or undefined when there is none or it is unreadable. */
export function storedConnectionTest(stored: unknown): ConnectionTestView | undefined {
  return storedTest.safeParse(stored).success ? (stored as ConnectionTestView) : undefined;
}

export function connectionStatus(
  connections: ConnectionSettings,
  secrets: Secrets,
  evidence: ConnectionEvidence = {},
): SyncStateView['connection'] {
  const sf = connections.salesforce;
  const mk = connections.marketo;
  const sfReady = !!sf.instanceUrl && (sf.mode === 'session' || !!secrets.salesforce.refreshToken);
  const mkReady = !!mk.restEndpoint && !!mk.clientId && !!secrets.marketo.clientSecret;
  const sfHost = sfReady ? new URL(sf.instanceUrl!).host : '';
  const sfLabel = sf.user ? `${sf.user.displayName || sf.user.username} @ ${sfHost}` : sfHost;
  // An OAuth connection whose refresh token Salesforce refused (invalid_grant) was dropped
  // (lib/connections/ports.ts): the org is still known, the sync user must connect again.
  const grantLost = sf.mode === 'oauth' && !!sf.instanceUrl && !secrets.salesforce.refreshToken;
  return {
    salesforce: sfReady
      ? sideStatus('salesforce', sfLabel, evidence, sf.instanceUrl!)
      : grantLost
        ? { state: 'error', label: new URL(sf.instanceUrl!).host, error: GRANT_LOST }
        : { state: 'not-configured' },
    marketo: mkReady
      ? sideStatus('marketo', new URL(mk.restEndpoint!).host, evidence)
      : { state: 'not-configured' },
  };
}

function sideStatus(
  side: Side,
  label: string,
  evidence: ConnectionEvidence,
  loginUrl?: string,
): ConnectionStatus {
  const fromTest = testStatus(side, label, evidence.test);
  const fromCycle = cycleStatus(side, label, evidence.lastCycle, loginUrl);
  const newest =
    fromTest && fromCycle
      ? (fromCycle.checkedAt ?? 0) > (fromTest.checkedAt ?? 0)
        ? // A cycle that says nothing new of this side keeps what the test found (user, zone).
          fromCycle.state === 'connected' && fromTest.state === 'connected'
          ? { ...fromTest, checkedAt: fromCycle.checkedAt! }
          : fromCycle
        : fromTest
      : (fromTest ?? fromCycle);
  return newest ?? { state: 'unchecked', label };
}

function testStatus(
  side: Side,
  label: string,
  test: ConnectionTestView | undefined,
): ConnectionStatus | undefined {
  const result = test?.[side];
  if (!test || !result) return undefined;
  if (!result.ok) {
    return {
      state: expiredWords(result.error) ? 'expired' : 'error',
      label,
      error: result.error,
      checkedAt: test.checkedAt,
    };
  }
  if (side === 'salesforce' && 'timeZone' in result.who) {
    const who = result.who;
    return {
      state: 'connected',
      label: `${who.displayName} (${who.username}) @ ${who.instanceHost} · ${who.timeZone}`,
      checkedAt: test.checkedAt,
    };
  }
  const apiUser = 'apiUser' in result.who ? result.who.apiUser : undefined;
  return { state: 'connected', label: apiUser ? `${apiUser} @ ${label}` : label, checkedAt: test.checkedAt };
}

function cycleStatus(
  side: Side,
  label: string,
  cycle: ConnectionEvidence['lastCycle'],
  loginUrl: string | undefined,
): ConnectionStatus | undefined {
  if (!cycle?.endedAt) return undefined;
  const words = cycle.reason ?? cycle.error ?? '';
  const aboutThisSide = words.includes(SIDE_WORD[side]);
  if ((cycle.status === 'Failed' || cycle.status === 'Purged') && aboutThisSide) {
    const expired = expiredWords(words);
    return {
      state: expired ? 'expired' : 'error',
      label,
      error: words,
      checkedAt: cycle.endedAt,
      ...(expired && loginUrl && { loginUrl }),
    };
  }
  // Calls answered on this side during the cycle: it was reachable and the credentials held — also
  // when a cycle that did not fail names this side ("Today's Salesforce API budget is spent").
  if (cycle.apiCalls[side] > 0) return { state: 'connected', label, checkedAt: cycle.endedAt };
  return undefined;
}

function expiredWords(text: string): boolean {
  return /session expired|INVALID_SESSION_ID|log in to Salesforce again|refused the API credentials/i.test(
    text,
  );
}
