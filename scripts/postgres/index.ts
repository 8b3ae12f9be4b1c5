// One way for everything that needs PostgreSQL (tests, CI, the service's demo, a developer) to get
// it (docs/postgres.md): DATABASE_URL when set, used as is and never stopped; else a throwaway
// cluster from Debian's binaries (installed first when missing and this is root); else the
// embedded server from npm. POSTGRES_PREFER=cluster|embedded (or `prefer`) picks one of the last two.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { type ClusterOptions, startCluster } from './cluster';
import { embeddedBinDir, startEmbedded } from './embedded';
import { findOrInstallBinaries } from './machine';

export type PostgresKind = 'external' | 'cluster' | 'embedded';
export type Preference = 'cluster' | 'embedded';

export interface ProvidedPostgres {
  url: string;
  kind: PostgresKind;
  /** The throwaway cluster's directory (absent for an external server). */
  dir?: string;
  pid?: number;
  /** e.g. "PostgreSQL 15.18 from /usr/lib/postgresql/15/bin": for logs and reports. */
  description: string;
  /** Time to provide it (install + initdb + start + create database), in milliseconds. */
  startMs: number;
  /** Stops and removes a throwaway server; does nothing to an external one. */
  stop(): Promise<void>;
}

export interface StartOptions extends Omit<ClusterOptions, 'binDir'> {
  prefer?: Preference;
  /** Install Debian's package when missing and root (default true). */
  install?: boolean;
  /** Start a throwaway server even when DATABASE_URL is set (the CLI's `start`). */
  ignoreDatabaseUrl?: boolean;
}

export function preferenceFrom(value: string | undefined): Preference | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'cluster' || value === 'embedded') return value;
  throw new Error(`POSTGRES_PREFER is "${value}": use "cluster" (Debian's PostgreSQL) or "embedded"`);
}

function versionOf(binDir: string): string {
  const result = spawnSync(join(binDir, 'postgres'), ['--version'], { encoding: 'utf8' });
  return (result.stdout ?? '').replace(/^postgres \(PostgreSQL\) /, 'PostgreSQL ').trim() || 'PostgreSQL';
}

export async function startPostgres(options: StartOptions = {}): Promise<ProvidedPostgres> {
  const started = Date.now();
  const log = options.log ?? ((line: string) => console.error(line));
  const external = options.ignoreDatabaseUrl ? undefined : process.env.DATABASE_URL;
  if (external) {
    return { url: external, kind: 'external', description: 'DATABASE_URL', startMs: 0, stop: async () => {} };
  }
  const prefer = options.prefer ?? preferenceFrom(process.env.POSTGRES_PREFER);
  if (prefer !== 'embedded') {
    let binDir: string | undefined;
    try {
      binDir = findOrInstallBinaries(options.install ?? true, log).binDir;
    } catch (error) {
      if (prefer === 'cluster') throw error;
      log(`postgres: ${error instanceof Error ? error.message : error}\npostgres: using the embedded server`);
    }
    if (binDir) {
      const cluster = await startCluster({ ...options, binDir, log });
      return {
        ...cluster,
        kind: 'cluster',
        description: `${versionOf(binDir)} from ${binDir}`,
        startMs: Date.now() - started,
      };
    }
  }
  const found = await embeddedBinDir();
  const embedded = await startEmbedded({ ...options, log });
  return {
    ...embedded,
    kind: 'embedded',
    description: 'binDir' in found ? `${versionOf(found.binDir)} (embedded, from npm)` : 'embedded',
    startMs: Date.now() - started,
  };
}
