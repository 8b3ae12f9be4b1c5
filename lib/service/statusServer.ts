// The read-only status API over node:http (shapes in statusApi.ts, views in statusViews.ts), plus the
// three commands the popup sends: Sync now, Pause, Resume. Per org, `Authorization: Bearer <token>`
// is checked against the org's stored hash; no route answers anything before that check.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import type { PgBoss } from 'pg-boss';
import type { ZodType, z } from 'zod';
import type { LogDatabase } from '../db/logPort';
import { fieldIssues } from '../settings/issues';
import { apiTokenMatches } from './apiToken';
import type { OrgClientCache } from './orgClients';
import { runNow, setPaused } from './orgCommands';
import { orgIdSchema } from './orgConfig';
import { findOrg, orgTokenHash } from './orgStore';
import {
  API_PREFIX,
  failuresRequestSchema,
  metricsRequestSchema,
  recordRequestSchema,
  stepRecordsRequestSchema,
  stepsRequestSchema,
} from './statusApi';
import {
  failuresCsv,
  failuresView,
  metricsView,
  type OrgViewContext,
  recordView,
  stateView,
  stepRecordsView,
  stepsView,
} from './statusViews';

export interface StatusServerDeps {
  pool: Pool;
  boss: PgBoss;
  clients: OrgClientCache;
  openLog(orgId: string): Promise<LogDatabase>;
  log?: (line: string) => void;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Query parameters that carry JSON (the step filter, a page cursor). */
const JSON_PARAMS = new Set(['filter', 'after']);

function queryOf(url: URL): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of url.searchParams) {
    if (!JSON_PARAMS.has(key)) out[key] = value;
    else
      try {
        out[key] = JSON.parse(value);
      } catch {
        throw new HttpError(400, `${key}: not JSON`, key);
      }
  }
  return out;
}

function parse<T extends ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = fieldIssues(result.error)[0]!;
  throw new HttpError(400, `${issue.path || 'request'}: ${issue.message}`, issue.path || undefined);
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(JSON.stringify(body));
}

export function createStatusServer(deps: StatusServerDeps): Server {
  async function authorize(request: IncomingMessage, orgId: string): Promise<void> {
    if (!orgIdSchema.safeParse(orgId).success) throw new HttpError(404, `unknown org ${orgId}`);
    const hash = await orgTokenHash(deps.pool, orgId);
    if (hash === undefined) throw new HttpError(404, `unknown org ${orgId}`);
    const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!token || !apiTokenMatches(token, hash))
      throw new HttpError(401, 'missing or wrong token for this org');
  }

  async function context(orgId: string): Promise<OrgViewContext> {
    const org = await findOrg(deps.pool, orgId);
    if (!org) throw new HttpError(404, `unknown org ${orgId}`);
    return { org, db: await deps.openLog(orgId), boss: deps.boss, clients: deps.clients };
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://status.invalid');
    const parts = url.pathname.startsWith(`${API_PREFIX}/`)
      ? url.pathname
          .slice(API_PREFIX.length + 1)
          .split('/')
          .map(decodeURIComponent)
      : [];
    const [orgId, view, ...rest] = parts;
    if (!orgId || !view) throw new HttpError(404, 'no such route (routes are under /v1/orgs/:org/)');
    await authorize(request, orgId);
    const method = request.method ?? 'GET';
    const post = ['sync-now', 'pause', 'resume'].includes(view);
    if (method !== (post ? 'POST' : 'GET'))
      throw new HttpError(405, `${view} takes ${post ? 'POST' : 'GET'}`);
    if (post) {
      if (view === 'sync-now') return send(response, 200, await runNow(deps.pool, deps.boss, orgId));
      await setPaused(deps.pool, deps.boss, orgId, view === 'pause');
      return send(response, 200, await stateView(await context(orgId)));
    }
    const query = queryOf(url);
    const ctx = await context(orgId);
    if (view === 'state' && rest.length === 0) return send(response, 200, await stateView(ctx));
    if (view === 'steps' && rest.length === 0)
      return send(response, 200, await stepsView(ctx, parse(stepsRequestSchema, query)));
    if (view === 'steps' && rest.length === 2 && rest[1] === 'records')
      return send(
        response,
        200,
        await stepRecordsView(ctx, parse(stepRecordsRequestSchema, { ...query, stepId: rest[0] })),
      );
    if (view === 'metrics' && rest.length === 0)
      return send(response, 200, await metricsView(ctx, parse(metricsRequestSchema, query)));
    if (view === 'failures' && rest.length === 0) {
      const request = parse(failuresRequestSchema, query);
      if (request.format === 'json') return send(response, 200, await failuresView(ctx, request));
      response.writeHead(200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="sync-errors-${orgId}.csv"`,
      });
      for await (const part of failuresCsv(ctx, request)) response.write(part);
      response.end();
      return;
    }
    if (view === 'records' && rest.length === 2) {
      const [objectType, recordId] = rest;
      return send(response, 200, await recordView(ctx, parse(recordRequestSchema, { objectType, recordId })));
    }
    throw new HttpError(404, `no such view: ${view}`);
  }

  return createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      if (response.headersSent) return response.destroy();
      if (error instanceof HttpError)
        return send(response, error.status, {
          error: error.message,
          ...(error.field && { field: error.field }),
        });
      deps.log?.(`status API: ${request.method} ${request.url}: ${(error as Error).stack ?? String(error)}`);
      send(response, 500, { error: (error as Error).message });
    });
  });
}

/** Listens on host:port (0: a free port) and answers the base URL. */
export async function listen(server: Server, host: string, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${shownHost}:${address.port}`;
}
