import type {
  AppliedValueRule,
  Counters,
  CycleRow,
  FieldChange,
  Operation,
  PendingFailure,
  RecordError,
  RecordFlagsRow,
  RecordHistoryEntry,
  RecordState,
} from '../db/types';
import type { EmailTemplatePanelView } from './emailTemplateViews';
import type { ServiceSource } from './logViews';

// What the background answers. These cross into content scripts, so they carry only what the view
// shows: one record's flags, the sync's state — never a token, a secret or another record's data.

/** What the record panel shows for one Salesforce record (design §7 "Record panel"). */
/** A Campaign page's campaign ⇄ program pair (lib/records/campaignPanel.ts, issue 17). */
export interface ProgramPairPanelView {
  programId: number;
  programName: string;
  direction: 'both' | 'toProgram' | 'toCampaign';
  /** Init Link to Program has loaded the pair for this program. */
  loaded: boolean;
  /** Members both sides agree on. */
  membersInStep: number;
  /**
   * The newest finished Sync now of this pair (a one-record cycle on its campaign), among the
   * newest cycles: what it wrote (every step's counts, this pair's alone), and why it did not
   * complete when it did not.
   */
  lastSyncNow?: {
    at: number;
    status: string;
    new: number;
    updated: number;
    deleted: number;
    failed: number;
    skipped: number;
    excluded: number;
    /** Why it did not complete (the reason in plain words, else the error). */
    reason?: string;
  };
  /** The newest finished Sync to Program step (it covers every pair). */
  lastSyncToProgram?: {
    at: number;
    status: string;
    new: number;
    updated: number;
    deleted: number;
    failed: number;
  };
}

/** A Lead or Contact page: the person's membership of one linked program (lib/records/personPrograms.ts). */
export interface PersonProgramView {
  campaignId: string;
  campaignName: string;
  programId: number;
  programName: string;
  /** The status both sides agreed on last, when it is one of the pair's known statuses. */
  programStatus?: string;
  campaignStatus?: string;
}

/** One opportunity role of a contact (record panel, issue 19). */
export interface OpportunityRoleView {
  roleId: string;
  opportunityId: string;
  opportunityName?: string;
  role: string;
  primary: boolean;
}

/** A Task or Event sent to Marketo, as a Lead or Contact page lists it (issue 20, docs/activities.md). */
export interface SentActivityView {
  id: string;
  object: 'Task' | 'Event';
  subject?: string;
  /** The last activity sent for it: Logged (first), Updated, Deleted. */
  change: 'Logged' | 'Updated' | 'Deleted';
  at: number;
}

/** A Task or Event page: where it comes from and what the sync did with it (issue 20). */
export interface ActivityRecordView {
  /** toMarketo: sent as a Marketo activity (Update Activities); fromMarketo: made from one (Push New). */
  source: 'toMarketo' | 'fromMarketo';
  /** The Marketo activity: the one it was first sent as, or the one the Task was made from. */
  marketoActivity?: string;
  /** toMarketo: the last activity sent (an Updated or Deleted one after changes). */
  lastActivity?: string;
  change?: 'Logged' | 'Updated' | 'Deleted';
  /** The Marketo person it is on. */
  person?: number;
}

export interface RecordStatusView {
  objectType: string;
  /** The 18-character id, whatever form was asked for. */
  recordId: string;
  /** `unknown`: the sync has not handled this record (yet) within the log's retention. */
  state: RecordState | 'unknown';
  name?: string;
  lastSyncedAt?: number;
  operation?: Operation;
  cycleId?: number;
  mktoId?: number;
  /** Fields written the last time the record synced. */
  lastChanges: FieldChange[];
  lastError?: RecordError & { hint: string };
  /** Attempts so far for a failed record, and when it is tried again. */
  attempts?: number;
  nextRetryAt?: number;
  excludedReason?: string;
  /** Why the last outcome skipped the record, when it says (a change below its threshold). */
  skippedReason?: string;
  /** Mapped fields the sync user cannot read (the panel warns about them). */
  hiddenFields: string[];
  /** Mapped fields Marketo should write (push) that the sync user cannot update. */
  readOnlyFields?: string[];
  /** Direction of the last step: pull = Salesforce → Marketo, push = Marketo → Salesforce. */
  direction?: 'pull' | 'push';
  /**
   * Fields a failed write still owes (issue 14), per operation: the value it could not write and
   * why. The record stays Failed until each is written or its source value changes.
   */
  owedFields?: OwedFieldView[];
  /** Mapped fields changed in Salesforce since they were last synced (state "pending"). */
  pendingFields?: string[];
  /** Why the pending check could not run (e.g. not connected); the state is then the logged one. */
  pendingUnknown?: string;
  /** A one-record cycle for this record is running or waiting for the cycle in progress. */
  syncing?: 'running' | 'queued';
  /** The Salesforce user's IANA time zone when known (else the browser's is used). */
  timeZone?: string;
  /** Campaign pages: the campaign's Marketo program pair, when it has one. */
  programPair?: ProgramPairPanelView;
  /** Lead and Contact pages: the person's memberships of linked programs. */
  programs?: PersonProgramView[];
  /** Contact pages: the contact's opportunity roles as written to Marketo (issue 19). */
  opportunityRoles?: OpportunityRoleView[];
  /** Lead and Contact pages: their Tasks and Events sent to Marketo (issue 20). */
  sentActivities?: SentActivityView[];
  /** Task and Event pages: the record's source and its Marketo activity (issue 20). */
  activity?: ActivityRecordView;
  /**
   * Objects the sync writes in whole cycles only (opportunities, roles, users, custom objects): no
   * Sync now for one record; the panel says so.
   */
  cycleOnly?: boolean;
  /** Their Marketo record: a marketoGUID, or a sales person's or company's id. */
  marketoKey?: string;
  /** EmailTemplate pages: the Marketo email the template comes from (issue 20). */
  emailTemplate?: EmailTemplatePanelView;
  /**
   * Writes of this record a value rule rewrote (settings `valueRules`), among the events shown: how
   * many, and the rules (each once).
   */
  valueRulesApplied?: { times: number; rules: AppliedValueRule[] };
  /** State "drifted": what Reconcile found, each field with its value now and the value it gets. */
  drifted?: FieldChange[];
  /** Newest first. */
  history: RecordHistoryEntry[];
  /**
   * The newest finished cycle, when it did not complete for a reason that concerns the whole sync
   * (browser storage full, an expired session, a spent API limit…): the record's state shown may
   * be older than its data. Only classified failures come here (their reason names no record).
   */
  cycleProblem?: Pick<CycleRow, 'id' | 'status' | 'error'> & { reason: string };
}

export interface OwedFieldView {
  operation: Operation;
  /** Salesforce API name. */
  field: string;
  value: unknown;
  error?: RecordError;
}

/**
 * What the record panel gets instead of a status: `admin-required` for users who are not admins
 * (nothing about the record is sent), `not-synced` on objects the sync does not handle (no panel).
 */
export interface RecordPanelNotice {
  objectType: string;
  recordId: string;
  notice: 'admin-required' | 'not-synced';
}

export type RecordPanelAnswer = RecordStatusView | RecordPanelNotice;

export const isPanelNotice = (answer: RecordPanelAnswer): answer is RecordPanelNotice => 'notice' in answer;

/** "Retry these now": how many failing records were made due now, and the cycle that retries them. */
export interface RetryCauseAnswer {
  records: number;
  /** Absent when no record of the cause is still failing (nothing to retry). */
  cycle?: SyncRequestResult;
}

export type SyncRequestResult =
  | { status: 'started' }
  /** Accepted; it runs after the cycle in progress. */
  | { status: 'queued' }
  | {
      status: 'refused';
      /** service-mode: the cycles run in a service, which this request cannot reach or refused. */
      reason: 'paused' | 'not-connected' | 'excluded' | 'too-soon' | 'not-synced' | 'service-mode';
      message: string;
    };

export interface ConnectionStatus {
  state: 'not-configured' | 'connected' | 'expired' | 'error' | 'unchecked';
  /** Session expired: where to log in again (the org's URL). */
  loginUrl?: string;
  /** e.g. the Salesforce instance host and user, or the Marketo Munchkin host. */
  label?: string;
  error?: string;
  checkedAt?: number;
}

export type CycleSummary = Pick<
  CycleRow,
  'id' | 'trigger' | 'startedAt' | 'endedAt' | 'status' | 'error' | 'reason'
> & {
  totals: Counters;
};

export interface SyncStateView {
  paused: boolean;
  running: boolean;
  /** Epoch ms of the next scheduled cycle; null while paused. */
  nextRunAt: number | null;
  lastCycle?: CycleSummary;
  /** Why the last cycle could not run at all (no cycle row tells it); gone after a cycle that ran. */
  problem?: { reason: string; error: string; at: number };
  connection: { salesforce: ConnectionStatus; marketo: ConnectionStatus };
  /** Issue 21: the cycles run in this service, and this state is its (docs/service-mode.md). */
  service?: ServiceSource;
}

/**
 * What the popup shows from the stored settings and connections, parsed by the background
 * (lib/messaging/popupView.ts), so that the popup itself needs no zod.
 */
export interface PopupView {
  /** False for a Salesforce user without admin permissions: the popup shows nothing of the log. */
  isAdmin?: boolean;
  personLabel: 'Lead' | 'Person';
  /** The org's instance URL (an http(s) origin), for record links. */
  instanceUrl?: string;
  /** What the stored connections name (Salesforce host or user, Marketo host), until checked. */
  salesforceLabel?: string;
  marketoLabel?: string;
  /** Stored settings or connections that fail validation, each field named. */
  settingsError?: string;
  /** The Salesforce user's IANA time zone (last connection test); the table falls back to the browser's. */
  timeZone?: string;
  /** Issue 21: the cycles run in this service; the pages read its log through the background. */
  service?: ServiceSource;
}

/**
 * The record panel's view of a record from its flags row (or none: never synced). Error hints
 * come from the caller, which knows the error catalogue; hidden fields from the last pre-flight.
 */
export function toRecordStatusView(
  objectType: string,
  recordId: string,
  flags: RecordFlagsRow | undefined,
  options: { hint: (error: RecordError) => string; hiddenFields?: string[] },
): RecordStatusView {
  const view: RecordStatusView = {
    objectType,
    recordId,
    state: flags?.state ?? 'unknown',
    lastChanges: flags?.lastChanges ?? [],
    hiddenFields: options.hiddenFields ?? [],
    history: flags?.history ?? [],
  };
  if (!flags) return view;
  if (flags.name !== undefined) view.name = flags.name;
  if (flags.lastSyncedAt !== undefined) view.lastSyncedAt = flags.lastSyncedAt;
  if (flags.lastOperation !== undefined) view.operation = flags.lastOperation;
  if (flags.lastCycleId !== undefined) view.cycleId = flags.lastCycleId;
  if (flags.mktoId !== undefined) view.mktoId = flags.mktoId;
  if (flags.lastError) view.lastError = { ...flags.lastError, hint: options.hint(flags.lastError) };
  if (flags.attempts !== undefined) view.attempts = flags.attempts;
  if (flags.nextRetryAt !== undefined) view.nextRetryAt = flags.nextRetryAt;
  if (flags.excludedReason !== undefined) view.excludedReason = flags.excludedReason;
  if (flags.skippedReason !== undefined) view.skippedReason = flags.skippedReason;
  const owed = owedFieldsOf(flags);
  if (owed.length) view.owedFields = owed;
  return view;
}

/** The fields the record's pending failures still owe, operation by operation. */
export function owedFieldsOf(flags: RecordFlagsRow): OwedFieldView[] {
  if (flags.state !== 'failed') return [];
  return (Object.entries(flags.pending ?? {}) as [Operation, PendingFailure][]).flatMap(
    ([operation, failure]) =>
      Object.entries(failure.owed ?? {}).map(([field, value]) => ({
        operation,
        field,
        value,
        ...(failure.error && { error: failure.error }),
      })),
  );
}
export type * from './connectionViews';
