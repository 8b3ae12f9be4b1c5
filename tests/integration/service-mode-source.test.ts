// The extension's log source of service mode (lib/serviceMode/serviceSource.ts) against the real
// service: PostgreSQL (DATABASE_URL), the demo org on its emulator, the status API and a worker
// process that ran two cycles (the second with a failure). What the pages get through it is what
// the browser's own code reads from the same log (the PostgreSQL log, opened here): the step
// table's window, read over several API pages, an opened step's records, the metrics, a record's
// panel; the errors CSV built from the failures' pages is the service's own CSV; Sync now and Pause
// reach the service.
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordOf } from '../../lib/db/metricKeys';
import { readDashboardMetrics } from '../../lib/db/metrics';
import { loadStepRecords } from '../../lib/db/stepRecords';
import { readStepsWindow } from '../../lib/db/stepsWindow';
import type { ExportChannelMessage } from '../../lib/export/exportChannel';
import { createServiceClient } from '../../lib/serviceMode/client';
import type { LogSource } from '../../lib/serviceMode/logSource';
import { createServiceSource } from '../../lib/serviceMode/serviceSource';
import { ORG_ID, ORG_NAME, type ServiceModeWorld, startServiceModeWorld } from '../support/serviceModeWorld';

let svc: ServiceModeWorld;
let source: LogSource;
const posted: ExportChannelMessage[] = [];
const states: string[] = [];

type Row = Record<string, unknown>;
const leads = () => [...svc.emu.salesforce.store.table('Lead').records.values()] as Row[];
const personOf = (sfId: string) =>
  (svc.emu.marketo.snapshot().leads as Row[]).find((p) => p.sfdcLeadIdCustom === sfId);
let failing: string;

beforeAll(async () => {
  svc = await startServiceModeWorld();
  await svc.runCycle();
  // The demo seed's validation rule refuses any update of a lead whose State is a two-letter code.
  failing = leads().find(
    (r) => typeof r.State === 'string' && r.State.length === 2 && personOf(r.Id as string),
  )!.Id as string;
  svc.emu.control.mkUpdateLead({ id: personOf(failing)!.id as number, fields: { title: 'VP Sales' } });
  await svc.runCycle();
  const client = createServiceClient({
    url: svc.api.url,
    orgId: ORG_ID,
    token: svc.token,
    fetch: (input, init) => fetch(input, init),
  });
  source = createServiceSource(
    client,
    { url: svc.api.url, orgId: ORG_ID },
    {
      onState: (state) => states.push(state.org.name),
      openChannel: () => ({ post: (message) => posted.push(message), close: () => {} }),
      // Small pages, so that a window and the CSV each take several calls.
      pages: { steps: 7, failures: 1 },
    },
  );
}, 240_000);
afterAll(async () => svc?.stop(), 60_000);

const log = () => svc.world.log(ORG_ID);

describe('service mode log source', () => {
  it('the state: the service’s, marked with where it runs', async () => {
    const state = await source.state();
    expect(state.lastCycle).toMatchObject({ id: 2, status: 'Completed' });
    expect(state.service).toMatchObject({ url: svc.api.url, orgId: ORG_ID, orgName: ORG_NAME });
    expect(state.service?.note).toBe(
      `Cycles run in the service at ${svc.api.url} (org ${ORG_NAME}): this browser runs none.`,
    );
    expect(states.at(-1)).toBe(ORG_NAME);
  });

  it('the step table’s window, read over several pages, is the log’s, with its cycles', async () => {
    for (const [sort, limit] of [
      ['startedAt', 20],
      ['endedAt', 45],
      ['startedAt', 1000],
    ] as const) {
      const query = { filter: {}, sort, limit, grouped: true };
      const mine = await readStepsWindow(await log(), query);
      const theirs = await source.stepsWindow(query);
      expect(theirs.rows.map((r) => r.id)).toEqual(mine.rows.map((r) => r.id));
      expect(theirs.rows.map((r) => [r.status, r.new, r.updated, r.failed, r.endedAt])).toEqual(
        mine.rows.map((r) => [r.status, r.new, r.updated, r.failed, r.endedAt]),
      );
      expect(theirs.cycles.map((c) => c.id).sort()).toEqual(mine.cycles.map((c) => c.id).sort());
      expect(Boolean(theirs.next)).toBe(Boolean(mine.next));
      expect(theirs.logEmpty).toBe(false);
    }
    const none = await source.stepsWindow({
      filter: { statuses: ['Purged'] },
      sort: 'startedAt',
      limit: 20,
      grouped: false,
    });
    expect(none).toMatchObject({ rows: [], cycles: [], logEmpty: false });
  });

  it('an opened step’s records and the metrics are the log’s', async () => {
    const step = (await (await log()).steps.toArray()).find((s) => s.cycleId === 2 && s.failed > 0)!;
    const records = await source.stepRecords(step.id, 100);
    expect(records.failed.map((r) => r.sfId)).toEqual([failing]);
    const mine = await loadStepRecords(await log(), step.id, 100);
    expect(records.failed.map((r) => r.error)).toEqual(mine.failed.map((r) => r.error));
    expect(records.skipped.length).toBe(mine.skipped.length);

    const from = Date.now() - 86_400_000;
    const metrics = await source.metrics(from);
    const expected = await readDashboardMetrics(await log(), from);
    expect(metrics.rows).toEqual(expected.rows.map(recordOf));
    expect(new Map(metrics.fieldTypes)).toEqual(expected.fieldTypes);
  });

  it('a record’s panel: the failing lead', async () => {
    const answer = await source.recordStatus({ objectType: 'Lead', recordId: failing });
    expect(answer).toMatchObject({ recordId: failing, state: 'failed' });
    expect('lastError' in answer && answer.lastError?.code).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
  });

  it('the errors CSV, built from the failures one page at a time, is the service’s own CSV', async () => {
    const { rows } = await source.exportSyncErrors({
      channel: 'sync-errors-export:00000000-0000-0000-0000-000000000000',
      filter: {},
      sort: 'startedAt',
    });
    const done = posted.at(-1)!;
    expect(done.kind).toBe('done');
    if (done.kind !== 'done') return;
    expect(posted.filter((m) => m.kind === 'progress').length).toBeGreaterThanOrEqual(rows);
    const mine = await done.blob!.text();
    const response = await fetch(`${svc.api.url}/v1/orgs/${ORG_ID}/failures?format=csv`, {
      headers: { authorization: `Bearer ${svc.token}` },
    });
    const theirs = await response.text();
    const parse = (text: string) =>
      Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
    expect(parse(mine)).toEqual(parse(theirs));
    expect(parse(mine).length - 1).toBe(rows);
    expect(mine).toContain(failing);
  });

  it('Sync now and Pause reach the service', async () => {
    expect(['started', 'queued']).toContain((await source.syncNow()).status);
    await svc.waitForRuns(3);
    const paused = await source.setPaused(true);
    expect([paused.paused, paused.nextRunAt, await svc.paused()]).toEqual([true, null, true]);
    expect(await source.syncNow()).toMatchObject({ status: 'refused', reason: 'paused' });
    expect((await source.setPaused(false)).paused).toBe(false);
    expect(await svc.paused()).toBe(false);
  });
});
