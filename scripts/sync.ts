// `npm run sync`: the sync engine headless in Node, with its log in fake-indexeddb (gone when the
// process ends: each run starts with a first sync), or with --database-url URL in
// PostgreSQL, where it persists and the next run goes on from its cursors (--log NAME picks the
// log; docs/log-port.md).
//   npm run sync -- --emulator '<the JSON line `npm run emulator` prints>' [--cycles N] [--json]
//   npm run sync -- --salesforce-url URL --salesforce-token TOKEN \
//        --marketo-url URL --marketo-client-id ID --marketo-client-secret SECRET [--cycles N] [--json]
// Prints each cycle's steps as a table, or with --json one JSON document per cycle. With
// --reconcile every cycle also compares both sides (Reconcile), due or not; without it, Reconcile
// runs only when due. A check leaves records changed during its own cycle to the next check (the
// normal path is still bringing those), so after a first sync use --cycles 2 --reconcile; the
// cycle after a check repairs what it found drifted.
// --settings FILE runs with the settings an admin exported from the options page (Export settings),
// validated like an import: a file with any bad value is refused whole, naming each field.
// Exit status 2 when the last Reconcile found drifted records (scripts can test convergence).
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { z } from 'zod';
import { openPostgresLog } from '../lib/db/pg';
import { unwatchedSyncLog } from '../lib/db/unwatchedLog';
import { ApiCallCounter, systemClock } from '../lib/http/ports';
import { createMarketoClient } from '../lib/marketo';
import { fixedSession } from '../lib/salesforce/auth/session';
import { SalesforceClient } from '../lib/salesforce/client';
import { describeIssues } from '../lib/settings/issues';
import { defaultSettings, type SyncSettings } from '../lib/settings/schema';
import { settingsFromExportJson } from '../lib/settings/transfer';
import { type CycleReport, createSyncEngine } from '../lib/sync';

const emulatorLine = z.object({
  salesforce: z.object({ url: z.url(), sid: z.string().min(1) }),
  marketo: z.object({ url: z.url(), clientId: z.string().min(1), clientSecret: z.string().min(1) }),
});

const { values } = parseArgs({
  options: {
    emulator: { type: 'string' },
    'salesforce-url': { type: 'string' },
    'salesforce-token': { type: 'string' },
    'marketo-url': { type: 'string' },
    'marketo-client-id': { type: 'string' },
    'marketo-client-secret': { type: 'string' },
    cycles: { type: 'string', default: '1' },
    'interval-seconds': { type: 'string', default: '0' },
    json: { type: 'boolean', default: false },
    reconcile: { type: 'boolean', default: false },
    /** A settings file exported from the options page (Export settings), validated like an import. */
    settings: { type: 'string' },
    'database-url': { type: 'string' },
    log: { type: 'string', default: 'sync-cli' },
  },
});

/** The settings to run with: the exported file's (refused whole, naming each bad field), else defaults. */
function settingsToUse(): SyncSettings {
  if (!values.settings) return defaultSettings();
  const parsed = settingsFromExportJson(readFileSync(values.settings, 'utf8'));
  if (!parsed.ok) {
    throw new Error(`--settings ${values.settings} was refused: ${describeIssues(parsed.errors)}`);
  }
  return parsed.value;
}

function connection() {
  if (values.emulator) {
    const info = emulatorLine.parse(JSON.parse(values.emulator));
    return {
      salesforce: { url: info.salesforce.url, token: info.salesforce.sid },
      marketo: {
        url: info.marketo.url,
        clientId: info.marketo.clientId,
        clientSecret: info.marketo.clientSecret,
      },
    };
  }
  const need = (name: keyof typeof values) => {
    const value = values[name];
    if (typeof value !== 'string' || !value) throw new Error(`--${name} is required (or pass --emulator)`);
    return value;
  };
  return {
    salesforce: { url: need('salesforce-url'), token: need('salesforce-token') },
    marketo: {
      url: need('marketo-url'),
      clientId: need('marketo-client-id'),
      clientSecret: need('marketo-client-secret'),
    },
  };
}

const COLUMNS = [
  'operation',
  'objectType',
  'status',
  'new',
  'updated',
  'deleted',
  'failed',
  'skipped',
  'excluded',
  'drifted',
] as const;

function stepsOf(report: CycleReport) {
  return report.steps.map((s) => Object.fromEntries(COLUMNS.map((c) => [c, s[c]])));
}

/** --json: a custom object's steps also say which object (several share "Custom Objects"). */
function jsonStepsOf(report: CycleReport) {
  const rows = stepsOf(report);
  return report.steps.map((s, i) => ({ ...rows[i], ...(s.sobject && { sobject: s.sobject }) }));
}

function table(report: CycleReport): string {
  const rows = stepsOf(report).map((r) => COLUMNS.map((c) => String(r[c])));
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  const c = report.cycle!;
  const head = `cycle ${c.id} ${c.status} (${c.trigger}) api calls: salesforce ${c.apiCalls.salesforce}, marketo ${c.apiCalls.marketo}${c.error ? ` — ${c.error}` : ''}`;
  return [head, line(COLUMNS), ...rows.map(line)].join('\n');
}

async function main() {
  const conn = connection();
  const cycles = z.coerce.number().int().min(1).parse(values.cycles);
  const intervalMs = z.coerce.number().min(0).parse(values['interval-seconds']) * 1000;
  const salesforce = new SalesforceClient({
    fetch: (input, init) => fetch(input, init),
    counter: new ApiCallCounter(),
    tokens: fixedSession({ instanceUrl: conn.salesforce.url, accessToken: conn.salesforce.token }),
    clientName: 'SalesforceSyncStatusCli',
  });
  const marketo = createMarketoClient({
    fetch: (input, init) => fetch(input, init),
    credentials: () => ({
      endpoint: `${conn.marketo.url.replace(/\/+$/, '')}/rest`,
      clientId: conn.marketo.clientId,
      clientSecret: conn.marketo.clientSecret,
    }),
  });
  const settings = settingsToUse();
  // Only when asked: DATABASE_URL in the environment (CI, the service) must not turn a run that
  // expects a fresh log into one that continues an old one.
  const databaseUrl = values['database-url'];
  const pool = databaseUrl ? new Pool({ connectionString: databaseUrl, max: 4 }) : undefined;
  const db = pool ? await openPostgresLog(pool, values.log) : unwatchedSyncLog(values.log);
  const engine = createSyncEngine({
    db,
    salesforce,
    marketo,
    settings: async () => settings,
    clock: systemClock,
    owner: `cli-${process.pid}`,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  let drifted = 0;
  for (let i = 0; i < cycles; i++) {
    if (i > 0 && intervalMs) await systemClock.sleep(intervalMs);
    const report = await engine.runCycle({ trigger: 'manual', reconcile: values.reconcile });
    const checks = report.steps.filter((s) => s.operation === 'Reconcile');
    if (checks.length) drifted = checks.reduce((n, s) => n + s.drifted, 0);
    if (!report.cycle) {
      process.stderr.write(`cycle skipped: ${report.skippedReason}\n`);
      continue;
    }
    process.stdout.write(
      values.json
        ? `${JSON.stringify({ cycle: report.cycle, steps: jsonStepsOf(report) })}\n`
        : `${table(report)}\n\n`,
    );
  }
  await pool?.end();
  if (drifted > 0) {
    process.stderr.write(
      `sync: the last Reconcile found ${drifted} drifted records (the next cycle repairs them)\n`,
    );
    process.exitCode = 2;
  }
}

main().catch((error) => {
  process.stderr.write(`sync: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
