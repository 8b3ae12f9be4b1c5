// `npm run service -- --demo`: the service on one machine with nothing to set up — the emulator
// (demo seed, as `npm run demo` uses), PostgreSQL (DATABASE_URL, else a throwaway embedded one),
// the demo org with the demo settings (scripts/demo-settings.json), a first cycle at once, then a
// cycle every minute on two workers. Prints where to look; Ctrl-C stops everything.
import { resolve } from 'node:path';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { startEmulator } from '../../emulator/index';
import { addOrg } from '../../lib/service/addOrg';
import { bossOptions, DEFAULT_TIMING, ensureCycleQueue } from '../../lib/service/cycleQueue';
import { migrateService } from '../../lib/service/migrations';
import { runNow } from '../../lib/service/orgCommands';
import { demoPostgres } from './demoPostgres';
import { runSupervisor } from './supervisor';

const SECRETS = { SERVICE_DEMO_SALESFORCE_TOKEN: '', SERVICE_DEMO_MARKETO_SECRET: '' };

export async function runDemo(options: { status: { host: string; port: number } }): Promise<number> {
  const say = (line: string) => process.stdout.write(`demo: ${line}\n`);
  const emulator = await startEmulator({ seed: 'demo' });
  const postgres = await demoPostgres();
  const env = {
    SERVICE_DEMO_SALESFORCE_TOKEN: emulator.info.salesforce.sid,
    SERVICE_DEMO_MARKETO_SECRET: emulator.info.marketo.clientSecret,
  } satisfies typeof SECRETS;
  Object.assign(process.env, env);
  // A new org per run: the emulator listens on new ports each time.
  const orgId = `demo-${new URL(emulator.info.salesforce.url).port}`;
  const pool = new pg.Pool({ connectionString: postgres.url, max: 2 });
  const boss = new PgBoss(bossOptions(postgres.url, DEFAULT_TIMING, 'admin'));
  let token: string;
  try {
    await migrateService(pool);
    await boss.start();
    await ensureCycleQueue(boss, DEFAULT_TIMING);
    token = await addOrg(pool, boss, {
      id: orgId,
      name: 'Demo org (emulator)',
      salesforceUrl: emulator.info.salesforce.url,
      salesforceToken: { env: 'SERVICE_DEMO_SALESFORCE_TOKEN' },
      marketoUrl: emulator.info.marketo.url,
      marketoClientId: emulator.info.marketo.clientId,
      marketoSecret: { env: 'SERVICE_DEMO_MARKETO_SECRET' },
      settingsFile: resolve(import.meta.dirname, '../demo-settings.json'),
      intervalMinutes: 1,
    });
    await runNow(pool, boss, orgId);
  } finally {
    await boss.stop({ graceful: false }).catch(() => {});
    await pool.end();
  }
  try {
    return await runSupervisor({
      databaseUrl: postgres.url,
      workers: 2,
      status: options.status,
      env,
      onReady: (statusUrl) => {
        const base = `${statusUrl}/v1/orgs/${orgId}`;
        say(`emulator: Salesforce ${emulator.info.salesforce.url}, Marketo ${emulator.info.marketo.url}`);
        say(`PostgreSQL: ${postgres.url}${postgres.embedded ? ' (throwaway, removed at exit)' : ''}`);
        say(`org ${orgId}: a cycle now, then every minute on 2 workers`);
        say(`status: curl -H 'Authorization: Bearer ${token}' ${base}/state`);
        say(`steps:  curl -H 'Authorization: Bearer ${token}' '${base}/steps?limit=20'`);
        say(`orgs:   DATABASE_URL=${postgres.url} npm run service -- list-orgs`);
        say('Ctrl-C stops the workers (each finishes its batch), the emulator and PostgreSQL');
      },
    });
  } finally {
    await emulator.stop();
    await postgres.stop();
  }
}
