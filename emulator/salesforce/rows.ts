// /sobjects/{type}[/...]: object info, create, describe, updated/deleted, and single-record
// rows (GET/PATCH/DELETE by id, GET/PATCH by external id) — api-facts A7.
import type { HttpReply } from '../http';
import { normalizeId } from '../ids';
import { type ApiRequest, actor, dmlReply, jsonBody, sobjectType } from './api';
import { describeSObject, globalEntry } from './describe';
import { DmlError, deleteRecord, insertRecord, parseInput, updateRecord, upsertRecord } from './dml';
import { methodNotAllowed, notFound, SfApiError } from './errors';
import { fullRecord } from './records';
import { handleDeleted, handleUpdated } from './replication';
import type { SObjectType } from './schema';

export function handleSObjects(req: ApiRequest): HttpReply {
  const [, typeName, second, third, ...rest] = req.segments;
  const type = sobjectType(req, typeName);
  if (rest.length) throw notFound();
  if (second === undefined) return objectRoot(req, type);
  if (third === undefined) {
    if (second === 'describe') return only(req, ['GET'], () => describeSObject(req, type));
    if (second === 'updated') return only(req, ['GET'], () => handleUpdated(req, type));
    if (second === 'deleted') return only(req, ['GET'], () => handleDeleted(req, type));
    return byId(req, type, second);
  }
  return byExternalId(req, type, second, third);
}

function only(req: ApiRequest, methods: string[], fn: () => HttpReply): HttpReply {
  if (!methods.includes(req.method)) throw methodNotAllowed(req.method, [...methods, 'HEAD']);
  return fn();
}

function objectRoot(req: ApiRequest, type: SObjectType): HttpReply {
  if (req.method === 'GET')
    return { status: 200, body: { objectDescribe: globalEntry(req, type), recentItems: [] } };
  if (req.method !== 'POST') throw methodNotAllowed(req.method, ['GET', 'HEAD', 'POST']);
  const { values } = parseInput(type, jsonBody(req), req.user);
  try {
    const id = req.org.store.transaction(() => ({
      commit: true,
      value: insertRecord(req.org, actor(req), type, values),
    }));
    return { status: 201, body: { id, success: true, errors: [] } };
  } catch (error) {
    return dmlReply(error);
  }
}

function readFields(req: ApiRequest, type: SObjectType): string[] | undefined {
  const param = req.url.searchParams.get('fields');
  if (!param) return undefined;
  const names = param
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names) {
    const f = type.field(n);
    if (!f || !req.user.canRead(type.name, f.name)) {
      throw new SfApiError(
        400,
        'INVALID_FIELD',
        `No such column '${n}' on entity '${type.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
  }
  return names;
}

function byId(req: ApiRequest, type: SObjectType, rawId: string): HttpReply {
  const id = normalizeId(rawId);
  if (!id || id.slice(0, 3) !== type.def.keyPrefix) {
    // An id-shaped value with this object's prefix is a malformed id; anything else is read
    // as an external-id field name, as the real API does.
    if (rawId.startsWith(type.def.keyPrefix) && /^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/.test(rawId)) {
      throw new SfApiError(
        400,
        'MALFORMED_ID',
        `${type.def.label} ID: id value of incorrect type: ${rawId}`,
        ['Id'],
      );
    }
    throw new SfApiError(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${rawId}`,
    );
  }
  const row = req.org.store.get(id);
  if (req.method === 'GET') {
    if (!row) throw notFound();
    if (row.IsDeleted) throw new SfApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
    return { status: 200, body: fullRecord(type, row, req.version, req.user, readFields(req, type)) };
  }
  if (req.method === 'PATCH') {
    const { values } = parseInput(type, jsonBody(req), req.user);
    if (!row) throw notFound();
    try {
      req.org.store.transaction(() => ({
        commit: true,
        value: updateRecord(req.org, actor(req), id, values, type),
      }));
      return { status: 204 };
    } catch (error) {
      return dmlReply(error);
    }
  }
  if (req.method === 'DELETE') {
    if (!row) throw notFound();
    try {
      req.org.store.transaction(() => ({ commit: true, value: deleteRecord(req.org, actor(req), id) }));
      return { status: 204 };
    } catch (error) {
      return dmlReply(error);
    }
  }
  throw methodNotAllowed(req.method, ['GET', 'HEAD', 'PATCH', 'DELETE']);
}

function byExternalId(req: ApiRequest, type: SObjectType, fieldName: string, value: string): HttpReply {
  const f = type.field(fieldName);
  if (!f || (!f.externalId && f.name !== 'Id') || !req.user.canRead(type.name, f.name)) {
    throw new SfApiError(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${fieldName}`,
    );
  }
  if (req.method === 'GET') {
    const id = f.name === 'Id' ? normalizeId(value) : req.org.store.findUnique(type.name, f.name, value);
    const row = id ? req.org.store.get(id) : undefined;
    if (!row || row.IsDeleted) throw notFound();
    return { status: 200, body: fullRecord(type, row, req.version, req.user, readFields(req, type)) };
  }
  if (req.method !== 'PATCH') throw methodNotAllowed(req.method, ['GET', 'HEAD', 'PATCH']);
  const { values } = parseInput(type, jsonBody(req), req.user);
  try {
    const result = req.org.store.transaction(() => ({
      commit: true,
      value: upsertRecord(req.org, actor(req), type, f, values, value),
    }));
    return {
      status: result.created ? 201 : 200,
      body: { id: result.id, success: true, errors: [], created: result.created },
    };
  } catch (error) {
    if (error instanceof DmlError && error.statusCode === 'NOT_FOUND') throw notFound();
    return dmlReply(error);
  }
}
