// The extension's client of the service's status API (lib/serviceMode/client.ts) over real HTTP on
// loopback, against a server that answers what a test tells it to: good answers are parsed with the
// API's zod shapes, and every way a call can fail is a ServiceError whose words say what failed where
// (a refused token, an unreachable or silent service, an answer that is not JSON or not the shape).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyCounters } from '../../lib/db/types';
import { createServiceClient } from '../../lib/serviceMode/client';
import { ServiceError } from '../../lib/serviceMode/errors';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;
let handler: Handler;
let server: Server;
let base: string;
const seen: IncomingMessage[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push(request);
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const json =
  (status: number, body: unknown, type = 'application/json'): Handler =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': type });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

const client = (options: { url?: string; token?: string; timeoutMs?: number } = {}) =>
  createServiceClient({
    url: options.url ?? base,
    orgId: 'acme',
    token: options.token ?? 'sss_token',
    fetch: (input, init) => fetch(input, init),
    ...(options.timeoutMs && { timeoutMs: options.timeoutMs }),
  });

const connected = { state: 'connected' as const, label: 'acme.my.salesforce.com' };
const state = {
  org: { id: 'acme', name: 'Acme', intervalMinutes: 5 },
  paused: false,
  running: false,
  nextRunAt: 1_000,
  lastCycle: {
    id: 3,
    trigger: 'schedule',
    startedAt: 1,
    endedAt: 2,
    status: 'Completed',
    totals: emptyCounters(),
  },
  connection: { salesforce: connected, marketo: connected },
  view: { personLabel: 'Lead', instanceUrl: 'https://acme.my.salesforce.com', isAdmin: true },
};

async function failure(call: Promise<unknown>): Promise<ServiceError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceError);
  return error as ServiceError;
}

describe('service client: good answers', () => {
  it('reads the state with the org’s token, parsed with the API’s shape', async () => {
    handler = json(200, state);
    const answer = await client().state();
    expect(answer.org.name).toBe('Acme');
    expect(answer.lastCycle?.status).toBe('Completed');
    const asked = seen.at(-1)!;
    expect(asked.url).toBe('/v1/orgs/acme/state');
    expect(asked.headers.authorization).toBe('Bearer sss_token');
  });

  it('sends the step filter and page cursor as JSON, a running step’s +Infinity key as null', async () => {
    handler = json(200, { rows: [] });
    await client().steps({
      filter: { from: 10, statuses: ['Failed'] },
      sort: 'endedAt',
      limit: 50,
      after: [Number.POSITIVE_INFINITY, 7],
    });
    const url = new URL(seen.at(-1)!.url!, base);
    expect(url.pathname).toBe('/v1/orgs/acme/steps');
    expect(JSON.parse(url.searchParams.get('filter')!)).toEqual({ from: 10, statuses: ['Failed'] });
    expect(url.searchParams.get('sort')).toBe('endedAt');
    expect(url.searchParams.get('limit')).toBe('50');
    expect(JSON.parse(url.searchParams.get('after')!)).toEqual([null, 7]);
  });

  it('posts Sync now and Pause', async () => {
    handler = json(200, { status: 'queued' });
    expect(await client().syncNow()).toEqual({ status: 'queued' });
    expect([seen.at(-1)!.method, seen.at(-1)!.url]).toEqual(['POST', '/v1/orgs/acme/sync-now']);
    handler = json(200, { ...state, paused: true });
    expect((await client().setPaused(true)).paused).toBe(true);
    expect([seen.at(-1)!.method, seen.at(-1)!.url]).toEqual(['POST', '/v1/orgs/acme/pause']);
  });
});

describe('service client: failures, in words', () => {
  it('401: the token was refused, naming the org and what to paste', async () => {
    handler = json(401, { error: 'missing or wrong token for this org' });
    const error = await failure(client({ token: 'sss_wrong' }).state());
    expect(error.failure).toBe('token-refused');
    expect(error.status).toBe(401);
    expect(error.message).toBe(
      `The service at ${base} refused the token for org acme (401: missing or wrong token for this org). Paste the token \`npm run service -- add-org\` printed for this org.`,
    );
  });

  it('unreachable: the URL and the network’s reason', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const closed = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise((resolve) => probe.close(resolve));
    const error = await failure(client({ url: closed }).state());
    expect(error.failure).toBe('unreachable');
    expect(error.message).toMatch(new RegExp(`^Could not reach the service at ${closed}: .*ECONNREFUSED`));
  });

  it('a service that does not answer in time is unreachable, not a hang', async () => {
    handler = () => {}; // never answers
    const started = Date.now();
    const error = await failure(client({ timeoutMs: 300 }).state());
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error.failure).toBe('unreachable');
    expect(error.message).toBe(`Could not reach the service at ${base}: no answer in time`);
  });

  it('an answer that is not JSON (a proxy’s page)', async () => {
    handler = json(200, '<html><body>Welcome to nginx</body></html>', 'text/html');
    const error = await failure(client().state());
    expect(error.failure).toBe('bad-answer');
    expect(error.message).toContain("The service's answer to GET /v1/orgs/acme/state is not JSON");
    expect(error.message).toContain(`is ${base} the status API of \`npm run service\`?`);
  });

  it('JSON of another shape names the fields', async () => {
    handler = json(200, { ...state, org: undefined, paused: 'no' });
    const error = await failure(client().state());
    expect(error.failure).toBe('bad-answer');
    expect(error.message).toMatch(
      /^The service's answer to GET \/v1\/orgs\/acme\/state is not one this extension reads: /,
    );
    expect(error.message).toContain('org: ');
    expect(error.message).toContain('paused: ');
  });

  it('a record answer that fits neither a notice nor a status is described by the status it meant to be', async () => {
    handler = json(200, {
      objectType: 'Lead',
      recordId: '00Q5e00000AbCdEEAV',
      state: 'synced',
      lastChanges: [{ old: 1, new: 2 }],
      hiddenFields: [],
      history: [],
    });
    const error = await failure(client().record('Lead', '00Q5e00000AbCdEEAV'));
    expect(error.message).toContain('lastChanges[0].field: ');
    expect(error.message).not.toContain('notice');
  });

  it('a new record’s change without an old value is read (JSON leaves undefined out)', async () => {
    handler = json(200, {
      objectType: 'Lead',
      recordId: '00Q5e00000AbCdEEAV',
      state: 'synced',
      lastChanges: [{ field: 'LastName', new: 'Ng' }],
      hiddenFields: [],
      history: [],
    });
    const answer = await client().record('Lead', '00Q5e00000AbCdEEAV');
    expect('lastChanges' in answer && answer.lastChanges).toEqual([{ field: 'LastName', new: 'Ng' }]);
  });

  it('404 (unknown org) and other statuses carry the service’s own error', async () => {
    handler = json(404, { error: 'unknown org acme' });
    const missing = await failure(client().state());
    expect([missing.failure, missing.message]).toEqual([
      'not-found',
      `The service at ${base} answered 404 to GET /v1/orgs/acme/state: unknown org acme`,
    ]);
    handler = json(502, 'Bad Gateway\n<html>…</html>', 'text/plain');
    const proxy = await failure(client().syncNow());
    expect([proxy.failure, proxy.message]).toEqual([
      'http',
      `The service at ${base} answered 502 to POST /v1/orgs/acme/sync-now: Bad Gateway`,
    ]);
  });
});
