// How the tests, CI and the service get PostgreSQL (scripts/postgres, docs/postgres.md): real
// servers on loopback, started and stopped here. The embedded one must serve what the service
// needs of a real server — several sessions at once, advisory locks that exclude another session,
// LISTEN/NOTIFY across sessions, pg-boss — which PGlite's socket server does not (docs/postgres.md).
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decideBinaries } from '../../scripts/postgres/binaries';
import { PortBusyError, startCluster } from '../../scripts/postgres/cluster';
import { embeddedBinDir, startEmbedded } from '../../scripts/postgres/embedded';
import { startPostgres } from '../../scripts/postgres/index';
import { findOrInstallBinaries, postgresMachine } from '../../scripts/postgres/machine';
import { freeLoopbackPort, isRunning } from '../../scripts/postgres/processes';
import { freshDatabase } from '../support/postgresUrl';

const quiet = () => {};
let root: string;
let binDir: string;

/** Opens `count` sessions at once (each held by a pg_sleep) and returns their backend pids. */
async function concurrentSessions(url: string, count: number): Promise<Set<number>> {
  const pool = new pg.Pool({ connectionString: url, max: count });
  pool.on('error', quiet);
  try {
    const results = await Promise.all(
      Array.from({ length: count }, () => pool.query('SELECT pg_backend_pid() AS pid, pg_sleep(0.3)')),
    );
    return new Set(results.map((r) => Number(r.rows[0].pid)));
  } finally {
    await pool.end();
  }
}

async function setting(url: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(`SELECT current_setting($1) AS v`, [name])).rows[0].v;
  } finally {
    await client.end();
  }
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

beforeAll(() => {
  // Readable by the postgres user when this runs as root (mkdtemp makes 0700).
  root = mkdtempSync(join(tmpdir(), 'pgprov-test-'));
  chmodSync(root, 0o755);
  // Debian's binaries (installed as root when missing, as CI does); on a machine with neither
  // them nor root, the cluster code runs the embedded binaries instead: the same code either way.
  try {
    binDir = findOrInstallBinaries(true, quiet).binDir;
  } catch {
    binDir = '';
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function serverBinDir(): Promise<string> {
  if (binDir) return binDir;
  const found = await embeddedBinDir();
  if ('missing' in found) throw new Error(found.missing);
  return found.binDir;
}

describe('throwaway cluster', () => {
  it('listens on a free loopback port, serves several sessions at once, and stop removes it', async () => {
    const cluster = await startCluster({ binDir: await serverBinDir(), tempRoot: root, log: quiet });
    expect(cluster.url).toBe(`postgres://postgres@127.0.0.1:${cluster.port}/sync`);
    expect(cluster.port).not.toBe(5432);
    expect(await concurrentSessions(cluster.url, 6)).toHaveProperty('size', 6);
    expect(await setting(cluster.url, 'listen_addresses')).toBe('127.0.0.1');
    expect(await setting(cluster.url, 'unix_socket_directories')).toBe(join(cluster.dir, 'data'));
    expect(await setting(cluster.url, 'fsync')).toBe('on');
    expect(isRunning(cluster.pid)).toBe(true);

    await cluster.stop();
    expect(existsSync(cluster.dir)).toBe(false);
    expect(isRunning(cluster.pid)).toBe(false);
    const after = new pg.Client({ connectionString: cluster.url });
    await expect(after.connect()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  describe('a busy port', () => {
    let busy: Server;
    beforeAll(async () => {
      busy = await listen(await freeLoopbackPort());
    });
    afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));
    const busyPort = () => {
      const address = busy.address();
      return typeof address === 'object' && address ? address.port : 0;
    };

    it('taken between choosing it and binding it, is given up for another free port (fsync off as asked)', async () => {
      const picked: number[] = [];
      const pickPort = async () => {
        const port = picked.length === 0 ? busyPort() : await freeLoopbackPort();
        picked.push(port);
        return port;
      };
      const cluster = await startCluster({
        binDir: await serverBinDir(),
        tempRoot: root,
        pickPort,
        fsync: false,
        log: quiet,
      });
      try {
        expect(await setting(cluster.url, 'fsync')).toBe('off');
        expect(picked[0]).toBe(busyPort());
        expect(cluster.port).toBe(picked[1]);
        expect(cluster.port).not.toBe(busyPort());
        expect(await concurrentSessions(cluster.url, 2)).toHaveProperty('size', 2);
      } finally {
        await cluster.stop();
      }
    });

    it('asked for by number fails naming the port, and leaves no directory behind', async () => {
      const before = readdirSync(root);
      const start = startCluster({
        binDir: await serverBinDir(),
        tempRoot: root,
        port: busyPort(),
        log: quiet,
      });
      await expect(start).rejects.toThrow(PortBusyError);
      await expect(start).rejects.toThrow(`port ${busyPort()} on 127.0.0.1 is already in use`);
      expect(readdirSync(root)).toEqual(before);
    });
  });

  it('an initdb that fails is reported with its output', async () => {
    const fakeBin = mkdtempSync(join(root, 'bin-'));
    chmodSync(fakeBin, 0o755);
    writeFileSync(join(fakeBin, 'initdb'), '#!/bin/sh\necho "initdb: error: disk on fire" >&2\nexit 1\n', {
      mode: 0o755,
    });
    await expect(startCluster({ binDir: fakeBin, tempRoot: root, log: quiet })).rejects.toThrow(
      /initdb failed \(exit 1\):\ninitdb: error: disk on fire/,
    );
    expect(readdirSync(root).filter((name) => name.startsWith('sss-pg-'))).toEqual([]);
  });
});

describe('embedded server (npm)', () => {
  let boss: PgBoss | undefined;
  afterEach(async () => {
    await boss?.stop({ graceful: false, close: true });
    boss = undefined;
  });

  it('serves a pg Pool of 4 at once, exclusive advisory locks, LISTEN/NOTIFY and pg-boss', async () => {
    const server = await startEmbedded({ tempRoot: root, log: quiet });
    try {
      expect(await setting(server.url, 'server_version')).toMatch(/^18\./);
      expect(await concurrentSessions(server.url, 4)).toHaveProperty('size', 4);

      const a = new pg.Client({ connectionString: server.url });
      const b = new pg.Client({ connectionString: server.url });
      await Promise.all([a.connect(), b.connect()]);
      try {
        const lock = 'SELECT pg_try_advisory_lock(21) AS got';
        expect((await a.query(lock)).rows[0].got).toBe(true);
        expect((await b.query(lock)).rows[0].got).toBe(false);
        await a.query('LISTEN provision_probe');
        const heard = new Promise<string | undefined>((resolve) =>
          a.on('notification', (n) => resolve(n.payload)),
        );
        await b.query("SELECT pg_notify('provision_probe', 'from b')");
        expect(await heard).toBe('from b');
      } finally {
        await Promise.all([a.end(), b.end()]);
      }

      boss = new PgBoss({ connectionString: server.url, max: 4 });
      boss.on('error', quiet);
      await boss.start();
      await boss.createQueue('provision-probe');
      const worked = new Promise<unknown>((resolve) => {
        void boss!.work('provision-probe', { pollingIntervalSeconds: 0.5 }, async ([job]) =>
          resolve(job?.data),
        );
      });
      await boss.send('provision-probe', { org: 'acme' });
      expect(await worked).toEqual({ org: 'acme' });
      await boss.stop({ graceful: true, close: true, timeout: 5_000 });
      boss = undefined;
    } finally {
      await server.stop();
    }
    expect(existsSync(server.dir)).toBe(false);
  });
});

describe('freshDatabase (tests/support/postgresUrl.ts)', () => {
  it('gives each test file a database of its own, dropped even with a session open', async () => {
    const cluster = await startCluster({ binDir: await serverBinDir(), tempRoot: root, log: quiet });
    const query = async (url: string, sql: string) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query(sql)).rows;
      } finally {
        await client.end();
      }
    };
    try {
      const [one, two] = await Promise.all([
        freshDatabase('jobs', cluster.url),
        freshDatabase('jobs', cluster.url),
      ]);
      expect(one.name).toMatch(/^t_jobs_[0-9a-f]{8}$/);
      expect(one.url).toBe(`postgres://postgres@127.0.0.1:${cluster.port}/${one.name}`);
      const open = new pg.Client({ connectionString: one.url });
      open.on('error', quiet);
      await open.connect();
      await open.query('CREATE TABLE only_in_one (id int)');
      const present = "SELECT to_regclass('only_in_one') IS NOT NULL AS present";
      expect(await query(one.url, present)).toEqual([{ present: true }]);
      expect(await query(two.url, present)).toEqual([{ present: false }]);
      await one.drop(); // `open` is still connected to it
      await two.drop();
      expect(
        await query(cluster.url, "SELECT datname FROM pg_database WHERE datname LIKE 't_jobs_%'"),
      ).toEqual([]);
    } finally {
      await cluster.stop();
    }
  });
});

describe('startPostgres', () => {
  const saved = { url: process.env.DATABASE_URL, prefer: process.env.POSTGRES_PREFER };
  afterEach(() => {
    for (const [key, value] of [
      ['DATABASE_URL', saved.url],
      ['POSTGRES_PREFER', saved.prefer],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('uses DATABASE_URL from the environment as is, and its stop leaves that server running', async () => {
    const cluster = await startCluster({ binDir: await serverBinDir(), tempRoot: root, log: quiet });
    try {
      process.env.DATABASE_URL = cluster.url;
      const provided = await startPostgres({ log: quiet });
      expect(provided).toMatchObject({ url: cluster.url, kind: 'external' });
      await provided.stop();
      expect(await setting(cluster.url, 'listen_addresses')).toBe('127.0.0.1');
    } finally {
      await cluster.stop();
    }
  });

  it("without DATABASE_URL starts a throwaway cluster from Debian's binaries when it can", async () => {
    delete process.env.DATABASE_URL;
    delete process.env.POSTGRES_PREFER;
    const decision = decideBinaries(postgresMachine()).kind;
    const provided = await startPostgres({ tempRoot: root, log: quiet });
    try {
      expect(provided.kind).toBe(decision === 'missing' ? 'embedded' : 'cluster');
      expect(await concurrentSessions(provided.url, 3)).toHaveProperty('size', 3);
    } finally {
      await provided.stop();
    }
    expect(existsSync(provided.dir!)).toBe(false);
  });

  it('POSTGRES_PREFER=embedded picks the embedded server; a wrong value is refused', async () => {
    delete process.env.DATABASE_URL;
    process.env.POSTGRES_PREFER = 'embedded';
    const provided = await startPostgres({ tempRoot: root, log: quiet });
    try {
      expect(provided.kind).toBe('embedded');
      expect(provided.description).toMatch(/^PostgreSQL 18\.\d+ \(embedded, from npm\)$/);
    } finally {
      await provided.stop();
    }
    process.env.POSTGRES_PREFER = 'pglite';
    await expect(startPostgres({ log: quiet })).rejects.toThrow('POSTGRES_PREFER is "pglite"');
  });
});
