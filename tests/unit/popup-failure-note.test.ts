// What the popup, dashboard and record panel say about a step or cycle that did not complete
// (components/failureNote.ts): the plain reason, the raw error behind the disclosure.
import { describe, expect, it } from 'vitest';
import { failureNote } from '../../components/failureNote';
import { STORAGE_FULL_REASON } from '../../lib/sync/failureReason';

const RAW = 'QuotaExceededError The transaction was aborted because the storage quota was exceeded.';

describe('failure note', () => {
  it('shows the plain reason of a Failed step, the raw error behind the disclosure', () => {
    expect(failureNote({ status: 'Failed', error: RAW, reason: STORAGE_FULL_REASON })).toEqual({
      plain: STORAGE_FULL_REASON,
      raw: RAW,
    });
  });

  it('shows the error itself when no plainer words are known, with nothing behind a disclosure', () => {
    const error = 'Interrupted: the worker stopped during this step';
    expect(failureNote({ status: 'Not Completed', error })).toEqual({ plain: error });
    expect(failureNote({ status: 'Purged', error: 'Merge failed', reason: 'Merge failed' })).toEqual({
      plain: 'Merge failed',
    });
  });

  it('says nothing for a completed or running step, or one without an error', () => {
    expect(failureNote({ status: 'Completed', error: RAW, reason: STORAGE_FULL_REASON })).toBeUndefined();
    expect(failureNote({ status: 'In Process' })).toBeUndefined();
    expect(failureNote({ status: 'Failed' })).toBeUndefined();
  });
});
