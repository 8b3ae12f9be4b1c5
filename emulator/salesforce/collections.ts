// sObject Collections (/composite/sobjects, api-facts A8): create, update, upsert, delete and
// retrieve, at most 200 records, results in request order, `statusCode` per item, failed items
// without `id`, and allOrNone rollback with ALL_OR_NONE_OPERATION_ROLLED_BACK.
import type { HttpReply } from '../http';
import { normalizeId } from '../ids';
import { type ApiRequest, actor, jsonBody, sobjectType } from './api';
import {
  DmlError,
  deleteRecord,
  insertRecord,
  type ParsedInput,
  parseInput,
  updateRecord,
  upsertRecord,
} from './dml';
import { methodNotAllowed, notFound, SfApiError } from './errors';
import { fullRecord } from './records';
import type { SObjectType } from './schema';

const MAX_RECORDS = 200;
const MAX_RETRIEVE_POST = 2000;
const ROLLED_BACK = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

type ItemResult = Record<string, unknown>;
type Op = 'create' | 'update' | 'upsert' | 'delete';

const tooMany = () =>
  new SfApiError(
    400,
    'EXCEEDED_ID_LIMIT',
    `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`,
  );

export function handleCollections(req: ApiRequest): HttpReply {
  const [, , typeName, extField, ...rest] = req.segments;
  if (rest.length) throw notFound();
  if (typeName === undefined) {
    if (req.method === 'POST') return writeAll(req, 'create');
    if (req.method === 'PATCH') return writeAll(req, 'update');
    if (req.method === 'DELETE') return deleteAll(req);
    throw methodNotAllowed(req.method, ['POST', 'PATCH', 'DELETE']);
  }
  const type = sobjectType(req, typeName);
  if (extField !== undefined) {
    if (req.method !== 'PATCH') throw methodNotAllowed(req.method, ['PATCH']);
    return writeAll(req, 'upsert', type, extField);
  }
  if (req.method === 'GET' || req.method === 'POST') return retrieve(req, type);
  throw methodNotAllowed(req.method, ['GET', 'POST']);
}

interface Parsed {
  type: SObjectType;
  input: ParsedInput;
}

function parseRecords(
  req: ApiRequest,
  op: Op,
  upsertType?: SObjectType,
): { allOrNone: boolean; records: Parsed[] } {
  const body = jsonBody(req) as { allOrNone?: unknown; records?: unknown };
  if (!body || typeof body !== 'object' || !Array.isArray(body.records)) {
    throw new SfApiError(400, 'JSON_PARSER_ERROR', 'The request body must be an object with a records array');
  }
  if (body.records.length > MAX_RECORDS) throw tooMany();
  const records = body.records.map((raw: unknown) => {
    const attrType = (raw as { attributes?: { type?: unknown } } | null)?.attributes?.type;
    let type = upsertType;
    if (!type) {
      if (typeof attrType !== 'string')
        throw new SfApiError(400, 'INVALID_TYPE', 'Must send a concrete entity type.');
      type = req.org.store.schema.get(attrType);
      if (!type) throw new SfApiError(400, 'INVALID_TYPE', `sObject type '${attrType}' is not supported.`);
    }
    return { type, input: parseInput(type, raw, req.user) };
  });
  if (op === 'create' && records.some((r) => r.input.id !== undefined)) {
    // The real API rejects ids in an insert per record; keep it simple and request-level.
    throw new SfApiError(400, 'INVALID_FIELD', 'cannot specify Id in an insert call');
  }
  return { allOrNone: body.allOrNone === true, records };
}

function writeAll(req: ApiRequest, op: Op, upsertType?: SObjectType, extFieldName?: string): HttpReply {
  const extField = upsertType && extFieldName ? upsertType.field(extFieldName) : undefined;
  if (upsertType && (!extField || (!extField.externalId && extField.name !== 'Id'))) {
    throw new SfApiError(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${extFieldName}`,
    );
  }
  const { allOrNone, records } = parseRecords(req, op, upsertType);
  const who = actor(req);
  const results = req.org.store.transaction(() => {
    const out: { result: ItemResult; id?: string; ok: boolean }[] = records.map(({ type, input }) => {
      try {
        if (op === 'create') return ok(insertRecord(req.org, who, type, input.values));
        if (op === 'update') return ok(updateRecord(req.org, who, input.id, input.values, type));
        const extValue = extField!.name === 'Id' ? input.id : input.values[extField!.name];
        if (extValue === undefined || extValue === null || extValue === '') {
          throw new DmlError('MISSING_ARGUMENT', `${extField!.name} not specified`, [extField!.name]);
        }
        const r = upsertRecord(req.org, who, type, extField!, input.values, String(extValue));
        return { ...ok(r.id), result: { id: r.id, success: true, errors: [], created: r.created } };
      } catch (error) {
        return failed(error, op === 'create' ? undefined : idOf(input.id));
      }
    });
    const anyFailed = out.some((r) => !r.ok);
    return {
      commit: !(allOrNone && anyFailed),
      value: allOrNone && anyFailed ? rolledBack(out, op) : out.map((r) => r.result),
    };
  });
  return { status: 200, body: results };
}

function idOf(raw: unknown): string | undefined {
  return typeof raw === 'string' ? (normalizeId(raw) ?? undefined) : undefined;
}

function ok(id: string) {
  return { result: { id, success: true, errors: [] } as ItemResult, id, ok: true };
}

function failed(error: unknown, id?: string) {
  if (!(error instanceof DmlError)) throw error;
  const item = { statusCode: error.statusCode, message: error.message, fields: error.fields };
  return { result: { success: false, errors: [item] } as ItemResult, id, ok: false };
}

/** allOrNone: failures keep their errors; the others report the rollback (with id unless create). */
function rolledBack(out: { result: ItemResult; id?: string; ok: boolean }[], op: Op): ItemResult[] {
  return out.map((r) => {
    if (!r.ok) return r.result;
    const item: ItemResult = { success: false, errors: [ROLLED_BACK] };
    return op === 'create' ? item : { id: r.id, ...item };
  });
}

function deleteAll(req: ApiRequest): HttpReply {
  const ids = (req.url.searchParams.get('ids') ?? '').split(',').filter(Boolean);
  if (ids.length === 0) throw new SfApiError(400, 'MISSING_ARGUMENT', 'ids parameter is required');
  if (ids.length > MAX_RECORDS) throw tooMany();
  const allOrNone = req.url.searchParams.get('allOrNone') === 'true';
  const who = actor(req);
  const results = req.org.store.transaction(() => {
    const out = ids.map((raw) => {
      try {
        return ok(deleteRecord(req.org, who, raw));
      } catch (error) {
        return failed(error, idOf(raw));
      }
    });
    const anyFailed = out.some((r) => !r.ok);
    return {
      commit: !(allOrNone && anyFailed),
      value: allOrNone && anyFailed ? rolledBack(out, 'delete') : out.map((r) => r.result),
    };
  });
  return { status: 200, body: results };
}

function retrieve(req: ApiRequest, type: SObjectType): HttpReply {
  let ids: unknown;
  let fields: unknown;
  if (req.method === 'GET') {
    ids = (req.url.searchParams.get('ids') ?? '').split(',').filter(Boolean);
    fields = (req.url.searchParams.get('fields') ?? '').split(',').filter(Boolean);
  } else {
    const body = jsonBody(req) as { ids?: unknown; fields?: unknown };
    ids = body?.ids;
    fields = body?.fields;
  }
  if (!Array.isArray(ids) || ids.length === 0)
    throw new SfApiError(400, 'MISSING_ARGUMENT', 'ids is required');
  if (!Array.isArray(fields) || fields.length === 0)
    throw new SfApiError(400, 'MISSING_ARGUMENT', 'fields is required');
  if (ids.length > (req.method === 'GET' ? MAX_RECORDS * 4 : MAX_RETRIEVE_POST)) throw tooMany();
  for (const f of fields) {
    const def = type.field(String(f));
    if (!def || !req.user.canRead(type.name, def.name)) {
      throw new SfApiError(
        400,
        'INVALID_FIELD',
        `No such column '${String(f)}' on entity '${type.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
  }
  const body = ids.map((raw) => {
    const id = typeof raw === 'string' ? normalizeId(raw) : null;
    const row = id?.startsWith(type.def.keyPrefix) ? req.org.store.get(id!) : undefined;
    return row && !row.IsDeleted ? fullRecord(type, row, req.version, req.user, fields as string[]) : null;
  });
  return { status: 200, body };
}
