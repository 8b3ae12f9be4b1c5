// The service's status API over real HTTP: each org's token (and only it) opens that org's views,
// bad input is refused naming the parameter, and the views — parsed with the zod shapes the
// extension will parse them with (lib/service/statusApi.ts) — show what a worker process's cycle
// wrote to the org's PostgreSQL log; Sync now, Pause and Resume act on the org's jobs and schedule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvLines, FAILURE_CSV_COLUMNS } from '../../lib/export/failuresCsv';
import { runNow } from '../../lib/service/orgCommands';
import { openOrgLog } from '../../lib/service/orgLog';
import {
  failuresResponseSchema,
  metricsResponseSchema,
  recordResponseSchema,
  stateResponseSchema,
  stepsResponseSchema,
  syncNowResponseSchema,
} from '../../lib/service/statusApi';
import { type StatusService, startStatusService } from '../../lib/service/statusService';
import { type ServiceWorld, startServiceWorld, until } from '../support/serviceWorld';

let world: ServiceWorld;
let api: StatusService;
const tokens: Record<string, string> = {};
let leadId: string;

beforeAll(async () => {
  world = await startServiceWorld('svc_status');
  const acme = await world.addEmulatedOrg('acme', { intervalMinutes: 60 });
  tokens.acme = acme.token;
  tokens.other = (await world.addEmulatedOrg('other', { intervalMinutes: 60 })).token;
  for (let i = 0; i < 30; i++)
    acme.emu.control.sfCreate({ object: 'Lead', fields: { Company: 'Acme', LastName: `Lead ${i}` } });
  leadId = acme.emu.control.sfCreate({ object: 'Lead', fields: { Company: 'Acme', LastName: 'Panel' } }).id;
  api = await startStatusService({
    databaseUrl: world.database.url,
    host: '127.0.0.1',
    port: 0,
    openLog: openOrgLog,
  });
  world.startWorker();
  await runNow(world.pool, world.boss, 'acme');
  await until(
    'the cycle',
    async () => (await world.runs('acme')).find((r) => r.outcome === 'Completed'),
    90_000,
  );
}, 120_000);
afterAll(async () => {
  await api?.stop();
  await world?.stop();
}, 60_000);

async function call(path: string, options: { token?: string | null; method?: string } = {}) {
  const token = options.token === undefined ? tokens.acme : options.token;
  const response = await fetch(`${api.url}/v1/orgs/${path}`, {
    method: options.method ?? 'GET',
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    text,
    json: () => JSON.parse(text),
  };
}

describe('status API', () => {
  it('answers only to the org’s own token', async () => {
    expect((await call('acme/state', { token: null })).status).toBe(401);
    expect((await call('acme/state', { token: 'sss_wrong' })).status).toBe(401);
    expect((await call('acme/state', { token: tokens.other })).status).toBe(401);
    expect((await call('other/state', { token: tokens.other })).status).toBe(200);
    const unknown = await call('nobody/state');
    expect([unknown.status, unknown.json()]).toEqual([404, { error: 'unknown org nobody' }]);
    expect((await call('acme/nothing')).status).toBe(404);
    expect((await call('acme/state', { method: 'POST' })).status).toBe(405);
    expect((await call('acme/pause', { method: 'GET' })).status).toBe(405);
  });

  it('refuses a bad parameter naming it', async () => {
    expect((await call('acme/steps?limit=0')).json()).toEqual({
      error: expect.stringMatching(/^limit: Too small/),
      field: 'limit',
    });
    expect((await call('acme/steps?filter={bad')).json()).toEqual({
      error: 'filter: not JSON',
      field: 'filter',
    });
    const status = await call('acme/steps?filter={"statuses":["Sleeping"]}');
    expect([status.status, status.json().field]).toEqual([400, 'filter.statuses[0]']);
    expect((await call('acme/records/Lead/notanid')).json().field).toBe('recordId');
  });

  it('serves the popup state, the steps table, the record panel, metrics and failures of the org’s log', async () => {
    const state = stateResponseSchema.parse((await call('acme/state')).json());
    expect(state).toMatchObject({ paused: false, running: false, org: { id: 'acme', intervalMinutes: 60 } });
    expect(state.lastCycle).toMatchObject({ status: 'Completed', trigger: 'manual', totals: { new: 31 } });
    expect(state.nextRunAt).toBeGreaterThan(Date.now());
    expect(state.connection.salesforce.state).toBe('connected');

    const first = stepsResponseSchema.parse((await call('acme/steps?limit=3')).json());
    expect(first.rows).toHaveLength(3);
    expect(first.next).toBeDefined();
    const after = encodeURIComponent(JSON.stringify(first.next));
    const second = stepsResponseSchema.parse((await call(`acme/steps?limit=50&after=${after}`)).json());
    const steps = [...first.rows, ...second.rows];
    expect(steps.find((s) => s.operation === 'Pull Updates' && s.objectType === 'Person')).toMatchObject({
      status: 'Completed',
      new: 31,
    });
    const db = await world.log('acme');
    expect(steps.length).toBe(await db.steps.count());

    const record = recordResponseSchema.parse((await call(`acme/records/Lead/${leadId}`)).json());
    expect(record).toMatchObject({ recordId: leadId, state: 'synced', name: 'Panel' });

    const metrics = metricsResponseSchema.parse((await call('acme/metrics')).json());
    expect(metrics.rows).toHaveLength(1);
    expect(metrics.rows[0]!.synced['Person|toMarketo']).toBe(31);

    expect(failuresResponseSchema.parse((await call('acme/failures')).json())).toEqual({ failures: [] });
    const csv = await call('acme/failures?format=csv');
    expect(csv.type).toBe('text/csv; charset=utf-8');
    // The extension's own CSV (lib/export/failuresCsv.ts): its header and no rows.
    expect(csv.text.trim()).toBe(csvLines([[...FAILURE_CSV_COLUMNS]]));
  });

  it('Pause, Sync now and Resume act on the org’s schedule and jobs', async () => {
    const paused = stateResponseSchema.parse((await call('acme/pause', { method: 'POST' })).json());
    expect([paused.paused, paused.nextRunAt]).toEqual([true, null]);
    expect((await world.pool.query(`SELECT key FROM pgboss.schedule ORDER BY key`)).rows).toEqual([
      { key: 'other' },
    ]);
    expect(
      syncNowResponseSchema.parse((await call('acme/sync-now', { method: 'POST' })).json()),
    ).toMatchObject({
      status: 'refused',
      reason: 'paused',
    });
    const resumed = stateResponseSchema.parse((await call('acme/resume', { method: 'POST' })).json());
    expect(resumed.paused).toBe(false);
    expect((await call('acme/sync-now', { method: 'POST' })).json()).toEqual({ status: 'started' });
    await until(
      'the second cycle',
      async () => {
        const done = (await world.runs('acme')).filter((r) => r.outcome === 'Completed');
        return done.length >= 2 ? true : undefined;
      },
      60_000,
    );
  });
});
