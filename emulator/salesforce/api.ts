// The request context every REST handler gets, and small shared helpers.
import type { IncomingHttpHeaders } from 'node:http';
import type { HttpReply } from '../http';
import { type DmlActor, DmlError } from './dml';
import { jsonParserError, SfApiError } from './errors';
import type { SalesforceOrg } from './org';
import type { SObjectType } from './schema';
import type { UserContext } from './users';

export interface ApiRequest {
  org: SalesforceOrg;
  method: string;
  /** Path segments after /services/data/vNN.N/ (decoded). */
  segments: string[];
  url: URL;
  version: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  user: UserContext;
}

export type ApiHandler = (req: ApiRequest) => HttpReply | Promise<HttpReply>;

export function jsonBody(req: ApiRequest): unknown {
  if (req.rawBody.trim() === '') throw jsonParserError('No content to map due to end-of-input');
  try {
    return JSON.parse(req.rawBody);
  } catch (error) {
    throw jsonParserError(`Unexpected character in request body: ${(error as Error).message}`);
  }
}

export function sobjectType(req: ApiRequest, name: string | undefined): SObjectType {
  const type = name ? req.org.store.schema.get(name) : undefined;
  if (!type) throw new SfApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  return type;
}

export function actor(req: ApiRequest): DmlActor {
  return { user: req.user, enforce: true, at: req.org.store.now() };
}

/** A per-record DmlError as the single-resource error array. */
export function dmlReply(error: unknown): HttpReply {
  if (error instanceof DmlError) {
    const status = error.statusCode === 'ENTITY_IS_DELETED' || error.statusCode === 'NOT_FOUND' ? 404 : 400;
    return { status, body: [{ message: error.message, errorCode: error.statusCode, fields: error.fields }] };
  }
  throw error;
}
