// zod schemas for every Salesforce response the client reads (api-facts A2–A9). Objects are loose:
// Salesforce adds keys release after release and a client must read what it needs and tolerate
// the rest; a missing or mistyped key the client relies on is a ResponseShapeError naming it.
import { z } from 'zod';

/** Single-resource error bodies: `[{"message","errorCode","fields"?}]` (A3). */
export const ErrorBody = z.array(
  z.looseObject({ errorCode: z.string(), message: z.string(), fields: z.array(z.string()).optional() }),
);

/**
 * A record as queried: `attributes` plus any fields. Only "is an object" is checked (cheaply, no
 * copy: a large query parses 2,000 of these per page); callers pass their own schema for typed rows.
 */
export const SObjectRecord = z.custom<Record<string, unknown>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  'expected a record object',
);
export type SObjectRecord = z.output<typeof SObjectRecord>;

export function queryPageSchema<R extends z.ZodType>(record: R) {
  return z.looseObject({
    totalSize: z.number().int().nonnegative(),
    done: z.boolean(),
    nextRecordsUrl: z.string().startsWith('/services/data/').optional(),
    records: z.array(record),
  });
}

/** `defaultValue` is an object in one doc sample and a scalar in real JSON (api-facts D4). */
const Picklist = z.looseObject({
  value: z.string(),
  label: z.string().nullable().optional(),
  active: z.boolean(),
  defaultValue: z.boolean().optional(),
});

export const DescribeField = z.looseObject({
  name: z.string(),
  label: z.string(),
  type: z.string(),
  soapType: z.string().optional(),
  length: z.number().optional(),
  calculated: z.boolean(),
  calculatedFormula: z.string().nullable().optional(),
  createable: z.boolean(),
  updateable: z.boolean(),
  nillable: z.boolean(),
  defaultedOnCreate: z.boolean().optional(),
  externalId: z.boolean().optional(),
  unique: z.boolean().optional(),
  custom: z.boolean().optional(),
  filterable: z.boolean().optional(),
  referenceTo: z.array(z.string()).optional(),
  relationshipName: z.string().nullable().optional(),
  picklistValues: z.array(Picklist).optional(),
  restrictedPicklist: z.boolean().optional(),
  defaultValue: z.unknown().optional(),
});
export type DescribeField = z.output<typeof DescribeField>;

export const DescribeSObject = z.looseObject({
  name: z.string(),
  label: z.string(),
  keyPrefix: z.string().nullable(),
  custom: z.boolean(),
  createable: z.boolean(),
  updateable: z.boolean(),
  deletable: z.boolean(),
  queryable: z.boolean(),
  replicateable: z.boolean().optional(),
  fields: z.array(DescribeField),
});
export type DescribeSObject = z.output<typeof DescribeSObject>;

export const DescribeGlobal = z.looseObject({
  encoding: z.string().optional(),
  maxBatchSize: z.number().optional(),
  sobjects: z.array(
    z.looseObject({
      name: z.string(),
      label: z.string(),
      keyPrefix: z.string().nullable(),
      custom: z.boolean(),
      createable: z.boolean(),
      updateable: z.boolean(),
      deletable: z.boolean(),
      queryable: z.boolean(),
      replicateable: z.boolean().optional(),
    }),
  ),
});
export type DescribeGlobal = z.output<typeof DescribeGlobal>;

/** Output datetimes look like `2013-05-08T21:20:00.000+0000` (note `+0000`, not `Z`; A3). */
export const SalesforceDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})$/, 'not a Salesforce datetime')
  .transform((text) => new Date(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')));

export const UpdatedResult = z.looseObject({
  ids: z.array(z.string()),
  latestDateCovered: SalesforceDateTime,
});

export const DeletedResult = z.looseObject({
  deletedRecords: z.array(z.looseObject({ id: z.string(), deletedDate: SalesforceDateTime })),
  earliestDateAvailable: SalesforceDateTime,
  latestDateCovered: SalesforceDateTime,
});

/** Per-record results of sObject Collections use `statusCode`, not `errorCode` (A8). */
export const CollectionError = z.looseObject({
  statusCode: z.string(),
  message: z.string(),
  fields: z.array(z.string()).optional().default([]),
});
export type CollectionError = z.output<typeof CollectionError>;

export const CollectionResult = z.looseObject({
  id: z.string().nullable().optional(),
  success: z.boolean(),
  created: z.boolean().optional(),
  errors: z.array(CollectionError),
});
export const CollectionResults = z.array(CollectionResult);

export const CompositeResponse = z.looseObject({
  compositeResponse: z.array(
    z.looseObject({
      body: z.unknown(),
      httpHeaders: z.record(z.string(), z.string()).optional(),
      httpStatusCode: z.number().int(),
      referenceId: z.string(),
    }),
  ),
});

/** Old (v29) examples carried numbers as strings; coerce so both parse (A9). */
const LimitEntry = z.looseObject({ Max: z.coerce.number(), Remaining: z.coerce.number() });
export const LimitsResponse = z.looseObject({ DailyApiRequests: LimitEntry }).catchall(z.unknown());
export type LimitsResponse = z.output<typeof LimitsResponse>;

export const TokenResponse = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().optional(),
  instance_url: z.string().url(),
  id: z.string().optional(),
  token_type: z.string().optional(),
  scope: z.string().optional(),
  issued_at: z.string().optional(),
  signature: z.string().optional(),
});
export type TokenResponse = z.output<typeof TokenResponse>;

export const OAuthErrorBody = z.looseObject({
  error: z.string(),
  error_description: z.string().optional(),
});
