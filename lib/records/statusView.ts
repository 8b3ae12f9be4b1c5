import { applyOutcome } from '../db/recordFlags';
import type { RecordStatus } from '../db/recordStatus';
import type { Operation, RecordHistoryEntry } from '../db/types';
import { type RecordStatusView, toRecordStatusView } from '../messaging/views';
import { errorHint } from './errorHints';

const HISTORY_SHOWN = 20;

/** Pull steps write Salesforce data to Marketo, push steps the other way; Sync Schema writes nothing. */
export function directionOf(operation: Operation): 'pull' | 'push' | undefined {
  if (operation === 'Sync Schema') return undefined;
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
  let flags = status.flags;
  for (const event of [...status.events].reverse()) {
    // The flags row may already reflect an event (failures are written there in the same batch).
    if (!flags || event.at > flags.updatedAt) flags = applyOutcome(flags, event, event);
  }
  const fromEvents: RecordHistoryEntry[] = status.events.map((e) => ({
    at: e.at,
    cycleId: e.cycleId,
    operation: e.operation,
    outcome: e.outcome,
    ...(e.error && { error: e.error }),
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
  return view;
}
