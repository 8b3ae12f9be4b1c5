// zod schemas for every Marketo response this client reads. Records are loose objects: Marketo
// omits null fields and returns whatever fields were asked for, so only the keys the client relies
// on are checked; the rest are kept.
import { z } from 'zod';

/** Error codes are quoted integers on the wire; accept bare numbers too and keep them as strings. */
const code = z.union([z.string(), z.number()]).transform(String);

export const reasonSchema = z.object({ code, message: z.string().default('') });
export type MarketoReason = z.output<typeof reasonSchema>;

/**
 * Marketo datetimes come as `…Z`, `…+0000` (older lead-DB examples) or the asset API's odd
 * `…Z+0000`; all are normalised to an ISO string in UTC.
 */
export function normaliseMarketoDate(value: string): string | null {
  const cleaned = value.replace(/Z\+0000$/, 'Z').replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
  const ms = Date.parse(cleaned);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export const marketoDate = z.string().transform((value, ctx) => {
  const iso = normaliseMarketoDate(value);
  if (iso === null) {
    ctx.addIssue({ code: 'custom', message: `not a Marketo datetime: "${value}"` });
    return z.NEVER;
  }
  return iso;
});

// --- leads -------------------------------------------------------------------------------------

export const leadSchema = z.looseObject({ id: z.number().int() });
export type MarketoLead = z.output<typeof leadSchema>;

/** describe.json: one item per field; `rest` only when the field is usable through REST. */
export const leadDescribeFieldSchema = z.looseObject({
  id: z.number(),
  displayName: z.string(),
  dataType: z.string(),
  length: z.number().optional(),
  rest: z.object({ name: z.string(), readOnly: z.boolean().default(false) }).optional(),
});

const describe2FieldSchema = z.looseObject({
  name: z.string(),
  displayName: z.string().default(''),
  dataType: z.string(),
  length: z.number().nullish(),
  updateable: z.boolean().default(true),
  crmManaged: z.boolean().default(false),
});

/** describe2.json and the program-member describe share this shape (one result item). */
export const describe2Schema = z.looseObject({
  name: z.string(),
  searchableFields: z.array(z.array(z.string())).default([]),
  dedupeFields: z.array(z.string()).optional(),
  fields: z.array(describe2FieldSchema),
});

const recordStatus = z.enum(['created', 'updated', 'deleted', 'skipped']);
export type MarketoRecordStatus = z.output<typeof recordStatus>;

/** Per-record results of lead sync/delete (B4): input order, `id` usually absent on skips. */
export const leadResultSchema = z.object({
  id: z.number().int().optional(),
  status: recordStatus,
  reasons: z.array(reasonSchema).optional(),
});

// --- activities ---------------------------------------------------------------------------------

export const activityTypeSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  description: z.string().optional(),
  primaryAttribute: z.object({ name: z.string(), dataType: z.string() }).optional(),
  attributes: z.array(z.object({ name: z.string(), dataType: z.string() })).default([]),
});
export type MarketoActivityType = z.output<typeof activityTypeSchema>;

const attributeSchema = z.object({ name: z.string(), value: z.unknown() });

export const activitySchema = z.looseObject({
  id: z.number().int(),
  marketoGUID: z.string().optional(),
  leadId: z.number().int(),
  activityDate: marketoDate,
  activityTypeId: z.number().int(),
  campaignId: z.number().int().nullish(),
  primaryAttributeValueId: z.union([z.number(), z.string()]).nullish(),
  primaryAttributeValue: z.union([z.string(), z.number()]).nullish(),
  attributes: z.array(attributeSchema).default([]),
});
export type MarketoActivity = z.output<typeof activitySchema>;

const scalar = z.union([z.string(), z.number(), z.boolean()]).nullish();

export const leadChangeSchema = activitySchema.extend({
  fields: z
    .array(z.object({ id: z.number().int(), name: z.string(), newValue: scalar, oldValue: scalar }))
    .default([]),
});
export type MarketoLeadChange = z.output<typeof leadChangeSchema>;

// --- programs and members -----------------------------------------------------------------------

export const programSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  description: z.string().nullish(),
  createdAt: marketoDate,
  updatedAt: marketoDate,
  url: z.string().nullish(),
  type: z.string(),
  channel: z.string(),
  folder: z
    .looseObject({ type: z.string(), value: z.number(), folderName: z.string().optional() })
    .optional(),
  status: z.string().default(''),
  /** By id, or by name with includeCosts=true: the period costs. */
  costs: z
    .array(z.looseObject({ startDate: z.string().nullish(), cost: z.number(), note: z.string().nullish() }))
    .optional(),
  workspace: z.string().optional(),
  sfdcId: z.string().nullish(),
  sfdcName: z.string().nullish(),
});
export type MarketoProgram = z.output<typeof programSchema>;

export const programMemberSchema = z.looseObject({
  seq: z.number().int().optional(),
  leadId: z.number().int(),
  statusName: z.string().optional(),
});
export type MarketoProgramMember = z.output<typeof programMemberSchema>;

/** A channel: the progression statuses its programs' members move through (asset API, E2.6). */
export const channelSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  applicableProgramType: z.string().optional(),
  progressionStatuses: z.array(
    z.looseObject({ name: z.string(), step: z.number(), success: z.boolean().optional() }),
  ),
});
export type MarketoChannel = z.output<typeof channelSchema>;

/** Get Leads by Program items: the person's id and its `membership` in the program (B7). */
export const programLeadSchema = z.looseObject({
  id: z.number().int(),
  membership: z.looseObject({
    progressionStatus: z.string(),
    reachedSuccess: z.boolean().optional(),
  }),
});
export type MarketoProgramLead = z.output<typeof programLeadSchema>;

/** Results of member status/data/delete calls: `seq` ties each item to its input. */
export const memberResultSchema = z.object({
  seq: z.number().int().optional(),
  leadId: z.number().int().optional(),
  status: recordStatus,
  reasons: z.array(reasonSchema).optional(),
});

// --- custom objects -----------------------------------------------------------------------------

export const customObjectTypeSchema = z.looseObject({
  name: z.string(),
  displayName: z.string().optional(),
  idField: z.string().default('marketoGUID'),
  dedupeFields: z.array(z.string()).default([]),
  searchableFields: z.array(z.array(z.string())).default([]),
  relationships: z.array(z.looseObject({ field: z.string() })).default([]),
  fields: z
    .array(
      z.looseObject({
        name: z.string(),
        displayName: z.string().optional(),
        dataType: z.string(),
        updateable: z.boolean().default(true),
      }),
    )
    .optional(),
});
export type MarketoCustomObjectType = z.output<typeof customObjectTypeSchema>;

export const customObjectRecordSchema = z.looseObject({
  seq: z.number().int().optional(),
  marketoGUID: z.string(),
});
export type MarketoCustomObjectRecord = z.output<typeof customObjectRecordSchema>;

export const customObjectResultSchema = z.object({
  seq: z.number().int().optional(),
  marketoGUID: z.string().optional(),
  status: recordStatus,
  reasons: z.array(reasonSchema).optional(),
});

// --- identity -----------------------------------------------------------------------------------

export const tokenSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().nonnegative(),
  scope: z.string().optional(),
});

export const identityErrorSchema = z.object({
  error: z.string(),
  error_description: z.string().optional(),
});
