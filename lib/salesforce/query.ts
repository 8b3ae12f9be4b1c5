// query / queryAll as async iterators over pages: each page is fetched only when the caller asks
// for the next one, so a whole object is never held in memory (design §5). Paging follows
// `nextRecordsUrl` as-is (api-facts A4); `Sforce-Query-Options: batchSize=N` asks for pages of N
// (Salesforce clamps to 200..2000 and may send fewer).
import type { z } from 'zod';
import { ResponseShapeError } from '../http/parse';
import { queryPageSchema, SObjectRecord } from './schemas';
import type { SalesforceTransport } from './transport';

export interface QueryOptions<S extends z.ZodType> {
  /** Rows per page, 200..2000 (default: Salesforce's 2000). */
  batchSize?: number;
  /** Schema for one row; rows that do not match are a ResponseShapeError naming the field. */
  schema?: S;
  /** queryAll: include soft-deleted (IsDeleted) and merged rows. */
  includeDeleted?: boolean;
}

export interface QueryPage<R> {
  records: R[];
  /** Rows over all pages, as Salesforce counted them when the query started. */
  totalSize: number;
  /** 0 for the first page. */
  index: number;
  done: boolean;
}

export const MIN_BATCH_SIZE = 200;
export const MAX_BATCH_SIZE = 2000;

export function clampBatchSize(size: number): number {
  return Math.min(MAX_BATCH_SIZE, Math.max(MIN_BATCH_SIZE, Math.floor(size)));
}

export async function* queryPages<S extends z.ZodType = typeof SObjectRecord>(
  transport: SalesforceTransport,
  soql: string,
  options: QueryOptions<S> = {},
): AsyncGenerator<QueryPage<z.output<S>>, void, undefined> {
  const schema = queryPageSchema((options.schema ?? SObjectRecord) as S);
  const headers: Record<string, string> = options.batchSize
    ? { 'Sforce-Query-Options': `batchSize=${clampBatchSize(options.batchSize)}` }
    : {};
  const first = options.includeDeleted ? 'queryAll' : 'query';
  let next: { path: string; query?: Record<string, string>; endpoint: string } | undefined = {
    path: `/${first}`,
    query: { q: soql },
    endpoint: first,
  };
  for (let index = 0; next; index++) {
    const { data } = await transport.send({ method: 'GET', ...next, headers, schema });
    if (!data) throw new ResponseShapeError(`Salesforce ${next.endpoint}`, '', 'no body');
    const page = data as z.output<ReturnType<typeof queryPageSchema<S>>>;
    // A page that says "not done" must say where to go next; treating it as the end would lose rows.
    if (!page.done && !page.nextRecordsUrl) {
      throw new ResponseShapeError(
        `Salesforce ${next.endpoint}`,
        'nextRecordsUrl',
        'missing while done is false',
      );
    }
    next = page.done ? undefined : { path: page.nextRecordsUrl!, endpoint: `${first}More` };
    yield { records: page.records as z.output<S>[], totalSize: page.totalSize, index, done: page.done };
  }
}

/** The same rows one at a time, still fetched a page at a time. */
export async function* queryRecords<S extends z.ZodType = typeof SObjectRecord>(
  transport: SalesforceTransport,
  soql: string,
  options: QueryOptions<S> = {},
): AsyncGenerator<z.output<S>, void, undefined> {
  for await (const page of queryPages(transport, soql, options)) yield* page.records;
}

/** `SELECT COUNT() …` answers with totalSize and no rows (api-facts A4). */
export async function queryCount(transport: SalesforceTransport, soql: string): Promise<number> {
  for await (const page of queryPages(transport, soql)) return page.totalSize;
  return 0;
}
