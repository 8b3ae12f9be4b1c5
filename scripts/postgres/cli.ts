// `npm run postgres -- start [--embedded | --cluster] [--port N] [--database NAME] [--no-fsync]`
// starts a throwaway PostgreSQL that outlives this command and prints, on stdout and nothing else,
//   DATABASE_URL=postgres://postgres@127.0.0.1:PORT/NAME
//   POSTGRES_DIR=/tmp/sss-pg-…      (give it to stop)
//   POSTGRES_PID=…
// `npm run postgres -- stop --dir DIR` shuts it down and removes DIR. Progress goes to stderr.
// CI (.ci/run) uses exactly these two commands; docs/postgres.md.
import { parseArgs } from 'node:util';
import { stopCluster } from './cluster';
import { type Preference, startPostgres } from './index';

const usage =
  'usage: npm run postgres -- start [--embedded | --cluster] [--port N] [--database NAME] [--no-fsync]\n' +
  '       npm run postgres -- stop --dir DIR';

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      embedded: { type: 'boolean' },
      cluster: { type: 'boolean' },
      port: { type: 'string' },
      database: { type: 'string' },
      'no-fsync': { type: 'boolean' },
      dir: { type: 'string' },
    },
  });
  const command = positionals[0];
  if (command === 'stop') {
    if (!values.dir) throw new Error(`stop needs --dir DIR (the POSTGRES_DIR that start printed)\n${usage}`);
    await stopCluster(values.dir);
    console.error(`postgres: stopped; removed ${values.dir}`);
    return 0;
  }
  if (command !== 'start' || positionals.length > 1) throw new Error(usage);
  if (values.embedded && values.cluster) throw new Error('choose one of --embedded and --cluster');
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new Error(`--port is "${values.port}": give a port number from 1 to 65535`);
  }
  const prefer: Preference | undefined = values.embedded
    ? 'embedded'
    : values.cluster
      ? 'cluster'
      : undefined;
  const server = await startPostgres({
    prefer,
    port,
    database: values.database,
    fsync: !values['no-fsync'],
    ignoreDatabaseUrl: true,
  });
  console.log(`DATABASE_URL=${server.url}`);
  console.log(`POSTGRES_DIR=${server.dir}`);
  console.log(`POSTGRES_PID=${server.pid}`);
  console.error(
    `postgres: ${server.description}, ${server.kind}, fsync ${values['no-fsync'] ? 'OFF' : 'on'}, ready in ${server.startMs} ms; ` +
      `stop it with: npm run postgres -- stop --dir ${server.dir}`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`postgres: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
  },
);
