// The Salesforce host: OAuth endpoints, identity, login/Lightning pages, the version list and
// the REST API under /services/data/vNN.N/. REST calls are authenticated (Bearer sid or token),
// counted against the rolling allowance and answered with Sforce-Limit-Info.
import type { IncomingHttpHeaders } from 'node:http';
import { type HttpReply, parseCookies } from '../http';
import type { ApiRequest } from './api';
import { handleCollections } from './collections';
import { handleComposite } from './composite';
import { describeGlobal } from './describe';
import { invalidSession, notFound, SfApiError, unknownException } from './errors';
import { authorize, bearer, revoke, token, userinfo } from './oauth';
import type { SalesforceOrg } from './org';
import { handlePages } from './pages';
import { handleQuery } from './query';
import { handleSObjects } from './rows';
import { UserContext } from './users';
import { resourceList, versionList } from './versions';

export interface SfHttpRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

export function handleSalesforce(org: SalesforceOrg, req: SfHttpRequest): HttpReply {
  try {
    return route(org, req);
  } catch (error) {
    if (error instanceof SfApiError) return error.reply();
    return unknownException();
  }
}

function route(org: SalesforceOrg, req: SfHttpRequest): HttpReply {
  const path = req.url.pathname;
  if (path.startsWith('/services/oauth2/')) {
    const op = path.slice('/services/oauth2/'.length).replace(/\/$/, '');
    if (op === 'authorize') return authorize(org, req.url, parseCookies(req.headers.cookie).sid);
    if (op === 'token' && req.method === 'POST') return token(org, req.rawBody);
    if (op === 'revoke') return revoke(org, req.url, req.rawBody);
    if (op === 'userinfo') return userinfo(org, req.headers.authorization);
    throw notFound();
  }
  if (path.startsWith('/id/'))
    return userinfo(org, req.headers.authorization, path.slice(4).replace(/\/$/, ''));
  if (path === '/services/data' || path === '/services/data/') {
    return { status: 200, body: versionList(org.options.minApiVersion, org.options.maxApiVersion) };
  }
  const m = /^\/services\/data\/v(\d+)\.(\d+)(\/.*)?$/.exec(path);
  if (m) return api(org, req, Number(m[1]), `${m[1]}.${m[2]}`, m[3] ?? '/');
  const page = handlePages(org, req);
  if (page) return page;
  throw notFound();
}

function api(
  org: SalesforceOrg,
  req: SfHttpRequest,
  major: number,
  version: string,
  rest: string,
): HttpReply {
  if (major < org.options.minApiVersion) {
    throw new SfApiError(410, 'GONE', `Version ${version} of the API is no longer supported`);
  }
  if (major > org.options.maxApiVersion || !version.endsWith('.0')) throw notFound();
  if (/\.lightning\.force\.com(:\d+)?$/i.test(String(req.headers.host ?? ''))) {
    throw new SfApiError(401, 'INVALID_SESSION_ID', 'This session is not valid for use with the REST API');
  }
  const tokenValue = bearer(req.headers.authorization) ?? String(req.headers['x-sfdc-session'] ?? '');
  const check = org.auth.check(tokenValue || undefined);
  if (!check.ok) {
    if (check.reason === 'restricted') {
      throw new SfApiError(401, 'INVALID_SESSION_ID', 'This session is not valid for use with the REST API');
    }
    throw invalidSession();
  }
  const user = UserContext.load(org.store, check.session.userId);
  if (!user) throw invalidSession();
  if (!org.usage.tryConsume()) {
    const reply = new SfApiError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.').reply();
    return { ...reply, headers: { 'Sforce-Limit-Info': org.usage.header() } };
  }
  const override = req.method === 'POST' ? req.url.searchParams.get('_HttpMethod') : null;
  const apiReq: ApiRequest = {
    org,
    method:
      (override ?? req.method).toUpperCase() === 'HEAD' ? 'GET' : (override ?? req.method).toUpperCase(),
    segments: rest.split('/').filter(Boolean).map(decodeURIComponent),
    url: req.url,
    version,
    headers: req.headers,
    rawBody: req.rawBody,
    user,
  };
  let reply: HttpReply;
  try {
    reply = dispatch(apiReq, true);
  } catch (error) {
    if (!(error instanceof SfApiError)) throw error;
    reply = error.reply();
  }
  return { ...reply, headers: { ...reply.headers, 'Sforce-Limit-Info': org.usage.header() } };
}

/** Routes one authenticated REST call (also used for composite subrequests). */
export function dispatch(req: ApiRequest, allowComposite: boolean): HttpReply {
  const [head, second] = req.segments;
  switch (head) {
    case undefined:
      return { status: 200, body: resourceList(req.version) };
    case 'query':
      return handleQuery(req, false);
    case 'queryAll':
      return handleQuery(req, true);
    case 'limits':
      if (req.segments.length > 1) throw notFound();
      if (!req.user.canViewSetup) {
        throw new SfApiError(
          403,
          'INSUFFICIENT_ACCESS',
          'You do not have the level of access necessary to perform the operation you requested. Please contact the owner of the record or your administrator if access is necessary.',
        );
      }
      return { status: 200, body: req.org.usage.limitsBody() };
    case 'sobjects':
      return req.segments.length === 1 ? describeGlobal(req) : handleSObjects(req);
    case 'composite':
      if (second === 'sobjects') return handleCollections(req);
      if (second === undefined && allowComposite)
        return handleComposite(req, (method, url, rawBody, headers) =>
          sub(req, method, url, rawBody, headers),
        );
      throw notFound();
    default:
      throw notFound();
  }
}

function sub(
  parent: ApiRequest,
  method: string,
  rawUrl: string,
  rawBody: string,
  headers: Record<string, string>,
): HttpReply {
  const url = new URL(rawUrl, parent.url);
  const m = /^\/services\/data\/v(\d+\.\d+)(\/.*)?$/.exec(url.pathname);
  if (!m) return notFound().reply();
  const lower: IncomingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
  const req: ApiRequest = {
    ...parent,
    method,
    url,
    version: m[1]!,
    segments: (m[2] ?? '/').split('/').filter(Boolean).map(decodeURIComponent),
    headers: { ...parent.headers, ...lower },
    rawBody,
  };
  try {
    const reply = dispatch(req, false);
    const headersOut = { ...reply.headers };
    if (reply.status === 201 && reply.body && typeof reply.body === 'object' && 'id' in reply.body) {
      const type = req.segments[1];
      headersOut.Location = `/services/data/v${req.version}/sobjects/${type}/${String((reply.body as { id: unknown }).id)}`;
    }
    return { ...reply, headers: headersOut };
  } catch (error) {
    if (error instanceof SfApiError) return error.reply();
    return unknownException();
  }
}
