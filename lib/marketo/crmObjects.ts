// Marketo's CRM objects (api-facts E2.1–E2.5): opportunities, opportunity roles, companies and sales
// persons share one API shape — describe, query by filterType (compound keys as `POST ?_method=GET`
// with a JSON body), sync (action, dedupeBy, ≤300 records) and delete. One class serves all four;
// `key` is the object's idField: marketoGUID (opportunities, roles) or the integer id.
import { z } from 'zod';
import { ResponseShapeError } from '../http/parse';
import type { MarketoTransport } from './client';
import { chunk, MARKETO_BATCH, type MarketoRecordOutcome, toOutcomes } from './envelope';
import { positionPages } from './paging';
import { customObjectTypeSchema, type MarketoCustomObjectType, reasonSchema } from './schemas';

const statusSchema = z.enum(['created', 'updated', 'deleted', 'skipped']);

export const crmRecordSchema = z.looseObject({
  seq: z.number().int().optional(),
  marketoGUID: z.string().optional(),
  id: z.number().int().optional(),
});
export type MarketoCrmRecord = z.output<typeof crmRecordSchema>;

const crmResultSchema = z.object({
  seq: z.number().int().optional(),
  marketoGUID: z.string().optional(),
  id: z.number().int().optional(),
  status: statusSchema,
  reasons: z.array(reasonSchema).optional(),
});

export interface CrmSyncRequest {
  action: 'createOnly' | 'updateOnly' | 'createOrUpdate';
  /** `idField` works only with updateOnly. */
  dedupeBy?: 'dedupeFields' | 'idField';
  input: readonly Record<string, unknown>[];
}

export class MarketoCrmObject {
  constructor(
    private readonly transport: MarketoTransport,
    /** Below /rest/v1/, e.g. `opportunities/roles`. */
    readonly path: string,
    readonly idField: 'marketoGUID' | 'id',
  ) {}

  private get base() {
    return `/rest/v1/${this.path}`;
  }

  async describe(): Promise<MarketoCustomObjectType> {
    const template = `${this.base}/describe.json`;
    const envelope = await this.transport.call({ method: 'GET', path: template }, customObjectTypeSchema);
    const described = envelope.result[0];
    if (!described) throw new ResponseShapeError(`GET ${template}`, 'result', 'is empty');
    return described;
  }

  /** Pages of records whose `filterType` is one of the values (300 values per call). */
  async *query(
    filterType: string,
    filterValues: readonly (string | number)[],
    fields?: readonly string[],
  ): AsyncGenerator<MarketoCrmRecord[]> {
    for (const values of chunk(filterValues, MARKETO_BATCH))
      yield* positionPages(
        this.transport,
        {
          method: 'GET',
          path: `${this.base}.json`,
          query: { filterType, filterValues: values, fields, batchSize: MARKETO_BATCH },
        },
        crmRecordSchema,
      );
  }

  /** Records by compound dedupe key: `POST ?_method=GET` with a JSON body (roles). */
  async *queryKeys(
    input: readonly Record<string, unknown>[],
    fields?: readonly string[],
  ): AsyncGenerator<MarketoCrmRecord[]> {
    for (const keys of chunk(input, MARKETO_BATCH)) {
      let nextPageToken: string | undefined;
      do {
        const envelope = await this.transport.call(
          {
            method: 'POST',
            path: `${this.base}.json`,
            template: `${this.base}.json?_method=GET`,
            query: { _method: 'GET', batchSize: MARKETO_BATCH, nextPageToken },
            body: { filterType: 'dedupeFields', fields, input: keys },
          },
          crmRecordSchema,
        );
        if (envelope.result.length > 0) yield envelope.result;
        const more = envelope.moreResult ?? envelope.nextPageToken !== undefined;
        nextPageToken = more && envelope.nextPageToken !== nextPageToken ? envelope.nextPageToken : undefined;
      } while (nextPageToken);
    }
  }

  /** One outcome per input, in input order (placed by `seq`); `id` is the record's key. */
  sync(request: CrmSyncRequest): Promise<MarketoRecordOutcome[]> {
    return this.write('', request.input, {
      action: request.action,
      dedupeBy: request.dedupeBy ?? 'dedupeFields',
    });
  }

  delete(request: {
    deleteBy?: 'dedupeFields' | 'idField';
    input: readonly Record<string, unknown>[];
  }): Promise<MarketoRecordOutcome[]> {
    return this.write('/delete', request.input, { deleteBy: request.deleteBy ?? 'dedupeFields' });
  }

  private async write(
    suffix: '' | '/delete',
    input: readonly Record<string, unknown>[],
    extra: Record<string, unknown>,
  ): Promise<MarketoRecordOutcome[]> {
    const path = `${this.base}${suffix}.json`;
    const outcomes: MarketoRecordOutcome[] = [];
    for (const batch of chunk(input, MARKETO_BATCH)) {
      const envelope = await this.transport.call(
        { method: 'POST', path, body: { ...extra, input: batch } },
        crmResultSchema,
      );
      outcomes.push(
        ...toOutcomes(envelope.result, batch.length, `POST ${path}`, (r) => r.marketoGUID ?? r.id),
      );
    }
    return outcomes;
  }
}

/** The four objects, as the client exposes them. */
export function crmObjects(transport: MarketoTransport) {
  return {
    opportunities: new MarketoCrmObject(transport, 'opportunities', 'marketoGUID'),
    opportunityRoles: new MarketoCrmObject(transport, 'opportunities/roles', 'marketoGUID'),
    companies: new MarketoCrmObject(transport, 'companies', 'id'),
    salesPersons: new MarketoCrmObject(transport, 'salespersons', 'id'),
  };
}
