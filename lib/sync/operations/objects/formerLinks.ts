// Records of issue 19 that Salesforce moved to a parent they cannot be written on yet — a contact
// role or a custom object record moved to a person the sync filter excludes, or one not in Marketo
// yet, or a custom record whose lookups were cleared — leave the Marketo record written on the
// former person at once: Salesforce no longer says that person holds it, and nothing else would
// take it away (the record is written again, on its new person, once it can be). The writer that
// found them (roles.ts, customObjects.ts) decides their states from what this returns.
import type { PackedOutcome } from '../../../db/types';
import type { MarketoRecordOutcome } from '../../../marketo';
import type { StepContext } from '../../context';
import { failure, throwIfCrmRefused } from './crm';

export interface Leaving {
  /** The Salesforce record. */
  id: string;
  /** The Marketo record written on the former parent. */
  guid: string;
  /** The former parent (a contact, a lead). */
  from: string;
}

/**
 * Deletes the Marketo records these left (by marketoGUID, one call for a batch's ≤ 300). Returns,
 * for each, undefined when the record is gone (1013: Marketo no longer has it — its person was
 * deleted or merged away) or the refusal as the record's failure.
 */
export async function deleteLeft(
  ctx: StepContext,
  leaving: readonly Leaving[],
  remove: (input: { marketoGUID: string }[]) => Promise<MarketoRecordOutcome[]>,
  endpoint: string,
): Promise<(PackedOutcome['error'] | undefined)[]> {
  if (leaving.length === 0) return [];
  ctx.budget.check();
  const results = await remove(leaving.map((l) => ({ marketoGUID: l.guid })));
  throwIfCrmRefused(results, endpoint);
  return results.map((r) =>
    r.status === 'deleted' || r.reasons[0]?.code === '1013' ? undefined : failure(r),
  );
}

/** A leaving record's outcome becomes its failure (its state stays: the retry deletes again). */
export function failLeaving(outcomes: PackedOutcome[], id: string, error: PackedOutcome['error']): void {
  const at = outcomes.findIndex((o) => o.sfId === id);
  const failed: PackedOutcome = { sfId: id, outcome: 'failed', ...(error && { error }) };
  if (at >= 0) outcomes[at] = failed;
  else outcomes.push(failed);
}
