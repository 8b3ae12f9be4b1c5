// The admin commands of `npm run service` (add-org, list-orgs, pause, resume, run): parse the
// command line, then call lib/service with a pool and an admin pg-boss (no cron, no supervision).
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { type AddOrgInput, AdminInputError, addOrg, settingsOf } from '../../lib/service/addOrg';
import { bossOptions, DEFAULT_TIMING, ensureCycleQueue } from '../../lib/service/cycleQueue';
import { migrateService } from '../../lib/service/migrations';
import { listOrgSummaries, runNow, setPaused, setSettings } from '../../lib/service/orgCommands';
import type { SecretRef } from '../../lib/service/orgConfig';

type Flags = Record<string, string | boolean | undefined>;

function secretRef(flags: Flags, base: string): SecretRef {
  const env = flags[`${base}-env`];
  const file = flags[`${base}-file`];
  if (typeof env === 'string' && typeof file === 'string')
    throw new AdminInputError(`give --${base}-env or --${base}-file, not both`);
  if (typeof env === 'string') return { env };
  if (typeof file === 'string') return { file };
  throw new AdminInputError(`--${base}-env NAME or --${base}-file PATH is required`);
}

/** The refresh credentials, when a refresh token is given (the client id then required). */
function salesforceRefresh(flags: Flags): AddOrgInput['salesforceRefresh'] {
  const base = 'salesforce-refresh-token';
  if (flags[`${base}-env`] === undefined && flags[`${base}-file`] === undefined) {
    for (const alone of ['salesforce-client-id', 'salesforce-login-url'])
      if (flags[alone] !== undefined)
        throw new AdminInputError(`--${alone} goes with --${base}-env or --${base}-file`);
    return undefined;
  }
  const loginUrl = flags['salesforce-login-url'];
  return {
    token: secretRef(flags, base),
    clientId: required(flags, 'salesforce-client-id'),
    loginUrl: typeof loginUrl === 'string' ? loginUrl : undefined,
  };
}

function required(flags: Flags, name: string): string {
  const value = flags[name];
  if (typeof value !== 'string' || value === '') throw new AdminInputError(`--${name} is required`);
  return value;
}

function addOrgInput(flags: Flags): AddOrgInput {
  const interval = flags['interval-minutes'];
  const minutes = typeof interval === 'string' ? Number(interval) : undefined;
  if (minutes !== undefined && !Number.isInteger(minutes))
    throw new AdminInputError('--interval-minutes must be a whole number of minutes (1–60)');
  return {
    id: required(flags, 'id'),
    name: typeof flags.name === 'string' ? flags.name : undefined,
    salesforceUrl: required(flags, 'salesforce-url'),
    salesforceToken: secretRef(flags, 'salesforce-token'),
    salesforceRefresh: salesforceRefresh(flags),
    marketoUrl: required(flags, 'marketo-url'),
    marketoClientId: required(flags, 'marketo-client-id'),
    marketoSecret: secretRef(flags, 'marketo-secret'),
    settingsFile: typeof flags.settings === 'string' ? flags.settings : undefined,
    intervalMinutes: minutes,
  };
}

const COMMANDS = ['add-org', 'list-orgs', 'pause', 'resume', 'run', 'set-settings'];

export async function runAdminCommand(
  databaseUrl: string,
  command: string,
  args: string[],
  flags: Flags,
): Promise<number> {
  if (!COMMANDS.includes(command))
    throw new AdminInputError(`unknown command ${command} (commands: worker, ${COMMANDS.join(', ')})`);
  const orgArg = () => {
    if (args.length !== 1) throw new AdminInputError(`${command} takes one org id: ${command} ORG`);
    return args[0]!;
  };
  // Input that needs no database is checked before connecting.
  const input = command === 'add-org' ? addOrgInput(flags) : undefined;
  const org = ['pause', 'resume', 'run', 'set-settings'].includes(command) ? orgArg() : undefined;
  const settings = command === 'set-settings' ? settingsOf(required(flags, 'settings')) : undefined;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2, application_name: 'sync-service-admin' });
  const boss = new PgBoss(bossOptions(databaseUrl, DEFAULT_TIMING, 'admin'));
  try {
    await migrateService(pool);
    await boss.start();
    await ensureCycleQueue(boss, DEFAULT_TIMING);
    if (input) {
      const token = await addOrg(pool, boss, input);
      process.stdout.write(`added org ${input.id}; its status-API token (shown once, keep it):\n${token}\n`);
    } else if (settings) {
      await setSettings(pool, boss, org!, settings);
      process.stdout.write(`${org}: new settings, used from its next cycle on\n`);
    } else if (command === 'list-orgs') {
      const orgs = await listOrgSummaries(pool);
      if (flags.json) process.stdout.write(`${JSON.stringify(orgs)}\n`);
      else
        for (const o of orgs)
          process.stdout.write(
            `${o.id}\t${o.paused ? 'paused' : `every ${o.intervalMinutes} min`}\t${o.salesforceUrl}\t${o.marketoUrl}\t${
              o.lastRun ? `last run ${o.lastRun.startedAt} ${o.lastRun.outcome ?? 'running'}` : 'never run'
            }\n`,
          );
    } else if (command === 'run') {
      const result = await runNow(pool, boss, org!);
      if (result.status === 'refused') throw new AdminInputError(result.message);
      process.stdout.write(
        result.status === 'started' ? `cycle of ${org} queued\n` : `a cycle of ${org} is already waiting\n`,
      );
    } else {
      await setPaused(pool, boss, org!, command === 'pause');
      process.stdout.write(`${org} ${command === 'pause' ? 'paused' : 'resumed'}\n`);
    }
    return 0;
  } finally {
    await boss.stop({ graceful: false }).catch(() => {});
    await pool.end();
  }
}
