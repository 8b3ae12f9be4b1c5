// Custom activity types and Add Custom Activities (activities.md; api-facts E2.8). A type is made
// as a draft (apiName, name, triggerName, filterName, primaryAttribute), given secondary attributes
// on the draft, and approved; only an approved type takes activities. Adding activities is
// write-once and not idempotent: at most 300 per call, results in input order, a skipped one
// carrying `errors` (not `reasons`); the call is never resent after a lost answer (client.ts once).
import { z } from 'zod';
import type { MarketoTransport } from './client';
import { MARKETO_BATCH, type MarketoRecordOutcome, toOutcomes } from './envelope';
import { reasonSchema } from './schemas';

const attributeSchema = z.looseObject({
  apiName: z.string(),
  name: z.string(),
  description: z.string().nullish(),
  dataType: z.string().optional(),
});

export const customActivityTypeSchema = z.looseObject({
  id: z.number().int().optional(),
  apiName: z.string(),
  name: z.string(),
  description: z.string().nullish(),
  triggerName: z.string().optional(),
  filterName: z.string().optional(),
  status: z.enum(['draft', 'approved', 'approved with draft', 'deleted']),
  primaryAttribute: attributeSchema.optional(),
  attributes: z.array(attributeSchema).optional(),
});
export type MarketoCustomActivityType = z.output<typeof customActivityTypeSchema>;

export interface ActivityTypeAttribute {
  apiName: string;
  name: string;
  description?: string;
  dataType: 'string' | 'boolean' | 'integer' | 'float' | 'email' | 'date' | 'datetime' | 'text' | 'phone';
}

export interface ActivityTypeRequest {
  apiName: string;
  name: string;
  description?: string;
  triggerName: string;
  filterName: string;
  primaryAttribute: Omit<ActivityTypeAttribute, 'dataType'>;
}

export interface CustomActivityInput {
  leadId: number;
  /** ISO 8601 with an offset or Z. */
  activityDate: string;
  activityTypeId: number;
  primaryAttributeValue: string;
  attributes: { apiName: string; value: string | number | boolean | null }[];
}

const addResultSchema = z.looseObject({
  id: z.number().int().optional(),
  marketoGUID: z.string().optional(),
  status: z.enum(['added', 'skipped']),
  errors: z.array(reasonSchema).optional(),
});

const BASE = '/rest/v1/activities/external';

export class MarketoCustomActivities {
  constructor(private readonly transport: MarketoTransport) {}

  /** Every custom type (live version; no attributes). */
  async types(): Promise<MarketoCustomActivityType[]> {
    const env = await this.transport.call(
      { method: 'GET', path: `${BASE}/types.json` },
      customActivityTypeSchema,
    );
    return env.result;
  }

  /** One type with its attributes: the live version, or the draft when `draft`. */
  async describe(apiName: string, draft = false): Promise<MarketoCustomActivityType> {
    const env = await this.transport.call(
      {
        method: 'GET',
        path: `${BASE}/type/${encodeURIComponent(apiName)}/describe.json`,
        template: `${BASE}/type/{apiName}/describe.json`,
        ...(draft && { query: { draft: true } }),
      },
      customActivityTypeSchema,
    );
    return single(env.result, 'describe');
  }

  async create(request: ActivityTypeRequest): Promise<MarketoCustomActivityType> {
    const env = await this.transport.call(
      { method: 'POST', path: `${BASE}/type.json`, body: request },
      customActivityTypeSchema,
    );
    return single(env.result, 'create');
  }

  async createAttributes(
    apiName: string,
    attributes: ActivityTypeAttribute[],
  ): Promise<MarketoCustomActivityType> {
    const env = await this.transport.call(
      {
        method: 'POST',
        path: `${BASE}/type/${encodeURIComponent(apiName)}/attributes/create.json`,
        template: `${BASE}/type/{apiName}/attributes/create.json`,
        body: { attributes },
      },
      customActivityTypeSchema,
    );
    return single(env.result, 'attributes/create');
  }

  async approve(apiName: string): Promise<MarketoCustomActivityType> {
    const env = await this.transport.call(
      {
        method: 'POST',
        path: `${BASE}/type/${encodeURIComponent(apiName)}/approve.json`,
        template: `${BASE}/type/{apiName}/approve.json`,
      },
      customActivityTypeSchema,
    );
    return single(env.result, 'approve');
  }

  /**
   * Adds up to 300 activities: one outcome per input, in input order (`id` = the marketoGUID). Not
   * resent after a lost answer: the caller checks what was added (lib/sync/operations/activities).
   */
  async add(input: readonly CustomActivityInput[]): Promise<MarketoRecordOutcome[]> {
    if (input.length === 0) return [];
    if (input.length > MARKETO_BATCH) throw new RangeError(`at most ${MARKETO_BATCH} activities per call`);
    const endpoint = `POST ${BASE}.json`;
    const env = await this.transport.call(
      { method: 'POST', path: `${BASE}.json`, body: { input }, once: true },
      addResultSchema,
    );
    return toOutcomes(
      env.result.map((r) => ({
        status: r.status === 'added' ? ('created' as const) : ('skipped' as const),
        reasons: r.errors ?? [],
        guid: r.marketoGUID ?? (r.id === undefined ? undefined : String(r.id)),
      })),
      input.length,
      endpoint,
      (r) => r.guid,
    );
  }
}

function single(result: MarketoCustomActivityType[], what: string): MarketoCustomActivityType {
  const first = result[0];
  if (!first) throw new Error(`Marketo custom activity type ${what}: empty result`);
  return first;
}
