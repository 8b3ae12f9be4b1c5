// Marketo custom objects (api-facts B8): list/describe types, query, sync and delete records.
import { ResponseShapeError } from '../http/parse';
import type { MarketoTransport } from './client';
import { chunk, MARKETO_BATCH, type MarketoRecordOutcome, toOutcomes } from './envelope';
import { positionPages } from './paging';
import {
  customObjectRecordSchema,
  customObjectResultSchema,
  customObjectTypeSchema,
  type MarketoCustomObjectRecord,
  type MarketoCustomObjectType,
} from './schemas';

export type CustomObjectQuery =
  | {
      /** `idField`, `dedupeFields` with one key field, or any searchable field. */
      filterType: string;
      filterValues: readonly (string | number)[];
      fields?: readonly string[];
      batchSize?: number;
    }
  | {
      /** Compound dedupe keys: sent as `POST ?_method=GET` with a JSON body. */
      filterType: 'dedupeFields';
      input: readonly Record<string, unknown>[];
      fields?: readonly string[];
      batchSize?: number;
    };

export interface CustomObjectSyncRequest {
  action: 'createOnly' | 'updateOnly' | 'createOrUpdate';
  /** `idField` (marketoGUID) works only with updateOnly. */
  dedupeBy?: 'dedupeFields' | 'idField';
  input: readonly Record<string, unknown>[];
}

const pathOf = (apiName: string) => `/rest/v1/customobjects/${encodeURIComponent(apiName)}`;

export class MarketoCustomObjects {
  constructor(private readonly transport: MarketoTransport) {}

  async list(names?: readonly string[]): Promise<MarketoCustomObjectType[]> {
    const envelope = await this.transport.call(
      { method: 'GET', path: '/rest/v1/customobjects.json', query: { names } },
      customObjectTypeSchema,
    );
    return envelope.result;
  }

  async describe(apiName: string): Promise<MarketoCustomObjectType> {
    const template = '/rest/v1/customobjects/{name}/describe.json';
    const envelope = await this.transport.call(
      { method: 'GET', path: `${pathOf(apiName)}/describe.json`, template },
      customObjectTypeSchema,
    );
    const described = envelope.result[0];
    if (!described) throw new ResponseShapeError(`GET ${template}`, 'result', 'is empty');
    return described;
  }

  /** Pages of records; simple filter values go 300 per call, compound keys 300 per body. */
  async *query(apiName: string, query: CustomObjectQuery): AsyncGenerator<MarketoCustomObjectRecord[]> {
    const template = '/rest/v1/customobjects/{name}.json';
    const batchSize = query.batchSize ?? MARKETO_BATCH;
    if ('input' in query) {
      for (const input of chunk(query.input, MARKETO_BATCH)) {
        let nextPageToken: string | undefined;
        do {
          const envelope = await this.transport.call(
            {
              method: 'POST',
              path: `${pathOf(apiName)}.json`,
              template,
              // Paging parameters stay in the query string; the body carries the compound keys.
              query: { _method: 'GET', batchSize, nextPageToken },
              body: { filterType: 'dedupeFields', fields: query.fields, input },
            },
            customObjectRecordSchema,
          );
          if (envelope.result.length > 0) yield envelope.result;
          const more = envelope.moreResult ?? envelope.nextPageToken !== undefined;
          nextPageToken =
            more && envelope.nextPageToken !== nextPageToken ? envelope.nextPageToken : undefined;
        } while (nextPageToken);
      }
      return;
    }
    for (const filterValues of chunk(query.filterValues, MARKETO_BATCH)) {
      yield* positionPages(
        this.transport,
        {
          method: 'GET',
          path: `${pathOf(apiName)}.json`,
          template,
          query: { filterType: query.filterType, filterValues, fields: query.fields, batchSize },
        },
        customObjectRecordSchema,
      );
    }
  }

  /** One outcome per input, in input order (placed by `seq`); `id` is the marketoGUID. */
  sync(apiName: string, request: CustomObjectSyncRequest): Promise<MarketoRecordOutcome[]> {
    return this.write(apiName, '', request.input, {
      action: request.action,
      dedupeBy: request.dedupeBy ?? 'dedupeFields',
    });
  }

  delete(
    apiName: string,
    request: { deleteBy?: 'dedupeFields' | 'idField'; input: readonly Record<string, unknown>[] },
  ): Promise<MarketoRecordOutcome[]> {
    return this.write(apiName, '/delete', request.input, { deleteBy: request.deleteBy ?? 'dedupeFields' });
  }

  private async write(
    apiName: string,
    suffix: '' | '/delete',
    input: readonly Record<string, unknown>[],
    extra: Record<string, unknown>,
  ): Promise<MarketoRecordOutcome[]> {
    const template = `/rest/v1/customobjects/{name}${suffix}.json`;
    const outcomes: MarketoRecordOutcome[] = [];
    for (const batch of chunk(input, MARKETO_BATCH)) {
      const envelope = await this.transport.call(
        {
          method: 'POST',
          path: `${pathOf(apiName)}${suffix}.json`,
          template,
          body: { ...extra, input: batch },
        },
        customObjectResultSchema,
      );
      outcomes.push(...toOutcomes(envelope.result, batch.length, `POST ${template}`, (r) => r.marketoGUID));
    }
    return outcomes;
  }
}
