// The status API's requests and responses (docs/service.md), in one file so both ends parse the same
// shapes: the service (statusServer.ts) parses what it is asked, the extension (service mode, a later
// piece of work) parses what it gets. The views are the ones the extension's pages read, computed by
// the same lib functions over the org's log. Every route is under /v1/orgs/:org and needs
// `Authorization: Bearer <the org's token>`: 401 bad or missing token, 404 unknown org or route,
// 400 a bad parameter (the answer names it), 405 a wrong method.
import { z } from 'zod';
import { pageCursorSchema, stepFilterSchema, stepSortSchema } from '../db/stepFilterSchemas';
import { OBJECT_TYPES, OPERATIONS, OUTCOMES, STEP_STATUSES } from '../db/types';
import { recordIdSchema } from '../messaging/protocol';

export const API_PREFIX = '/v1/orgs';

// ---- requests -------------------------------------------------------------------------------

/** GET …/steps: the popup's and dashboard's table. Query `filter` and `after` are JSON. */
export const stepsRequestSchema = z.strictObject({
  filter: stepFilterSchema.default({}),
  sort: stepSortSchema.default('startedAt'),
  limit: z.coerce.number().int().min(1).max(500).default(20),
  after: pageCursorSchema.optional(),
});

/** GET …/steps/:stepId/records: an opened step row's failed, skipped and drifted records. */
export const stepRecordsRequestSchema = z.strictObject({
  stepId: z.coerce.number().int().min(1),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** GET …/failures: the sync-errors CSV's rows, in pages (`format=csv`: the CSV itself, streamed). */
export const failuresRequestSchema = z.strictObject({
  filter: stepFilterSchema.default({}),
  sort: stepSortSchema.default('startedAt'),
  format: z.enum(['json', 'csv']).default('json'),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});

/** GET …/metrics: the dashboard's metric rows since `from` (epoch ms; default: the last 5 days). */
export const metricsRequestSchema = z.strictObject({ from: z.coerce.number().int().min(0).optional() });

/** GET …/records/:objectType/:recordId: the record panel. */
export const recordRequestSchema = z.strictObject({
  objectType: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'not a Salesforce object API name'),
  recordId: recordIdSchema,
});

// ---- responses ------------------------------------------------------------------------------

const counters = {
  new: z.number(),
  updated: z.number(),
  deleted: z.number(),
  failed: z.number(),
  skipped: z.number(),
  excluded: z.number(),
  drifted: z.number(),
};

/**
 * A field a write changed. A value that was undefined (a new record's `old`) is left out by JSON, and
 * zod 4 requires the key of a plain z.unknown(): both values are optional.
 */
const fieldChangeSchema = z.object({
  field: z.string(),
  old: z.unknown().optional(),
  new: z.unknown().optional(),
});

const connectionStatusSchema = z.object({
  state: z.enum(['not-configured', 'connected', 'expired', 'error', 'unchecked']),
  loginUrl: z.string().optional(),
  label: z.string().optional(),
  error: z.string().optional(),
  checkedAt: z.number().optional(),
});

/** GET …/state: the popup header (SyncStateView) and what it shows of the connections (PopupView). */
export const stateResponseSchema = z.object({
  org: z.object({ id: z.string(), name: z.string(), intervalMinutes: z.number() }),
  paused: z.boolean(),
  running: z.boolean(),
  nextRunAt: z.number().nullable(),
  lastCycle: z
    .object({
      id: z.number(),
      trigger: z.enum(['schedule', 'manual', 'record']),
      startedAt: z.number(),
      endedAt: z.number().nullable(),
      status: z.enum(STEP_STATUSES),
      error: z.string().optional(),
      reason: z.string().optional(),
      totals: z.object(counters),
    })
    .optional(),
  connection: z.object({ salesforce: connectionStatusSchema, marketo: connectionStatusSchema }),
  view: z.object({
    isAdmin: z.boolean().optional(),
    personLabel: z.enum(['Lead', 'Person']),
    instanceUrl: z.string().optional(),
    salesforceLabel: z.string().optional(),
    marketoLabel: z.string().optional(),
    settingsError: z.string().optional(),
    timeZone: z.string().optional(),
  }),
});
export type StateResponse = z.infer<typeof stateResponseSchema>;

export const stepRowSchema = z.object({
  ...counters,
  id: z.number(),
  cycleId: z.number(),
  operation: z.enum(OPERATIONS),
  objectType: z.enum(OBJECT_TYPES),
  sobject: z.string().optional(),
  status: z.enum(STEP_STATUSES),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  // JSON has no Infinity: a running step's sort key comes as null (as pageCursorSchema reads it).
  endSort: z.number().nullable(),
  error: z.string().optional(),
  reason: z.string().optional(),
  warnings: z.array(z.string()).optional(),
  repaired: z.number().optional(),
});

/** A cycle as the step table's "Group by cycle" headers show it. */
export const cycleSummarySchema = z.object({
  id: z.number(),
  trigger: z.enum(['schedule', 'manual', 'record']),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  status: z.enum(STEP_STATUSES),
  totals: z.object(counters),
  apiCalls: z.object({ salesforce: z.number(), marketo: z.number() }),
  error: z.string().optional(),
  reason: z.string().optional(),
});

export const stepsResponseSchema = z.object({
  rows: z.array(stepRowSchema),
  next: pageCursorSchema.optional(),
  /** The cycles of the rows (added for the extension's grouped table; absent from older services). */
  cycles: z.array(cycleSummarySchema).optional(),
});

const stepRecordSchema = z.object({
  sfId: z.string(),
  mktoId: z.number().optional(),
  name: z.string().optional(),
  outcome: z.enum(['failed', 'skipped', 'drifted']),
  at: z.number(),
  changes: z.array(fieldChangeSchema).optional(),
  error: z.object({ code: z.string(), message: z.string(), fields: z.array(z.string()) }).optional(),
  attempts: z.number().optional(),
  reason: z.string().optional(),
});
/** The step's records from its newest batch rows; `truncated` when older ones were not read. */
export const stepRecordsResponseSchema = z.object({
  failed: z.array(stepRecordSchema),
  skipped: z.array(stepRecordSchema),
  drifted: z.array(stepRecordSchema),
  truncated: z.boolean(),
});

export const failureViewSchema = z.object({
  time: z.number(),
  cycleId: z.number(),
  operation: z.enum(OPERATIONS),
  objectType: z.enum(OBJECT_TYPES),
  sfId: z.string(),
  mktoId: z.number().optional(),
  name: z.string().optional(),
  code: z.string(),
  message: z.string(),
  fields: z.array(z.string()),
  attempts: z.number(),
});
export const failuresResponseSchema = z.object({
  failures: z.array(failureViewSchema),
  /** Present when more follow: pass it as `offset`. */
  nextOffset: z.number().optional(),
});

const countsRecord = z.record(z.string(), z.number());
/** A metric row with its counts as plain records (the extension rebuilds Counts with Counts.of). */
export const metricsResponseSchema = z.object({
  rows: z.array(
    z.object({
      at: z.number(),
      cycleId: z.number(),
      synced: countsRecord,
      updated: countsRecord,
      handled: countsRecord,
      fields: countsRecord,
      api: z.object({
        salesforce: z.number(),
        marketo: z.number(),
        salesforceOrgUsed: z.number().optional(),
        salesforceOrgMax: z.number().optional(),
      }),
      backlog: countsRecord.optional(),
      backlogCapped: z.array(z.string()).optional(),
      backlogError: z.string().optional(),
    }),
  ),
  lastFetch: z.number().optional(),
  fieldTypes: z.record(z.string(), z.string()),
});

const recordError = z.object({ code: z.string(), message: z.string(), fields: z.array(z.string()) });
/**
 * The record panel's answer (RecordPanelAnswer). The fields every panel shows are typed here; the
 * object-specific sections (programs, roles, activities, templates…) pass through as objects, each
 * parsed by the panel section that shows it.
 */
export const recordResponseSchema = z.union([
  z.object({
    objectType: z.string(),
    recordId: z.string(),
    notice: z.enum(['admin-required', 'not-synced']),
  }),
  z.looseObject({
    objectType: z.string(),
    recordId: z.string(),
    state: z.string(),
    name: z.string().optional(),
    lastSyncedAt: z.number().optional(),
    operation: z.enum(OPERATIONS).optional(),
    cycleId: z.number().optional(),
    mktoId: z.number().optional(),
    lastChanges: z.array(fieldChangeSchema),
    lastError: recordError.extend({ hint: z.string() }).optional(),
    hiddenFields: z.array(z.string()),
    history: z.array(
      z.object({
        at: z.number(),
        cycleId: z.number(),
        operation: z.enum(OPERATIONS),
        outcome: z.enum(OUTCOMES),
        error: recordError.optional(),
        reason: z.string().optional(),
      }),
    ),
  }),
]);

/** POST …/sync-now: SyncRequestResult. POST …/pause and …/resume answer the new state. */
export const syncNowResponseSchema = z.union([
  z.object({ status: z.enum(['started', 'queued']) }),
  z.object({ status: z.literal('refused'), reason: z.string(), message: z.string() }),
]);

/** Every error answer. */
export const errorResponseSchema = z.object({ error: z.string(), field: z.string().optional() });
