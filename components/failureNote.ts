import type { StepStatus } from '../lib/db/types';

// What the popup, dashboard and record panel say about a step or cycle that did not complete: the
// plain reason (lib/sync/failureReason.ts wrote it next to the raw error) and the raw error for
// the disclosure, when it says more than the reason.

export interface FailureNote {
  /** The reason in plain words, or the error itself when no plainer words are known. */
  plain: string;
  /** The raw error, shown behind a disclosure. */
  raw?: string;
}

const UNFINISHED: ReadonlySet<StepStatus> = new Set(['Failed', 'Not Completed', 'Purged']);

export function failureNote(row: {
  status: StepStatus;
  error?: string;
  reason?: string;
}): FailureNote | undefined {
  if (!UNFINISHED.has(row.status)) return undefined;
  const plain = row.reason ?? row.error;
  if (!plain) return undefined;
  return row.reason !== undefined && row.error !== undefined && row.error !== row.reason
    ? { plain, raw: row.error }
    : { plain };
}
