// What the background answers a record panel (message getRecordStatus): this one record's status
// and nothing else — the logged state folded from its packed events and flags row, the fields the
// sync user cannot read or update, whether it changed since it was last synced ("pending"), and
// whether a Sync now for it is under way. Users known not to be admins get a notice instead.
import type { SyncLogDatabase } from '../db/database';
import { getRecordStatus } from '../db/recordStatus';
import type { CycleRow } from '../db/types';
import type { RecordPanelAnswer, RecordStatusView } from '../messaging/views';
import type { SyncSettings } from '../settings/schema';
import { OPERATION_MODULES } from '../sync/operations';
import { buildPlan } from '../sync/plan';
import { fieldAccess } from './fieldAccess';
import type { PendingCheck, PendingChecker } from './pendingCheck';
import { recordStatusView } from './statusView';

export interface RecordPanelDeps {
  db: SyncLogDatabase;
  settings(): Promise<SyncSettings>;
  /** The Salesforce user's admin flag as the options page detected it; undefined = not known yet. */
  isAdmin(): Promise<boolean | undefined>;
  timeZone(): Promise<string | undefined>;
  pending: PendingChecker;
  /** Whether a one-record cycle for this id is running or queued (lib/scheduler). */
  syncing(sfId: string): 'running' | 'queued' | undefined;
  /** How long the answer waits for the live pending check (default 25 ms; see below). */
  pendingWaitMs?: number;
}

/** Marks an answer sent before the live check finished; the panel asks again shortly. */
export const PENDING_CHECKING = 'checking';

/** Objects the sync links to Marketo persons: a record without one is "not linked". */
const PERSON_OBJECTS = new Set(['Lead', 'Contact']);

/** Whether a one-record cycle would handle this object: the plan has a step on it besides Sync Schema. */
export function panelHandlesObject(settings: SyncSettings, sobject: string, sfId: string): boolean {
  return buildPlan(OPERATION_MODULES, { settings, record: { sobject, id: sfId } }).some(
    ({ step }) => step.sobject === sobject && step.operation !== 'Sync Schema',
  );
}

export function createRecordPanelService(deps: RecordPanelDeps) {
  return async function recordPanelStatus(request: {
    objectType: string;
    recordId: string;
  }): Promise<RecordPanelAnswer> {
    const { objectType, recordId } = request;
    if ((await deps.isAdmin()) === false) return { objectType, recordId, notice: 'admin-required' };
    const settings = await deps.settings();
    if (!panelHandlesObject(settings, objectType, recordId)) {
      return { objectType, recordId, notice: 'not-synced' };
    }
    const [status, schema, timeZone, lastCycle] = await Promise.all([
      getRecordStatus(deps.db, recordId),
      deps.db.schemas.get(objectType),
      deps.timeZone(),
      lastFinishedCycle(deps.db),
    ]);
    const access = fieldAccess(settings.objects[objectType], schema);
    const view = recordStatusView(objectType, status, access.hidden);
    view.readOnlyFields = access.readOnly;
    if (timeZone) view.timeZone = timeZone;
    if (lastCycle?.reason && lastCycle.status !== 'Completed') {
      view.cycleProblem = {
        id: lastCycle.id,
        status: lastCycle.status,
        reason: lastCycle.reason,
        ...(lastCycle.error !== undefined && { error: lastCycle.error }),
      };
    }
    const entry = status.syncState;
    if (view.mktoId === undefined && entry?.m !== undefined) view.mktoId = entry.m;
    const syncing = deps.syncing(recordId);
    if (syncing) {
      view.syncing = syncing;
      return view;
    }
    if (view.state === 'deleted' || view.state === 'converted') return view;
    const logKey = `${status.events[0]?.eventId ?? 0}:${status.flags?.updatedAt ?? 0}`;
    // The live check is one Salesforce API call (100–300 ms on a real org): the panel must show
    // within 150 ms of the page load, so the logged state goes out first if the check is slow; the
    // check goes on, caches its result, and the panel's second ask gets it.
    const check = deps.pending.check({ sobject: objectType, sfId: recordId, settings, entry }, logKey);
    const pending = await Promise.race([
      check,
      new Promise<undefined>((resolve) => setTimeout(resolve, deps.pendingWaitMs ?? 25)),
    ]);
    if (pending) applyPending(view, pending, entry !== undefined);
    else view.pendingUnknown = PENDING_CHECKING;
    if (
      PERSON_OBJECTS.has(objectType) &&
      view.mktoId === undefined &&
      ['unknown', 'synced', 'skipped', 'pending'].includes(view.state)
    ) {
      view.state = 'not-linked';
    }
    return view;
  };
}

/** The newest cycle that ended (a running one has nothing to say yet). */
async function lastFinishedCycle(db: SyncLogDatabase): Promise<CycleRow | undefined> {
  return db.cycles
    .orderBy('startedAt')
    .reverse()
    .filter((c) => c.status !== 'In Process')
    .first();
}

/** Folds the live check into the logged state: a change not synced yet wins over "synced". */
function applyPending(view: RecordStatusView, pending: PendingCheck, everSynced: boolean): void {
  if (pending.kind === 'unknown') {
    view.pendingUnknown = pending.reason;
    return;
  }
  if (pending.kind === 'missing') return;
  if (pending.excludedBy) {
    if (view.state !== 'excluded') {
      view.state = 'excluded';
      view.excludedReason = `${pending.excludedBy} is checked`;
    }
    return;
  }
  if (view.state === 'excluded') {
    // The filter field was cleared since: the next cycle syncs it again.
    view.state = 'pending';
    view.pendingFields = pending.changed;
    return;
  }
  if (!everSynced || pending.changed.length === 0) return;
  view.pendingFields = pending.changed;
  // A failed record stays "Failed" (its error is what the admin must act on); the panel still
  // lists what changed since, which the next retry picks up.
  if (view.state === 'synced' || view.state === 'skipped') view.state = 'pending';
}

export type RecordPanelService = ReturnType<typeof createRecordPanelService>;
