// One Marketo request from arrival to response: URI cap (414), identity, token check (601/602),
// limits (606/607/615), body cap (413), routing (605/610), the envelope, and call counting.
// Anything unexpected becomes a Marketo-shaped 611, never a stack trace.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  errorBody,
  MarketoRequestError,
  requestIdFor,
  sendHttpError,
  sendJson,
  UNCOUNTED_CODES,
} from './envelope';
import type { Body, Route } from './format';
import type { IdentityService } from './identity';
import { handleTokenRequest } from './identityRoute';
import type { RateLimiter } from './limits';
import { BodyTooLargeError, MAX_URI_BYTES, MarketoRequest, readBody } from './request';
import type { MarketoStore } from './store';

export interface DispatchDeps {
  identity: IdentityService;
  limiter: RateLimiter;
  store: MarketoStore;
  routes: Route[];
  /** Extra time a call holds its concurrency slot (lets tests and demos reach 615). */
  processingDelayMs: () => number;
}

let requestCounter = 0;

function bearerToken(req: IncomingMessage, url: URL): string | null {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match ? match[1]!.trim() : url.searchParams.get('access_token');
}

function isAsset(path: string): boolean {
  return path.startsWith('/rest/asset/');
}

function withId(requestId: string, path: string, body: Body): Body {
  if (isAsset(path)) return { success: body.success, errors: [], requestId, warnings: [], ...body };
  return { requestId, ...body };
}

function route(routes: Route[], req: MarketoRequest, store: MarketoStore): Body {
  let pathMatched = false;
  for (const candidate of routes) {
    const match = candidate.pattern.exec(req.path);
    if (!match) continue;
    pathMatched = true;
    if (candidate.methods.includes(req.method)) return candidate.handle({ req, store, match });
  }
  if (pathMatched) throw new MarketoRequestError('605');
  throw new MarketoRequestError('610');
}

export async function dispatch(
  deps: DispatchDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const { identity, limiter, store } = deps;
  const requestId = requestIdFor(store.now(), ++requestCounter);
  const path = url.pathname;
  const fail = (code: string, message?: string) => {
    sendJson(res, path.startsWith('/rest/') || path.startsWith('/bulk/') ? 200 : 404, {
      ...errorBody(requestId, code, message),
      ...(isAsset(path) ? { warnings: [] } : {}),
    });
  };
  try {
    if ((req.url ?? '').length > MAX_URI_BYTES) {
      req.resume();
      sendHttpError(res, 414, 'Request-URI Too Long');
      return;
    }
    if (path === '/identity/oauth/token') {
      const body = req.method === 'POST' ? await readBody(req) : '';
      handleTokenRequest(identity, req.method ?? 'GET', url, body, res);
      return;
    }
    const check = identity.check(bearerToken(req, url));
    if (!check.ok) {
      limiter.countErrorOnly(check.code);
      fail(check.code);
      return;
    }
    const refusal = limiter.admit();
    if (refusal) {
      limiter.countErrorOnly(refusal.code);
      fail(refusal.code, refusal.message);
      return;
    }
    try {
      let rawBody: string;
      try {
        rawBody = await readBody(req);
      } catch (error) {
        if (!(error instanceof BodyTooLargeError)) throw error;
        req.resume();
        sendHttpError(res, 413, 'Request Entity Too Large');
        return;
      }
      const delay = deps.processingDelayMs();
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      const request = new MarketoRequest(
        req.method ?? 'GET',
        url,
        req.headers['content-type'] ?? '',
        rawBody,
      );
      let body: Body;
      try {
        body = route(deps.routes, request, store);
      } catch (error) {
        if (!(error instanceof MarketoRequestError)) throw error;
        body = errorBody(requestId, error.code, error.message);
      }
      const errorCode = body.success === false ? (body.errors as { code: string }[])[0]?.code : undefined;
      if (errorCode && UNCOUNTED_CODES.has(errorCode)) limiter.countErrorOnly(errorCode);
      else limiter.count(identity.scope, errorCode);
      sendJson(
        res,
        path.startsWith('/rest/') || path.startsWith('/bulk/') ? 200 : 404,
        withId(requestId, path, body),
      );
    } finally {
      limiter.release();
    }
  } catch {
    if (res.headersSent) {
      res.end();
      return;
    }
    limiter.countErrorOnly('611');
    fail('611');
  }
}
