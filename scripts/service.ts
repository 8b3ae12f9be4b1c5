// `npm run service`: the sync engine as a 24/7 service on PostgreSQL with pg-boss (docs/service.md).
//   npm run service [-- --workers N] [--status-host H] [--status-port P]   N worker processes + the status API
//   npm run service -- worker                                             one worker (what a container runs)
//   npm run service -- --demo                                             emulator + PostgreSQL + demo org + 2 workers
//   npm run service -- add-org --id ID --salesforce-url URL (--salesforce-token-env NAME | --salesforce-token-file PATH)
//        --marketo-url URL --marketo-client-id ID (--marketo-secret-env NAME | --marketo-secret-file PATH)
//        [--name NAME] [--settings FILE] [--interval-minutes N]        prints the org's status-API token once
//        [(--salesforce-refresh-token-env NAME | --salesforce-refresh-token-file PATH) --salesforce-client-id ID
//         [--salesforce-login-url URL]]                                  OAuth refresh of a refused access token
//   npm run service -- list-orgs | pause ORG | resume ORG | run ORG
//   npm run service -- set-settings ORG --settings FILE                   the org's settings (and interval) from now on
// PostgreSQL from DATABASE_URL. Bad input: a message naming the problem and exit status 2; nothing written.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { AdminInputError } from '../lib/service/addOrg';
import { runAdminCommand } from './service/admin';
import { runDemo } from './service/demo';
import { runSupervisor } from './service/supervisor';
import { runWorkerProcess } from './service/workerProcess';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    demo: { type: 'boolean', default: false },
    workers: { type: 'string', default: '2' },
    'status-host': { type: 'string', default: '127.0.0.1' },
    'status-port': { type: 'string', default: '8787' },
    id: { type: 'string' },
    name: { type: 'string' },
    'salesforce-url': { type: 'string' },
    'salesforce-token-env': { type: 'string' },
    'salesforce-token-file': { type: 'string' },
    'salesforce-refresh-token-env': { type: 'string' },
    'salesforce-refresh-token-file': { type: 'string' },
    'salesforce-client-id': { type: 'string' },
    'salesforce-login-url': { type: 'string' },
    'marketo-url': { type: 'string' },
    'marketo-client-id': { type: 'string' },
    'marketo-secret-env': { type: 'string' },
    'marketo-secret-file': { type: 'string' },
    settings: { type: 'string' },
    'interval-minutes': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

const databaseUrl = () => {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new AdminInputError('DATABASE_URL is not set (postgres://user:password@host:port/database)');
  return url;
};

const count = (name: string, value: string, max: number) => {
  const parsed = z.coerce.number().int().min(0).max(max).safeParse(value);
  if (!parsed.success) throw new AdminInputError(`--${name} must be a whole number from 0 to ${max}`);
  return parsed.data;
};

async function main(): Promise<number> {
  const [command, ...rest] = positionals;
  const status = { host: values['status-host'], port: count('status-port', values['status-port'], 65535) };
  if (values.demo) return runDemo({ status });
  if (command === undefined)
    return runSupervisor({
      databaseUrl: databaseUrl(),
      workers: count('workers', values.workers, 64),
      status,
    });
  if (command === 'worker') return runWorkerProcess(databaseUrl());
  return runAdminCommand(databaseUrl(), command, rest, values);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const known = error instanceof AdminInputError;
    process.stderr.write(`service: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(known ? 2 : 1);
  },
);
