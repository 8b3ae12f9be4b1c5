import type { RecordStatus } from '../db/recordStatus';
import type { AppliedValueRule, FieldChange, Operation, RecordHistoryEntry } from '../db/types';
import { type RecordStatusView, toRecordStatusView } from '../messaging/views';
import { normalizeValue } from '../sync/hash';
import { errorHint } from './errorHints';
import { loggedFlags } from './recordState';

const HISTORY_SHOWN = 20;

/** Pull steps write Salesforce data to Marketo, push steps the other way; Sync Schema writes nothing. */
export function directionOf(operation: Operation): 'pull' | 'push' | undefined {
  // Reconcile reads both sides and writes neither: it has no direction.
  if (operation === 'Sync Schema' || operation === 'Reconcile') return undefined;
  return operation.startsWith('Push') ? 'push' : 'pull';
}

/**
 * Folds a record's packed events (newest first, within retention) onto its flags row (failures
 * and state that outlived retention) into what the record panel shows.
 */
export function recordStatusView(
  objectType: string,
  status: RecordStatus,
  hiddenFields: string[] = [],
): RecordStatusView {
  // The flags row may already reflect an event (failures are written there in the same batch).
  const flags = loggedFlags(status);
  const fromEvents: RecordHistoryEntry[] = status.events.map((e) => ({
    at: e.at,
    cycleId: e.cycleId,
    operation: e.operation,
    outcome: e.outcome,
    ...(e.error && { error: e.error }),
    ...(e.reason !== undefined && { reason: e.reason }),
  }));
  const oldestEvent = status.events.at(-1)?.at ?? Number.POSITIVE_INFINITY;
  const older = (status.flags?.history ?? []).filter((h) => h.at < oldestEvent);
  const view = toRecordStatusView(objectType, status.sfId, flags, { hint: errorHint, hiddenFields });
  view.history = [...fromEvents, ...older].slice(0, HISTORY_SHOWN);
  // A failure's flags row is written without the earlier sync's time: take it from the events.
  if (view.lastSyncedAt === undefined) {
    const synced = status.events.find((e) => ['new', 'updated', 'deleted'].includes(e.outcome));
    if (synced) view.lastSyncedAt = synced.at;
  }
  const direction = view.operation && directionOf(view.operation);
  if (direction) view.direction = direction;
  // A drifted event's fields are what the next cycle will write, not what was written.
  view.lastChanges = withPreviousValues(status.events.filter((e) => e.outcome !== 'drifted'));
  if (view.state === 'drifted')
    view.drifted = status.events.find((e) => e.outcome === 'drifted')?.changes ?? [];
  const ruled = status.events.filter((e) => e.valueRules?.length);
  if (ruled.length) view.valueRulesApplied = { times: ruled.length, rules: distinctRules(ruled) };
  return view;
}

/** Each rule once ("State CA → California"), newest event first. */
function distinctRules(events: RecordStatus['events']): AppliedValueRule[] {
  const seen = new Map<string, AppliedValueRule>();
  for (const rule of events.flatMap((e) => e.valueRules ?? [])) {
    const key = JSON.stringify([rule.field, rule.from, rule.to]);
    if (!seen.has(key)) seen.set(key, rule);
  }
  return [...seen.values()];
}

const same = (a: unknown, b: unknown) => normalizeValue(a) === normalizeValue(b);

/**
 * The fields the newest writing event wrote, with each field's value before it. The engine keeps
 * hashes, not old values (design §6 write budget), so "before" is what an earlier event in the log
 * wrote to that field; when no earlier write is known, `old` is undefined (not "empty"). Fields
 * written with the value they already had, and empty fields first written empty, are left out.
 */
function withPreviousValues(events: RecordStatus['events']): FieldChange[] {
  const newest = events.findIndex((e) => e.changes && e.changes.length > 0);
  if (newest < 0) return [];
  const previous = new Map<string, unknown>();
  for (const event of events.slice(newest + 1)) {
    for (const change of event.changes ?? [])
      if (!previous.has(change.field)) previous.set(change.field, change.new);
  }
  return (events[newest]!.changes ?? []).flatMap((change) => {
    const known = previous.has(change.field) || (change.old !== null && change.old !== undefined);
    const old = previous.has(change.field) ? previous.get(change.field) : (change.old ?? undefined);
    if (known && same(old, change.new)) return [];
    if (!known && normalizeValue(change.new) === null) return [];
    return [{ field: change.field, old: known ? old : undefined, new: change.new }];
  });
}
