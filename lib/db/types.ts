// Row types of the log database (design §6). Times are epoch milliseconds (UTC); the UI formats
// them in the Salesforce user's time zone.
import type { Counts } from './metricKeys';

/** The seed dashboard's operations (design §2), in the order a cycle runs them (design §5). */
export const OPERATIONS = [
  'Sync Schema',
  'Pull Deletes',
  'Pull Updates',
  'Pull Conversions',
  'Update FKs',
  'Push Updates',
  'Push New',
  'Sync to Program',
  'Init Link to Program',
  'Update Activities',
  // Beyond the seed (design §10): reads both sides in full and flags records that disagree.
  'Reconcile',
] as const;
export type Operation = (typeof OPERATIONS)[number];

/** The seed dashboard's object types. "Person" is shown as "Lead" or "Person" per the settings. */
export const OBJECT_TYPES = [
  'Account',
  'Account Type',
  'Campaign',
  'Campaign Member',
  'Campaign Member Status',
  'Contact',
  'Custom Objects',
  'Email Template',
  'Event',
  'Person',
  'Opportunity',
  'Opportunity Contact Role',
  'Task',
  'User',
] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

export const STEP_STATUSES = ['In Process', 'Completed', 'Failed', 'Not Completed', 'Purged'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/**
 * `drifted` (Reconcile only): both sides were read and disagree on a mapped field although no
 * failure is pending; the next Pull/Push Updates repairs it (lib/sync/operations/reconcile.ts).
 */
export const OUTCOMES = ['new', 'updated', 'deleted', 'failed', 'skipped', 'excluded', 'drifted'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type CycleTrigger = 'schedule' | 'manual' | 'record';

export interface Counters {
  new: number;
  updated: number;
  deleted: number;
  failed: number;
  skipped: number;
  excluded: number;
  drifted: number;
}

export const emptyCounters = (): Counters => ({
  new: 0,
  updated: 0,
  deleted: 0,
  failed: 0,
  skipped: 0,
  excluded: 0,
  drifted: 0,
});

export interface CycleRow {
  id: number;
  trigger: CycleTrigger;
  /** Set for trigger "record": the 18-character Salesforce id synced on its own. */
  recordId?: string;
  startedAt: number;
  endedAt: number | null;
  status: StepStatus;
  totals: Counters;
  apiCalls: { salesforce: number; marketo: number };
  /** The raw error the cycle ended with (the first failed step's, or the log's own). */
  error?: string;
  /** `error` in plain words when lib/sync/failureReason.ts knows it (e.g. browser storage full). */
  reason?: string;
}

export interface StepRow extends Counters {
  id: number;
  cycleId: number;
  operation: Operation;
  objectType: ObjectType;
  /** Custom Objects steps: which custom object (several share the object type). */
  sobject?: string;
  status: StepStatus;
  startedAt: number;
  endedAt: number | null;
  /**
   * Sort key for "Ended At": the end time, or +Infinity while the step runs. IndexedDB does not
   * index undefined/null keys, so a running step would vanish from the Ended-At sort without it.
   * +Infinity is a valid IndexedDB key (checked in Chromium 156 and fake-indexeddb). JSON turns it
   * into null, which is why `pageCursorSchema` reads a null sort key back as +Infinity.
   */
  endSort: number;
  /** The raw error the step ended with. */
  error?: string;
  /** `error` in plain words when lib/sync/failureReason.ts knows it (e.g. browser storage full). */
  reason?: string;
  /**
   * What the step left out and why, when it completed anyway (e.g. a mapped field the sync user can
   * no longer read): plain sentences, shown under the step's row.
   */
  warnings?: string[];
  /**
   * Reconcile steps: how many of the records it found drifted the following Pull/Push Updates have
   * written since (lib/sync/operations/reconcileRepair.ts). Not an outcome: those writes are
   * counted as "updated" on the steps that made them.
   */
  repaired?: number;
}

export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
}

export interface RecordError {
  code: string;
  message: string;
  fields: string[];
}

/** A value rule (settings `valueRules`) that rewrote a field's value on its way to Salesforce. */
export interface AppliedValueRule {
  /** Salesforce API name. */
  field: string;
  /** The value as it came from Marketo, and the value written instead. */
  from: string;
  to: string;
}

/** One record's outcome inside a packed batch row. */
export interface PackedOutcome {
  sfId: string;
  mktoId?: number;
  name?: string;
  outcome: Outcome;
  changes?: FieldChange[];
  /** `changes` as a batch row stores them: field, old, new in turn (lib/db/packedChanges.ts). */
  cw?: unknown[];
  error?: RecordError;
  /** Attempts so far, for failures (1 on the first failure). */
  attempts?: number;
  /**
   * Why the record was excluded (outcome "excluded"), or skipped when that needs saying: a change
   * below its field's threshold (lib/sync/thresholds.ts), "leadScore changed by 1 (< 5): not synced".
   */
  reason?: string;
  /**
   * A failure: the fields the failed write could not write and their source values (Salesforce
   * field names); the record owes them until each is written or its source value changes back.
   */
  owes?: Record<string, unknown>;
  /**
   * Fields no longer owed after this outcome (written, or their source value is the synced one
   * again). Set by the operations that keep owed fields; a success without it settles them all.
   */
  settles?: string[];
  /** Value rules that rewrote fields of this write (lib/sync/valueRules.ts); the panel counts them. */
  valueRules?: AppliedValueRule[];
}

/** What a row written per batch belongs to: its step and cycle, when, and which operation on what. */
export interface BatchRowOf {
  id: number;
  cycleId: number;
  stepId: number;
  at: number;
  operation: Operation;
  objectType: ObjectType;
}

/**
 * One row per handled batch (design §6 write budget): the per-record outcomes of up to a few
 * hundred records packed together, and the sync state the batch left those records in. `sfIds` is a
 * multi-entry index over the records the batch changed (outcome or state), so the newest row
 * holding an id is that record's latest outcome, and the newest row whose `states` holds it is its
 * sync state. Outcome and state share one row and one index entry per record: a second packed table
 * with its own `*sfIds` index cost about as much again per batch (tests/bench/log.bench.ts).
 */
export interface RecordEventRow extends BatchRowOf {
  /**
   * Multi-entry index: the records the batch changed, a record whose state it holds under its state
   * key (syncStateTypes.ts `stateKey`), one with only an outcome under its plain id.
   */
  sfIds: string[];
  /**
   * The batch's outcomes, as JSON text (lib/db/eventRowBody.ts reads them, and the arrays of rows
   * written before): one string costs the structured clone of a write and of a read a copy, where
   * the same outcomes as objects cost one per value (~12,000 for 300 opportunities).
   */
  outcomesJson: string;
  /** Number of failed outcomes in the row (they are also in a FailureRow, for the popup and CSV). */
  failedCount: number;
  /**
   * The sync state after this batch of the records whose state it changed (or dropped): a
   * PackedStates as JSON text, apart from the outcomes so a state lookup parses only the states.
   */
  statesJson?: string;
  /** Multi-entry index: the Marketo persons linked by the states (Push Updates finds records by them). */
  mktoIds?: number[];
}

/**
 * The failed outcomes of one batch (design §6: "failures, which the popup and CSV list, go in
 * their own compact rows"): the CSV of 100,000 failures reads these small rows through
 * `[stepId+id]`, never the batch rows with their other outcomes and states. Stored column by
 * column, index i of every array being one failed record: IndexedDB's structured clone reads a few
 * arrays of strings much faster than hundreds of objects with nested error objects.
 */
export interface FailureRow extends BatchRowOf {
  sfIds: string[];
  mktoIds: (number | null)[];
  names: (string | null)[];
  codes: string[];
  messages: string[];
  /** The error's fields, joined with "; " (API names hold no semicolons). */
  fields: string[];
  attempts: number[];
}

export type RecordState =
  | 'synced'
  | 'pending'
  | 'failed'
  | 'skipped'
  | 'excluded'
  | 'drifted'
  | 'not-linked'
  | 'deleted'
  | 'converted';

export interface RecordHistoryEntry {
  at: number;
  cycleId: number;
  operation: Operation;
  outcome: Outcome;
  error?: RecordError;
  /** Why it was skipped or excluded, when the outcome says (PackedOutcome.reason). */
  reason?: string;
}

/**
 * A record's current flags when they must outlive the packed event rows: failures awaiting retry,
 * and the folded state of records whose event rows were pruned by retention.
 */
export interface RecordFlagsRow {
  sfId: string;
  objectType: ObjectType;
  name?: string;
  mktoId?: number;
  state: RecordState;
  lastSyncedAt?: number;
  lastOperation?: Operation;
  lastCycleId?: number;
  lastChanges?: FieldChange[];
  lastError?: RecordError;
  attempts?: number;
  /** When a failed record is next retried; unset when nothing is pending (not indexed then). */
  nextRetryAt?: number;
  excludedReason?: string;
  /** Why the last outcome skipped the record, when it says (a change below its threshold). */
  skippedReason?: string;
  /**
   * The failures still owed a retry, one per operation (see pendingFailures): a record can fail in
   * two operations at once (its Pull Updates and a Task Push New makes for it), and one operation
   * succeeding must not cancel another's retry. `attempts`, `nextRetryAt` (the soonest) and
   * `lastError` above summarise them for the panel and the retry index.
   */
  pending?: Partial<Record<Operation, PendingFailure>>;
  /** Capped, newest first: history that outlived retention. */
  history: RecordHistoryEntry[];
  updatedAt: number;
}

/** One operation's failure of a record, awaiting its retry (or given up: no nextRetryAt). */
export interface PendingFailure {
  attempts: number;
  nextRetryAt?: number;
  error?: RecordError;
  /** When it failed last, and in which cycle. */
  at: number;
  cycleId: number;
  /**
   * The fields this operation still owes (Salesforce API names) and the source values it could
   * not write. A later success on other fields leaves them owed; absent on rows written before
   * fields were tracked (then the operation's next success settles the failure, as it used to).
   */
  owed?: Record<string, unknown>;
}

export interface CursorRow {
  /** e.g. "pull:Lead", "push:activities". */
  key: string;
  value: string;
  updatedAt: number;
}

export interface SchemaFieldInfo {
  name: string;
  label: string;
  type: string;
  readable: boolean;
  updateable: boolean;
  createable: boolean;
  calculated: boolean;
  /** Picklists: the active values (Salesforce describes written since issue 18). */
  picklist?: string[];
  /** A restricted picklist refuses any other value. */
  restrictedPicklist?: boolean;
}

export interface SchemaRow {
  objectType: string;
  fields: SchemaFieldInfo[];
  newFields: string[];
  /** The describe's Last-Modified, sent back as If-Modified-Since. */
  lastModified?: string;
  checkedAt: number;
  /**
   * When a describe last found a field gone or back, or its updateable flag changed, since the
   * previous snapshot (field-level security edited, a field added or deleted): a connection test
   * older than this is out of date (lib/connections/handlers.ts).
   */
  accessChangedAt?: number;
}

/** Which way a change travels: Salesforce → Marketo (the pulls) or Marketo → Salesforce (the pushes). */
export type SyncDirection = 'toMarketo' | 'toSalesforce';

/**
 * A cycle's metrics as the engine counts them (docs/dashboard.md): counts keyed
 * `<object type>|<direction>` (lib/metrics/keys.ts), field counts `<object type>|<direction>|<Salesforce
 * field>`. Stored as a MetricRow; the dashboard reads them as CycleMetrics.
 */
export interface CycleMetricsRecord {
  /** When the cycle started (the backlog, when fetched, is counted then). */
  at: number;
  cycleId: number;
  /** Records synced (outcomes new, updated, deleted) per object and direction. */
  synced: Record<string, number>;
  /** Records updated per object and direction: the denominator of a field's share. */
  updated: Record<string, number>;
  /**
   * Records handled per object and direction, whatever the outcome but skipped (lib/sync/metricsTally.ts):
   * what left the backlog, which a measured backlog's remainder is counted down by.
   */
  handled: Record<string, number>;
  /** Per object, direction and Salesforce field: updated records whose write changed that field. */
  fields: Record<string, number>;
  /** API calls this cycle made, and the org's rolling 24-hour usage as Salesforce last reported it. */
  api: { salesforce: number; marketo: number; salesforceOrgUsed?: number; salesforceOrgMax?: number };
  /**
   * Set when this cycle fetched the backlog (at most hourly, lib/sync/backlog.ts): per object and
   * direction, the changes waiting at the cycle's start. A key absent was not measured.
   */
  backlog?: Record<string, number>;
  /** Keys of `backlog` whose count stopped at the fetch's page cap: at least that many wait. */
  backlogCapped?: string[];
  /** Why a due backlog fetch, or one side of it, failed (the other side's counts still stand). */
  backlogError?: string;
}

/** The same as the dashboard reads it: each count map read in place from the row (lib/db/metricKeys.ts). */
export interface CycleMetrics
  extends Omit<CycleMetricsRecord, 'synced' | 'updated' | 'handled' | 'fields' | 'backlog'> {
  synced: Counts;
  updated: Counts;
  handled: Counts;
  fields: Counts;
  backlog?: Counts;
}

/**
 * One row per cycle: its CycleMetricsRecord with every key replaced by its number in the key dictionary
 * (lib/db/metricKeys.ts) and each count map stored as flat pairs `[key number, count, …]`. The
 * dashboard reads a whole retention window at its first paint (1,440 rows for 5 days of 5-minute
 * cycles): rows of a few dozen key strings each took twice as long for IndexedDB to read as rows
 * of numbers (measured in Chromium: ~60 against ~30 ms for 1,440 rows).
 */
export interface MetricRow {
  id: number;
  /** The only kind so far; readers skip any other (the table was never written before issue 18). */
  kind: 'cycle';
  at: number;
  cycleId: number;
  synced: number[];
  updated: number[];
  handled: number[];
  fields: number[];
  api: CycleMetricsRecord['api'];
  backlog?: number[];
  /** Key numbers. */
  backlogCapped?: number[];
  backlogError?: string;
}
