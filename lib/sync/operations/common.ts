// Small helpers the operation modules share.
import type { RecordError } from '../../db/types';
import type { MarketoRecordOutcome } from '../../marketo';
import type { SaveResult } from '../../salesforce/collections';
import type { PlannedStep, PlanScope } from '../plan';
import { enabledObjects, objectTypeOf } from '../plan';

/** The person/account objects this issue syncs, in the plan's object order per operation. */
export const PERSON_OBJECTS = ['Lead', 'Contact'] as const;

export function stepsFor(
  operation: PlannedStep['operation'],
  scope: PlanScope,
  candidates: readonly string[],
): PlannedStep[] {
  return enabledObjects(scope, candidates).map((sobject) => ({
    operation,
    objectType: objectTypeOf(sobject),
    sobject,
  }));
}

/** A Marketo skipped record as our failure (its reason code and message). */
export function marketoError(outcome: MarketoRecordOutcome): RecordError {
  const reason = outcome.reasons[0];
  return {
    code: reason ? `MARKETO_${reason.code}` : 'MARKETO_SKIPPED',
    message: reason?.message || 'Marketo skipped the record without a reason',
    fields: fieldsIn(reason?.message ?? ''),
  };
}

/** A Salesforce per-record failure (SaveResult errors). */
export function salesforceError(result: SaveResult): RecordError {
  const first = result.errors[0];
  return {
    code: first?.statusCode ?? 'UNKNOWN',
    message: result.errors.map((e) => e.message).join('; ') || 'Salesforce refused the record',
    fields: [...new Set(result.errors.flatMap((e) => e.fields ?? []))],
  };
}

function fieldsIn(message: string): string[] {
  const match = /Field '([^']+)'/.exec(message);
  return match ? [match[1]!] : [];
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Salesforce returns the name field under different names per object. */
export function nameOf(row: Record<string, unknown>): string | undefined {
  const name = row.Name ?? [row.FirstName, row.LastName].filter(Boolean).join(' ');
  return typeof name === 'string' && name ? name : undefined;
}

/**
 * The items of `source`, each next one already requested while the caller handles this one (a
 * query's next page downloads while this page is written). `beforeEach` runs before each request
 * (e.g. the budget check); when the caller stops early, the request in flight is dropped.
 */
export async function* readAhead<T>(source: AsyncIterable<T>, beforeEach: () => void): AsyncGenerator<T> {
  const items = source[Symbol.asyncIterator]();
  const request = () => {
    beforeEach();
    const next = items.next();
    // Its error is raised when awaited below; not "unhandled" if the caller stopped before that.
    next.catch(() => {});
    return next;
  };
  let next = request();
  let done = false;
  try {
    for (;;) {
      const item = await next;
      if (item.done) {
        done = true;
        return;
      }
      next = request();
      yield item.value;
    }
  } finally {
    if (!done)
      void next
        .then(
          () => items.return?.(),
          () => {},
        )
        .catch(() => {});
  }
}
