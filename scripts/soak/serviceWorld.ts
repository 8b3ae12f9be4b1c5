// The soak's world with the service running the cycles (`npm run soak -- --service`): the same
// emulator, seed, settings and user actions as the in-process world (world.ts), but the org is
// added to the service with the admin code (add-org: connections, secret references, its settings
// in the options page's export format), its log is the org's PostgreSQL log, and its cycles are
// pg-boss jobs run by worker PROCESSES (serviceCycle.ts). The workers' secrets are environment
// variables of their processes. Time is the in-process soak's simulated time, shared with the
// workers through a file (sharedClock.ts). The world's worker stops map onto the service's: a kill
// becomes SIGKILL of the worker process, a budget stop (a cycle cut short at a batch boundary)
// SIGTERM; a storage error stays with the in-process soak (PostgreSQL's own faults are not
// injected here).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { mulberry32 } from '../../emulator/rng';
import { addOrg } from '../../lib/service/addOrg';
import { bossOptions, DEFAULT_TIMING, ensureCycleQueue } from '../../lib/service/cycleQueue';
import { migrateService } from '../../lib/service/migrations';
import { setSettings } from '../../lib/service/orgCommands';
import { openOrgLog } from '../../lib/service/orgLog';
import { findOrg } from '../../lib/service/orgStore';
import { settingsToExportJson } from '../../lib/settings/transfer';
import { freshDatabase } from '../postgres/freshDatabase';
import { startPostgres } from '../postgres/index';
import { runServiceCycle } from './serviceCycle';
import { startSoakWorkers } from './serviceWorkers';
import { createSharedClock } from './sharedClock';
import {
  authorizeSyncUser,
  EPOCH,
  REQUEST_TIMEOUT_MS,
  type SoakWorld,
  soakSettings,
  startSoakEmulator,
  type WorldOptions,
} from './world';

export const SOAK_ORG = 'soak';

export interface ServiceWorldOptions extends WorldOptions {
  workers: number;
  /** Leaves the run's database for a look afterwards (with DATABASE_URL; a throwaway server goes). */
  keepDatabase?: boolean;
  log?: (line: string) => void;
}

export interface ServiceSoakWorld extends SoakWorld {
  /** Worker processes stopped by the soak, per signal. */
  stops: { SIGKILL: number; SIGTERM: number };
  /** Workers that ended without being asked to. */
  problems(): string[];
  database: string;
}

export async function startServiceSoakWorld(options: ServiceWorldOptions): Promise<ServiceSoakWorld> {
  const log = options.log ?? (() => {});
  const cleanup: (() => Promise<unknown> | unknown)[] = [];
  const stopAll = async () => {
    for (const step of cleanup.reverse()) await Promise.resolve(step()).catch(() => {});
  };
  try {
    const postgres = await startPostgres({ log });
    cleanup.push(() => postgres.stop());
    const database = await freshDatabase(`soak_${options.rngSeed ?? 1}`, postgres.url);
    if (options.keepDatabase) process.stderr.write(`soak: the run's database is kept: ${database.url}\n`);
    else cleanup.push(() => database.drop());
    log(`PostgreSQL: ${postgres.description}, database ${database.name}`);
    const dir = mkdtempSync(join(tmpdir(), 'soak-service-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const clock = createSharedClock(join(dir, 'clock'), EPOCH);
    const emu = await startSoakEmulator(options, clock.now);
    cleanup.push(() => emu.stop());
    const tokens = await authorizeSyncUser(emu, clock);
    const secrets = {
      SOAK_SF_TOKEN: tokens.accessToken,
      SOAK_SF_REFRESH: tokens.refreshToken ?? '',
      SOAK_MK_SECRET: emu.info.marketo.clientSecret,
    };
    Object.assign(process.env, secrets); // add-org checks that each reference resolves here
    const pool = new pg.Pool({ connectionString: database.url, max: 4 });
    cleanup.push(() => pool.end());
    await migrateService(pool);
    const boss = new PgBoss(bossOptions(database.url, DEFAULT_TIMING, 'admin'));
    await boss.start();
    cleanup.push(() => boss.stop({ graceful: false }));
    await ensureCycleQueue(boss, DEFAULT_TIMING);
    const settingsFile = join(dir, 'settings.json');
    writeFileSync(settingsFile, settingsToExportJson(soakSettings(options)));
    await addOrg(pool, boss, {
      id: SOAK_ORG,
      name: `Soak (seed ${options.rngSeed ?? 1})`,
      salesforceUrl: tokens.instanceUrl,
      salesforceToken: { env: 'SOAK_SF_TOKEN' },
      salesforceRefresh: {
        token: { env: 'SOAK_SF_REFRESH' },
        clientId: emu.info.salesforce.clientId,
        loginUrl: emu.info.salesforce.url,
      },
      marketoUrl: emu.info.marketo.url,
      marketoClientId: emu.info.marketo.clientId,
      marketoSecret: { env: 'SOAK_MK_SECRET' },
      settingsFile,
      // The soak queues its own cycles; an hourly cron tick may still come (a cycle more).
      intervalMinutes: 60,
    });
    // What the workers sync with: the settings as the service stored and reads them. The soak's
    // actions switch objects on as they go (Tasks and Events, program pairs, email templates), as
    // an admin would: the changed settings are stored (set-settings) before the next cycle.
    const settings = (await findOrg(pool, SOAK_ORG))!.settings;
    let stored = JSON.stringify(settings);
    const db = await openOrgLog(pool, SOAK_ORG);
    const workers = startSoakWorkers(
      options.workers,
      {
        ...secrets,
        DATABASE_URL: database.url,
        SOAK_CLOCK_FILE: clock.file,
        SOAK_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      },
      log,
    );
    cleanup.push(() => workers.stopAll());
    const deps = {
      orgId: SOAK_ORG,
      pool,
      boss,
      db,
      workers,
      rng: mulberry32((options.rngSeed ?? 1) ^ 0x5eed),
      log,
    };
    const stops = { SIGKILL: 0, SIGTERM: 0 };
    let lastWallMs = 3_000;
    return {
      emu,
      clock,
      settings,
      db,
      stops,
      database: database.name,
      problems: () => workers.problems,
      async cycle(stop) {
        if (JSON.stringify(settings) !== stored) {
          await setSettings(pool, boss, SOAK_ORG, settings);
          stored = JSON.stringify(settings);
          log('settings changed by the actions: stored for the workers (set-settings)');
        }
        const signal = stop?.kind === 'kill' ? 'SIGKILL' : stop?.kind === 'budget' ? 'SIGTERM' : undefined;
        const outcome = await runServiceCycle(deps, signal ? { signal, withinMs: lastWallMs } : undefined);
        if (outcome.stopped) {
          stops[outcome.stopped.signal] += 1;
          log(
            `${outcome.stopped.signal} to ${outcome.stopped.worker} ${outcome.stopped.afterMs} ms into its run; idle again after ${outcome.wallMs} ms`,
          );
        } else lastWallMs = Math.max(200, outcome.wallMs);
        // A killed worker's cycle is the in-process soak's "worker killed"; what resumed it ran too.
        return outcome.stopped?.signal === 'SIGKILL' ? undefined : outcome.report;
      },
      stopFired: () => false,
      failedTable: () => undefined,
      advance: (ms) => clock.advance(ms),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
