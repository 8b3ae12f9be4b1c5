// The real machine behind scripts/postgres/binaries.ts's decision, and the Debian install it may
// call for. Installing happens only here, when a server is started, never at `npm install`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { machineFacts } from '../machineFacts';
import { decideBinaries, type PostgresMachine } from './binaries';

export function postgresMachine(): PostgresMachine {
  const facts = machineFacts();
  const debianRoot = '/usr/lib/postgresql';
  return {
    binDirOverride: process.env.POSTGRES_BIN_DIR || undefined,
    which: facts.which,
    isExecutable: facts.isExecutable,
    debianVersions: existsSync(debianRoot) ? readdirSync(debianRoot) : [],
    isRoot: facts.isRoot,
    hasAptGet: facts.hasAptGet,
  };
}

/** apt-get install fails on a machine whose package lists were never fetched (a fresh image). */
function aptListsEmpty(): boolean {
  const lists = '/var/lib/apt/lists';
  return !existsSync(lists) || !readdirSync(lists).some((name) => name.includes('_Packages'));
}

function run(command: readonly string[], log: (line: string) => void): boolean {
  log(`postgres: ${command.join(' ')}`);
  // apt's progress goes to stderr, so that a CLI's stdout keeps only its KEY=value lines.
  const result = spawnSync(command[0]!, command.slice(1), {
    stdio: ['ignore', 2, 2],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
}

export interface FoundBinaries {
  binDir: string;
  source: string;
  /** Milliseconds spent installing Debian's package, 0 when it was already there. */
  installMs: number;
}

/**
 * The server programs' directory. When none is found and this is root with apt-get, installs
 * Debian's `postgresql` (fetching the package lists first when there are none, or when the install
 * fails on stale ones). Throws with the decision's message when there is no way to get them.
 */
export function findOrInstallBinaries(
  install: boolean,
  log: (line: string) => void = (line) => console.error(line),
): FoundBinaries {
  const decision = decideBinaries(postgresMachine());
  if (decision.kind === 'use') return { binDir: decision.binDir, source: decision.source, installMs: 0 };
  if (decision.kind === 'missing') throw new Error(decision.message);
  if (!install) throw new Error('PostgreSQL server programs not found (and installing was not allowed)');
  const started = Date.now();
  log("postgres: no PostgreSQL server found; installing Debian's postgresql package");
  if (aptListsEmpty()) run(['apt-get', 'update', '-qq'], log);
  if (!run(decision.command, log)) {
    if (!run(['apt-get', 'update', '-qq'], log) || !run(decision.command, log)) {
      throw new Error(`"${decision.command.join(' ')}" failed: see its output above`);
    }
  }
  const after = decideBinaries(postgresMachine());
  if (after.kind !== 'use') {
    throw new Error(
      "Debian's postgresql installed, but no initdb/pg_ctl/postgres in /usr/lib/postgresql/*/bin",
    );
  }
  return { binDir: after.binDir, source: 'Debian (installed now)', installMs: Date.now() - started };
}
