// sObject Collections (`/composite/sobjects`), the sync's bulk write path (api-facts A8).
// Any list is split into calls of at most 200 records, sent one after another, and the results
// come back as one result per input, in input order. A well-formed request answers 200 with a
// per-record array even when every record fails, so record failures are results, not throws.
// allOrNone defaults to false; with true it only holds within one call, so more than 200 records
// with allOrNone is refused rather than silently made non-atomic.
import { z } from 'zod';
import { ResponseShapeError } from '../http/parse';
import { isSalesforceId } from './ids';
import { type CollectionError, CollectionResults, SObjectRecord } from './schemas';
import type { HttpExchange, HttpMethod, SalesforceTransport } from './transport';

export const COLLECTION_LIMIT = 200;
/** Retrieve by POST takes up to 2,000 ids per call (A8). */
export const RETRIEVE_LIMIT = 2000;

export interface SaveResult {
  success: boolean;
  /** Missing on failures (Salesforce omits it), except rolled-back updates/upserts/deletes. */
  id?: string;
  /** Upsert only: true when the record was inserted. */
  created?: boolean;
  errors: CollectionError[];
}

export interface CollectionOptions {
  allOrNone?: boolean;
  /** Sees each call's raw exchange (transport.ts RequestSpec.capture). */
  capture?: (exchange: HttpExchange) => void;
}

export type FieldValues = Record<string, unknown>;

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
function checkName(kind: string, name: string) {
  if (!NAME.test(name)) throw new Error(`not an ${kind} name: ${name}`);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function eachChunk<T>(
  transport: SalesforceTransport,
  items: readonly T[],
  options: CollectionOptions,
  call: (chunk: T[]) => { method: HttpMethod; path: string; query?: Record<string, string>; body?: unknown },
  endpoint: string,
  idempotent = true,
): Promise<SaveResult[]> {
  if (options.allOrNone && items.length > COLLECTION_LIMIT) {
    throw new Error(`allOrNone cannot span ${items.length} records: at most ${COLLECTION_LIMIT} per call`);
  }
  const results: SaveResult[] = [];
  for (const chunk of chunks(items, COLLECTION_LIMIT)) {
    const { data } = await transport.send({
      ...call(chunk),
      endpoint,
      schema: CollectionResults,
      idempotent,
      ...(options.capture && { capture: options.capture }),
    });
    if (!data || data.length !== chunk.length) {
      throw new ResponseShapeError(
        `Salesforce ${endpoint}`,
        '',
        `expected ${chunk.length} results in input order, got ${data?.length ?? 'none'}`,
      );
    }
    for (const r of data) {
      results.push({
        success: r.success,
        ...(r.id ? { id: r.id } : {}),
        ...(r.created !== undefined ? { created: r.created } : {}),
        errors: r.errors,
      });
    }
  }
  return results;
}

const withType = (type: string, records: readonly FieldValues[]) =>
  records.map((fields) => ({ attributes: { type }, ...fields }));

export async function createRecords(
  transport: SalesforceTransport,
  type: string,
  records: readonly FieldValues[],
  options: CollectionOptions = {},
): Promise<SaveResult[]> {
  checkName('sObject', type);
  return eachChunk(
    transport,
    records,
    options,
    (chunk) => ({
      method: 'POST',
      path: '/composite/sobjects',
      body: { allOrNone: options.allOrNone ?? false, records: withType(type, chunk) },
    }),
    'composite/sobjects create',
    // A create sent twice makes two records: never resent after a lost answer (transport.ts).
    false,
  );
}

/** Each record carries its `Id`. */
export async function updateRecords(
  transport: SalesforceTransport,
  type: string,
  records: readonly (FieldValues & { Id: string })[],
  options: CollectionOptions = {},
): Promise<SaveResult[]> {
  checkName('sObject', type);
  return eachChunk(
    transport,
    records,
    options,
    (chunk) => ({
      method: 'PATCH',
      path: '/composite/sobjects',
      body: { allOrNone: options.allOrNone ?? false, records: withType(type, chunk) },
    }),
    'composite/sobjects update',
  );
}

/** Upsert by an external-id field; results carry `created`. */
export async function upsertRecords(
  transport: SalesforceTransport,
  type: string,
  externalIdField: string,
  records: readonly FieldValues[],
  options: CollectionOptions = {},
): Promise<SaveResult[]> {
  checkName('sObject', type);
  checkName('external id field', externalIdField);
  return eachChunk(
    transport,
    records,
    options,
    (chunk) => ({
      method: 'PATCH',
      path: `/composite/sobjects/${type}/${externalIdField}`,
      body: { allOrNone: options.allOrNone ?? false, records: withType(type, chunk) },
    }),
    'composite/sobjects upsert',
  );
}

export async function deleteRecords(
  transport: SalesforceTransport,
  ids: readonly string[],
  options: CollectionOptions = {},
): Promise<SaveResult[]> {
  for (const id of ids) if (!isSalesforceId(id)) throw new Error(`not a Salesforce record id: ${id}`);
  return eachChunk(
    transport,
    ids,
    options,
    (chunk) => ({
      method: 'DELETE',
      path: '/composite/sobjects',
      query: { ids: chunk.join(','), allOrNone: String(options.allOrNone ?? false) },
    }),
    'composite/sobjects delete',
  );
}

/**
 * Reads records by id (POST, up to 2,000 ids per call), one entry per id in order; null where the
 * id is unknown, deleted or not visible to the user.
 */
export async function retrieveRecords<S extends z.ZodType = typeof SObjectRecord>(
  transport: SalesforceTransport,
  type: string,
  ids: readonly string[],
  fields: readonly string[],
  schema?: S,
): Promise<(z.output<S> | null)[]> {
  checkName('sObject', type);
  for (const f of fields) checkName('field', f);
  const rows = z.array(z.union([(schema ?? SObjectRecord) as S, z.null()]));
  const out: (z.output<S> | null)[] = [];
  for (const chunk of chunks(ids, RETRIEVE_LIMIT)) {
    const { data } = await transport.send({
      method: 'POST',
      path: `/composite/sobjects/${type}`,
      body: { ids: chunk, fields },
      endpoint: 'composite/sobjects retrieve',
      schema: rows,
    });
    if (!data || data.length !== chunk.length) {
      throw new ResponseShapeError('Salesforce composite/sobjects retrieve', '', 'one entry per id expected');
    }
    out.push(...(data as (z.output<S> | null)[]));
  }
  return out;
}
