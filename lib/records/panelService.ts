// What the background answers a record panel (message getRecordStatus): this one record's status
// and nothing else — the logged state folded from its packed events and flags row, the fields the
// sync user cannot read or update, whether it changed since it was last synced ("pending"), and
// whether a Sync now for it is under way. Users known not to be admins get a notice instead.
import type { LogDatabase } from '../db/logPort';
import { getRecordStatus } from '../db/recordStatus';
import type { CycleRow } from '../db/types';
import type { RecordPanelAnswer, RecordStatusView } from '../messaging/views';
import type { SyncSettings } from '../settings/schema';
import { OPERATION_MODULES } from '../sync/operations';
import { buildPlan } from '../sync/plan';
import { activityRecordView, sentActivitiesView } from './activitiesPanel';
import { campaignPairView } from './campaignPanel';
import { contactRolesView } from './contactRoles';
import { emailTemplatePanelView } from './emailTemplatePanel';
import { fieldAccess } from './fieldAccess';
import type { PendingChecker } from './pendingCheck';
import { personProgramsView } from './personPrograms';
import { PENDING_CHECKING, type ShownState, shownState } from './recordState';
import { recordStatusView } from './statusView';

export interface RecordPanelDeps {
  db: LogDatabase;
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
export { PENDING_CHECKING };

/** Objects the sync links to Marketo persons: a record without one is "not linked". */
const PERSON_OBJECTS = new Set(['Lead', 'Contact']);

/** Whether a one-record cycle would handle this object: the plan has a step on it besides Sync Schema. */
export function panelHandlesObject(settings: SyncSettings, sobject: string, sfId: string): boolean {
  return buildPlan(OPERATION_MODULES, { settings, record: { sobject, id: sfId } }).some(
    ({ step }) => step.sobject === sobject && step.operation !== 'Sync Schema',
  );
}

/** Objects whole cycles write that no one-record cycle handles (opportunities, roles, users…). */
export function syncedByCycles(settings: SyncSettings, sobject: string): boolean {
  if (sobject === 'Campaign' || sobject === 'CampaignMember') return false;
  return buildPlan(OPERATION_MODULES, { settings }).some(
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
    // A campaign in a campaign ⇄ program pair is synced by whole-cycle steps only (no one-record
    // cycle): its panel shows the pair (lib/records/campaignPanel.ts) next to its own status.
    const programPair =
      objectType === 'Campaign' ? await campaignPairView(deps.db, settings, recordId) : undefined;
    const oneRecord = !programPair && panelHandlesObject(settings, objectType, recordId);
    const cycleOnly = !programPair && !oneRecord && syncedByCycles(settings, objectType);
    if (!programPair && !oneRecord && !cycleOnly) return { objectType, recordId, notice: 'not-synced' };
    const [status, schema, timeZone, lastCycle] = await Promise.all([
      getRecordStatus(deps.db, recordId),
      deps.db.schemas.get(objectType),
      deps.timeZone(),
      lastFinishedCycle(deps.db),
    ]);
    const access = fieldAccess(settings.objects[objectType], schema);
    const view = recordStatusView(objectType, status, access.hidden);
    view.readOnlyFields = access.readOnly;
    if (programPair) view.programPair = programPair;
    if (timeZone) view.timeZone = timeZone;
    if (lastCycle?.reason && lastCycle.status !== 'Completed') {
      view.cycleProblem = {
        id: lastCycle.id,
        status: lastCycle.status,
        reason: lastCycle.reason,
        ...(lastCycle.error !== undefined && { error: lastCycle.error }),
      };
    }
    const syncState = status.syncState;
    if (view.mktoId === undefined && syncState?.marketoId !== undefined) view.mktoId = syncState.marketoId;
    if (PERSON_OBJECTS.has(objectType) && view.mktoId !== undefined) {
      const programs = await personProgramsView(deps.db, settings, view.mktoId);
      if (programs.length > 0) view.programs = programs;
    }
    if (objectType === 'Contact' && settings.objects.OpportunityContactRole?.enabled) {
      const roles = await contactRolesView(deps.db, recordId);
      if (roles.length > 0) view.opportunityRoles = roles;
    }
    if (PERSON_OBJECTS.has(objectType)) {
      const sent = await sentActivitiesView(deps.db, recordId);
      if (sent.length > 0) view.sentActivities = sent;
    }
    if (objectType === 'Task' || objectType === 'Event') {
      const activity = activityRecordView(status);
      if (activity) view.activity = activity;
    }
    if (cycleOnly) {
      // Opportunities, roles, users, custom records: whole cycles write them; no live check either
      // (their fields are not a person's mapping).
      view.cycleOnly = true;
      const key = syncState?.hashes['@guid'] ?? syncState?.hashes['@id'];
      if (key) view.marketoKey = key;
      const email = await emailTemplatePanelView(deps.db, settings, syncState, view.name);
      if (email) view.emailTemplate = email;
      // The org's own templates: the sync writes only those it made from Marketo emails.
      else if (objectType === 'EmailTemplate') return { objectType, recordId, notice: 'not-synced' };
      return withShown(
        view,
        shownState({ logged: view.state, person: false, linked: false, everSynced: !!syncState }),
      );
    }
    const input = {
      logged: view.state,
      ...(view.excludedReason !== undefined && { excludedReason: view.excludedReason }),
      person: PERSON_OBJECTS.has(objectType),
      linked: view.mktoId !== undefined,
      everSynced: syncState !== undefined,
    };
    const syncing = deps.syncing(recordId);
    if (syncing) return withShown(view, shownState({ ...input, syncing }), syncing);
    // A campaign has no mapped fields to be pending; its members' work is in the pair's view.
    if (view.state === 'deleted' || view.state === 'converted' || programPair)
      return withShown(view, shownState(input));
    const logKey = `${status.events[0]?.eventId ?? 0}:${status.flags?.updatedAt ?? 0}`;
    // The live check is one Salesforce API call (100–300 ms on a real org): the panel must show
    // within 150 ms of the page load, so the logged state goes out first if the check is slow; the
    // check goes on, caches its result, and the panel's second ask gets it.
    const check = deps.pending.check(
      {
        sobject: objectType,
        sfId: recordId,
        settings,
        hashes: syncState?.hashes,
        numbers: syncState?.syncedNumbers,
      },
      logKey,
    );
    const live = await Promise.race([
      check,
      new Promise<undefined>((resolve) => setTimeout(resolve, deps.pendingWaitMs ?? 25)),
    ]);
    return withShown(view, shownState({ ...input, ...(live && { live }) }));
  };
}

/** The newest cycle that ended (a running one has nothing to say yet). */
async function lastFinishedCycle(db: LogDatabase): Promise<CycleRow | undefined> {
  return db.cycles
    .orderBy('startedAt')
    .reverse()
    .filter((c) => c.status !== 'In Process')
    .first();
}

/** The view with the state recordState.ts decided. */
function withShown(
  view: RecordStatusView,
  shown: ShownState,
  syncing?: 'running' | 'queued',
): RecordStatusView {
  view.state = shown.state;
  if (shown.excludedReason !== undefined) view.excludedReason = shown.excludedReason;
  if (shown.pendingFields) view.pendingFields = shown.pendingFields;
  if (shown.pendingUnknown !== undefined) view.pendingUnknown = shown.pendingUnknown;
  if (syncing) view.syncing = syncing;
  return view;
}

export type RecordPanelService = ReturnType<typeof createRecordPanelService>;
