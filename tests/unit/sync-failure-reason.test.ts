// The failure classifier (lib/sync/failureReason.ts): plain words for the errors a cycle can end
// with, the raw text kept; storage errors are the real ones Dexie throws on fake-indexeddb.
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { SyncLogDatabase } from '../../lib/db/database';
import { emptyCounters } from '../../lib/db/types';
import { errorFromEnvelope, transportError } from '../../lib/marketo/errors';
import { errorFromResponse } from '../../lib/salesforce/errors';
import { BudgetSpentError } from '../../lib/sync/budget';
import { failureReason, isStorageFailure, STORAGE_FULL_REASON } from '../../lib/sync/failureReason';
import { StepEndNotWritten } from '../../lib/sync/runner';
import { installStorageQuota, type StorageQuota } from '../support/quotaIndexedDb';

let n = 0;
let db: SyncLogDatabase | undefined;
let quota: StorageQuota | undefined;
afterEach(() => {
  quota?.restore();
  quota = undefined;
  db?.close();
  db = undefined;
});
const freshDb = () => {
  db = new SyncLogDatabase(`failure-reason-${process.pid}-${++n}`);
  return db;
};

/** What a promise rejects with. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('failureReason: storage', () => {
  it('a transaction aborted at commit for quota (as Chromium does) is "storage full", raw error kept', async () => {
    const log = freshDb();
    quota = await installStorageQuota(log);
    quota.freeBytes = 100;
    const error = await rejection(
      log.transaction('rw', log.cursors, () =>
        log.cursors.put({ key: 'k', value: 'x'.repeat(500), updatedAt: 0 }),
      ),
    );
    expect(error).toBeInstanceOf(Dexie.AbortError);
    const failure = failureReason(error);
    expect(failure).toMatchObject({ kind: 'storage-full', reason: STORAGE_FULL_REASON });
    expect(failure.raw).toBe('AbortError: QuotaExceededError');
    expect(isStorageFailure(failure)).toBe(true);
    // Rolled back, and a small write still fits.
    expect(await log.cursors.get('k')).toBeUndefined();
    await log.cursors.put({ key: 'k', value: 'x', updatedAt: 0 });
  });

  it('Dexie.QuotaExceededError and a bare QuotaExceededError DOMException are "storage full" too', () => {
    const dom = new DOMException('Quota exceeded', 'QuotaExceededError');
    expect(failureReason(new Dexie.QuotaExceededError(dom)).kind).toBe('storage-full');
    expect(failureReason(dom).kind).toBe('storage-full');
  });

  it('other IndexedDB errors keep their real reason', async () => {
    const log = freshDb();
    await log.cycles.add({
      id: 1,
      trigger: 'manual',
      startedAt: 0,
      endedAt: null,
      status: 'In Process',
      totals: emptyCounters(),
      apiCalls: { salesforce: 0, marketo: 0 },
    });
    const duplicate = failureReason(await rejection(log.cycles.add({ ...(await log.cycles.get(1))! })));
    expect(duplicate.kind).toBe('storage');
    expect(duplicate.reason).toMatch(/^The sync log could not be written \(IndexedDB ConstraintError: /);
    log.close();
    const closed = failureReason(await rejection(log.cursors.put({ key: 'k', value: 'v', updatedAt: 0 })));
    expect(closed).toMatchObject({ kind: 'storage' });
    expect(closed.reason).toContain('DatabaseClosedError');
    expect(isStorageFailure(closed)).toBe(true);
  });

  it('the log failing to take a step end is classified by what it wraps', () => {
    const quotaError = new Dexie.AbortError(new DOMException('full', 'QuotaExceededError'));
    const wrapped = new StepEndNotWritten(7, { error: 'x' }, quotaError);
    expect(failureReason(wrapped)).toMatchObject({ kind: 'storage-full', reason: STORAGE_FULL_REASON });
  });
});

describe('failureReason: APIs, budget, network, the rest', () => {
  const cases: { name: string; error: unknown; kind: string; reason: RegExp }[] = [
    {
      name: 'Salesforce expired session (401 INVALID_SESSION_ID)',
      error: errorFromResponse(
        401,
        { errorCode: 'INVALID_SESSION_ID', message: 'Session expired' },
        '/query',
      ),
      kind: 'session-expired',
      reason: /Salesforce session expired .*log in to Salesforce again/,
    },
    {
      name: 'Marketo token refused twice (601)',
      error: errorFromEnvelope('601', 'Access token invalid', '/rest/v1/leads.json', 20_000),
      kind: 'session-expired',
      reason: /Marketo refused the API credentials/,
    },
    {
      name: 'Salesforce REQUEST_LIMIT_EXCEEDED',
      error: errorFromResponse(403, { errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests' }, '/q'),
      kind: 'api-limit',
      reason: /Salesforce's daily API limit/,
    },
    {
      name: 'Marketo daily quota (607)',
      error: errorFromEnvelope('607', 'Daily quota reached', '/rest/v1/leads.json', 20_000),
      kind: 'api-limit',
      reason: /Marketo's daily API quota/,
    },
    {
      name: 'cycle budget',
      error: new BudgetSpentError('200 API calls'),
      kind: 'cycle-budget',
      reason: /budget was spent/,
    },
    {
      name: 'Marketo unreachable',
      error: transportError(new TypeError('fetch failed'), '/rest/v1/leads.json'),
      kind: 'network',
      reason: /Marketo could not be reached/,
    },
    {
      name: "a fetch's AbortError is not a storage error",
      error: new DOMException('The operation was aborted', 'AbortError'),
      kind: 'other',
      reason: /^The operation was aborted$/,
    },
    { name: 'anything else', error: new Error('Bad mapping'), kind: 'other', reason: /^Bad mapping$/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const failure = failureReason(c.error);
      expect(failure.kind).toBe(c.kind);
      expect(failure.reason).toMatch(c.reason);
      expect(failure.raw).toContain((c.error as Error).message);
      expect(isStorageFailure(failure)).toBe(false);
    });
  }
});
