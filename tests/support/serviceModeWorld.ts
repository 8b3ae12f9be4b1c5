// The service as npm run service runs it, for the extension's service-mode tests (browser and
// integration): a database
// of its own on the PostgreSQL of DATABASE_URL, the demo org on its own emulator (demo seed and
// settings, as `npm run service -- --demo` adds it), the status API in this process on a free
// loopback port, and one worker as a child process (`npm run service -- worker`).
import { resolve } from 'node:path';
import type { Emulator } from '../../emulator/index';
import { runNow } from '../../lib/service/orgCommands';
import { openOrgLog } from '../../lib/service/orgLog';
import { findOrg } from '../../lib/service/orgStore';
import { type StatusService, startStatusService } from '../../lib/service/statusService';
import { type ServiceWorld, startServiceWorld, until } from './serviceWorld';

export const ORG_ID = 'acme';
export const ORG_NAME = 'Acme (emulator)';

export interface ServiceModeWorld {
  world: ServiceWorld;
  emu: Emulator;
  api: StatusService;
  /** The org's status-API token, as add-org printed it. */
  token: string;
  /** Cycles the service's workers finished for the org (its run rows). */
  finishedRuns(): Promise<number>;
  /** Asks the service for a cycle (as `npm run service -- run acme` does) and waits for it to end. */
  runCycle(): Promise<void>;
  waitForRuns(count: number): Promise<void>;
  paused(): Promise<boolean | undefined>;
  /** Stops the status API alone (the service becomes unreachable); stop() does the rest. */
  stopApi(): Promise<void>;
  stop(): Promise<void>;
}

export async function startServiceModeWorld(): Promise<ServiceModeWorld> {
  const world = await startServiceWorld('svc_ext');
  // Secrets by reference (SF_TOKEN_ACME, MK_SECRET_ACME), as an operator would give them to the workers.
  const { emu, token } = await world.addEmulatedOrg(ORG_ID, {
    seed: 'demo',
    name: ORG_NAME,
    settingsFile: resolve(import.meta.dirname, '../../scripts/demo-settings.json'),
    // Hourly: the cycles of these tests are the ones they ask for.
    intervalMinutes: 60,
  });
  const api = await startStatusService({
    databaseUrl: world.database.url,
    host: '127.0.0.1',
    port: 0,
    openLog: openOrgLog,
  });
  world.startWorker();
  let apiStopped: Promise<void> | undefined;
  const stopApi = () => {
    apiStopped ??= api.stop();
    return apiStopped;
  };
  const finishedRuns = async () => (await world.runs(ORG_ID)).filter((r) => r.ended_at !== null).length;
  const waitForRuns = (count: number) =>
    until(
      `${count} finished cycles of ${ORG_ID}`,
      async () => ((await finishedRuns()) >= count ? true : undefined),
      150_000,
    ).then(() => undefined);
  return {
    world,
    emu,
    api,
    token,
    finishedRuns,
    async runCycle() {
      const before = await finishedRuns();
      await runNow(world.pool, world.boss, ORG_ID);
      await waitForRuns(before + 1);
    },
    waitForRuns,
    paused: async () => (await findOrg(world.pool, ORG_ID))?.paused,
    stopApi,
    async stop() {
      await stopApi();
      await world.stop();
    },
  };
}
