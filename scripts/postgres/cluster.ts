// A throwaway PostgreSQL cluster from a directory of server programs (Debian's, or the embedded
// ones: scripts/postgres/embedded.ts): initdb into a fresh temp dir, trust auth, listening only on
// 127.0.0.1 at a free port with its Unix socket inside the data dir (so it never collides with a
// system server's /var/run/postgresql), one database created; stop() shuts it down fast and
// removes the dir. Durability stays PostgreSQL's default (fsync on) unless the caller asks
// otherwise: the service's commit figures are measured on it (docs/postgres.md).
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freeLoopbackPort, isRunning, runProgram, waitForExit } from './processes';
import { serverUser } from './serverUser';

export interface ClusterOptions {
  /** Directory holding initdb, pg_ctl and postgres. */
  binDir: string;
  /** A fixed port: fails with PortBusyError when taken. Default: a free one, retried if lost. */
  port?: number;
  /** The database to create and put in the URL. Default 'sync'. */
  database?: string;
  /** fsync = off: faster commits, not crash-safe. Only when asked for (default on). */
  fsync?: boolean;
  /** Default 200: the tests' pools and pg-boss workers share one server. */
  maxConnections?: number;
  log?: (line: string) => void;
  /** Where the cluster's directory is made (default: the OS temp dir). */
  tempRoot?: string;
  /** Where the port comes from when none is fixed (tests force a collision with it). */
  pickPort?: () => Promise<number>;
}

export interface RunningPostgres {
  url: string;
  /** Parent directory of everything (data/, postgres.log, cluster.json); `stop --dir` takes it. */
  dir: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export class PortBusyError extends Error {}

const ATTEMPTS = 5;
const MARKER = 'cluster.json';

export async function startCluster(options: ClusterOptions): Promise<RunningPostgres> {
  const log = options.log ?? ((line: string) => console.error(line));
  const database = options.database ?? 'sync';
  const user = serverUser(log);
  const dir = mkdtempSync(join(options.tempRoot ?? tmpdir(), 'sss-pg-'));
  const data = join(dir, 'data');
  try {
    if (user) chownSync(dir, user.uid, user.gid);
    // The marker first: stopCluster removes only directories that carry it.
    writeFileSync(join(dir, MARKER), `${JSON.stringify({ binDir: options.binDir, data })}\n`);
    const init = await runProgram(
      join(options.binDir, 'initdb'),
      ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C'],
      user,
    );
    if (init.code !== 0) throw new Error(`initdb failed (exit ${init.code}):\n${init.output}`);
    // Existing files keep their owner (postgres) when rewritten by root.
    writeFileSync(join(data, 'pg_hba.conf'), 'local all all trust\nhost all all 127.0.0.1/32 trust\n');
    const settings = [
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${data}'`,
      `max_connections = ${options.maxConnections ?? 200}`,
      `fsync = ${options.fsync === false ? 'off' : 'on'}`,
    ];
    writeFileSync(
      join(data, 'postgresql.conf'),
      `${readFileSync(join(data, 'postgresql.conf'), 'utf8')}\n${settings.join('\n')}\n`,
    );
    const port = await startServer(options, dir, user, log);
    const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const url = `postgres://postgres@127.0.0.1:${port}/${database}`;
    await createDatabase(port, database);
    writeFileSync(join(dir, MARKER), `${JSON.stringify({ url, port, pid, binDir: options.binDir, data })}\n`);
    return { url, dir, port, pid, stop: () => stopCluster(dir) };
  } catch (error) {
    await stopCluster(dir).catch(() => rmSync(dir, { recursive: true, force: true }));
    throw error;
  }
}

async function startServer(
  options: ClusterOptions,
  dir: string,
  user: ReturnType<typeof serverUser>,
  log: (line: string) => void,
): Promise<number> {
  const pickPort = options.pickPort ?? freeLoopbackPort;
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await pickPort());
    const logFile = join(dir, 'postgres.log');
    const started = await runProgram(
      join(options.binDir, 'pg_ctl'),
      ['start', '-D', join(dir, 'data'), '-l', logFile, '-w', '-t', '60', '-o', `-p ${port}`],
      user,
    );
    if (started.code === 0) return port;
    const serverLog = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    if (!/Address already in use/.test(serverLog)) {
      throw new Error(
        `PostgreSQL did not start (pg_ctl exit ${started.code}):\n${started.output}\n${serverLog}`,
      );
    }
    if (options.port !== undefined) {
      throw new PortBusyError(`port ${port} on 127.0.0.1 is already in use: pick another, or omit the port`);
    }
    if (attempt === ATTEMPTS) throw new PortBusyError(`no free port after ${ATTEMPTS} tries (last ${port})`);
    log(`postgres: port ${port} was taken before the server bound it; trying another`);
  }
}

async function createDatabase(port: number, database: string): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/**
 * Fast shutdown (SIGINT to the postmaster: open transactions roll back, clients are disconnected)
 * and removal of the directory. Refuses a directory that startCluster did not make.
 */
export async function stopCluster(dir: string): Promise<void> {
  if (!existsSync(join(dir, MARKER))) {
    if (!existsSync(dir)) return;
    throw new Error(`${dir} is not a cluster started by scripts/postgres (no ${MARKER}): not removing it`);
  }
  const pidFile = join(dir, 'data', 'postmaster.pid');
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (pid > 0 && isRunning(pid)) {
      process.kill(pid, 'SIGINT');
      if (!(await waitForExit(pid, 30_000))) {
        // Immediate shutdown: the data is thrown away next anyway.
        process.kill(pid, 'SIGQUIT');
        await waitForExit(pid, 5_000);
      }
    }
  }
  rmSync(dir, { recursive: true, force: true });
}
