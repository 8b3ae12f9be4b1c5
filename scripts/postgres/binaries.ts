// Where the PostgreSQL server programs (initdb, pg_ctl, postgres) are, and what to do when there are
// none (docs/postgres.md). Debian installs them outside PATH, in /usr/lib/postgresql/<major>/bin
// (its /usr/bin only has client wrappers), so both places are looked at. The decision is pure: the
// caller passes in what it knows of the machine (tests/unit/postgres-binaries.test.ts).

export const SERVER_PROGRAMS = ['initdb', 'pg_ctl', 'postgres'] as const;
/** Debian's package, as CI and a bare machine install it: the server of Debian's current major. */
export const APT_INSTALL = ['apt-get', 'install', '-y', '--no-install-recommends', 'postgresql'] as const;

export interface PostgresMachine {
  /** POSTGRES_BIN_DIR from the environment, if set: the user's explicit choice. */
  binDirOverride: string | undefined;
  /** The executable a name resolves to on PATH, or undefined. */
  which: (name: string) => string | undefined;
  isExecutable: (path: string) => boolean;
  /** The version directories under /usr/lib/postgresql (e.g. ['13', '15']). */
  debianVersions: readonly string[];
  isRoot: boolean;
  hasAptGet: boolean;
}

export type BinariesDecision =
  | { kind: 'use'; binDir: string; source: 'POSTGRES_BIN_DIR' | 'PATH' | 'Debian' }
  | { kind: 'install'; command: readonly string[] }
  | { kind: 'missing'; message: string };

const DEBIAN_ROOT = '/usr/lib/postgresql';

function dirname(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}

function hasAll(machine: PostgresMachine, binDir: string): boolean {
  return SERVER_PROGRAMS.every((name) => machine.isExecutable(`${binDir}/${name}`));
}

/** Newest first: '17' before '15', '9.6' last. */
function byVersionDescending(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pb[i] ?? 0) - (pa[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function decideBinaries(machine: PostgresMachine): BinariesDecision {
  if (machine.binDirOverride) {
    if (hasAll(machine, machine.binDirOverride)) {
      return { kind: 'use', binDir: machine.binDirOverride, source: 'POSTGRES_BIN_DIR' };
    }
    // A wrong override is the user's explicit choice: say so rather than pick other binaries.
    return {
      kind: 'missing',
      message: `POSTGRES_BIN_DIR is ${machine.binDirOverride}, which lacks ${SERVER_PROGRAMS.join(', ')}. Point it at a PostgreSQL bin directory, or unset it.`,
    };
  }
  const initdb = machine.which('initdb');
  if (initdb && hasAll(machine, dirname(initdb)))
    return { kind: 'use', binDir: dirname(initdb), source: 'PATH' };
  for (const version of [...machine.debianVersions].sort(byVersionDescending)) {
    const binDir = `${DEBIAN_ROOT}/${version}/bin`;
    if (hasAll(machine, binDir)) return { kind: 'use', binDir, source: 'Debian' };
  }
  if (machine.isRoot && machine.hasAptGet) return { kind: 'install', command: APT_INSTALL };
  const how = machine.hasAptGet
    ? `sudo ${APT_INSTALL.join(' ')}`
    : 'install the PostgreSQL server with your package manager (e.g. "brew install postgresql")';
  const why = machine.isRoot ? 'there is no apt-get' : 'this is not root';
  return {
    kind: 'missing',
    message: `PostgreSQL server programs (${SERVER_PROGRAMS.join(', ')}) not found on PATH nor in ${DEBIAN_ROOT}/*/bin, and ${why}, so Debian's package cannot be installed. Either ${how}; or set DATABASE_URL to a server you have; or use the embedded server (npm run postgres -- start --embedded).`,
  };
}
