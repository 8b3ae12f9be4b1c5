// Test-only: a storage quota for fake-indexeddb, failing the way Chromium does. Chromium runs every
// request of a read-write transaction, then at commit finds that the transaction's writes exceed
// the origin's free quota, rolls everything back and aborts the transaction with a
// QuotaExceededError DOMException as `transaction.error` (no request fails; Dexie rejects with an
// AbortError wrapping it). A small write after that may still fit. (All three checked against
// Chromium with a quota override in tests/e2e/popup-failure-reason.test.ts.) This patches fake-indexeddb's
// transaction and object store prototypes (taken from a live database: whatever instance the test
// set-up installed) so that a read-write transaction that wrote more than `freeBytes` (values
// measured as JSON) aborts exactly so, at the point it would have committed.
import type Dexie from 'dexie';

export interface StorageQuota {
  /** Bytes one transaction may write; Infinity = no limit. */
  freeBytes: number;
  /** Transactions aborted with QuotaExceededError so far. */
  aborted: number;
  /** Called after each read-write transaction that fit, with its stores and bytes written. */
  onCommitted?: (stores: string[], bytes: number) => void;
  /** Undoes the patch. */
  restore(): void;
}

interface FakeTransaction {
  mode: string;
  _state: string;
  _requests: { request: { readyState: string } }[];
  _scope: Set<string>;
  _abort(name: string | null): void;
  _start(): void;
  error: unknown;
  __bytes?: number;
}

const sizeOf = (value: unknown) => {
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return 0;
  }
};

/** Installs the quota on the fake-indexeddb backing `db` (opened here if it is not yet). */
export async function installStorageQuota(db: Dexie): Promise<StorageQuota> {
  await db.open();
  const idb = db.backendDB();
  const probe = idb.transaction([...idb.objectStoreNames].slice(0, 1), 'readonly');
  const txProto = Object.getPrototypeOf(probe) as FakeTransaction;
  const storeProto = Object.getPrototypeOf(probe.objectStore(idb.objectStoreNames[0]!)) as {
    put(this: { transaction: FakeTransaction }, value: unknown, key?: unknown): unknown;
    add(this: { transaction: FakeTransaction }, value: unknown, key?: unknown): unknown;
  };
  const original = { start: txProto._start, put: storeProto.put, add: storeProto.add };
  const quota: StorageQuota = {
    freeBytes: Number.POSITIVE_INFINITY,
    aborted: 0,
    restore() {
      txProto._start = original.start;
      storeProto.put = original.put;
      storeProto.add = original.add;
    },
  };
  const counting = (write: typeof storeProto.put) =>
    function (this: { transaction: FakeTransaction }, value: unknown, key?: unknown) {
      this.transaction.__bytes = (this.transaction.__bytes ?? 0) + sizeOf(value);
      return key === undefined ? write.call(this, value) : write.call(this, value, key);
    };
  storeProto.put = counting(original.put);
  storeProto.add = counting(original.add);
  txProto._start = function (this: FakeTransaction) {
    const committing =
      this.mode === 'readwrite' &&
      this._state !== 'finished' &&
      !this._requests.some((r) => r.request.readyState !== 'done');
    if (committing) {
      const bytes = this.__bytes ?? 0;
      if (bytes > quota.freeBytes) {
        quota.aborted++;
        // As Chromium: a QuotaExceededError DOMException without a message (checked in
        // tests/e2e/popup-failure-reason.test.ts).
        this._abort('QuotaExceededError');
        return;
      }
      if (bytes > 0) queueMicrotask(() => quota.onCommitted?.([...this._scope], bytes));
    }
    original.start.call(this);
  };
  return quota;
}
