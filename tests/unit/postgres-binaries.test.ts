// Which PostgreSQL server programs a throwaway cluster runs (scripts/postgres/binaries.ts), when
// Debian's package is installed for it, and what a user is told when neither can be.
import { describe, expect, it } from 'vitest';
import { APT_INSTALL, decideBinaries, type PostgresMachine } from '../../scripts/postgres/binaries';
import { preferenceFrom } from '../../scripts/postgres/index';

/** A machine whose executables are exactly `files`. */
function machine(files: string[], overrides: Partial<PostgresMachine> = {}): PostgresMachine {
  const set = new Set(files);
  return {
    binDirOverride: undefined,
    which: (name) => files.find((f) => f.endsWith(`/${name}`) && f.startsWith('/usr/local/bin/')),
    isExecutable: (path) => set.has(path),
    debianVersions: [],
    isRoot: true,
    hasAptGet: true,
    ...overrides,
  };
}
const server = (dir: string) => [`${dir}/initdb`, `${dir}/pg_ctl`, `${dir}/postgres`];

describe('decideBinaries', () => {
  it('POSTGRES_BIN_DIR wins when it has all three programs', () => {
    const m = machine([...server('/opt/pg/bin'), ...server('/usr/lib/postgresql/15/bin')], {
      binDirOverride: '/opt/pg/bin',
      debianVersions: ['15'],
    });
    expect(decideBinaries(m)).toEqual({ kind: 'use', binDir: '/opt/pg/bin', source: 'POSTGRES_BIN_DIR' });
  });

  it('a POSTGRES_BIN_DIR without them is reported, not replaced by other binaries', () => {
    const m = machine([...server('/usr/lib/postgresql/15/bin'), '/opt/pg/bin/initdb'], {
      binDirOverride: '/opt/pg/bin',
      debianVersions: ['15'],
    });
    expect(decideBinaries(m)).toEqual({
      kind: 'missing',
      message: expect.stringContaining(
        'POSTGRES_BIN_DIR is /opt/pg/bin, which lacks initdb, pg_ctl, postgres',
      ),
    });
  });

  it('initdb on PATH with pg_ctl and postgres beside it', () => {
    const m = machine([...server('/usr/local/bin'), ...server('/usr/lib/postgresql/17/bin')], {
      debianVersions: ['17'],
    });
    expect(decideBinaries(m)).toEqual({ kind: 'use', binDir: '/usr/local/bin', source: 'PATH' });
  });

  it("Debian's newest major when PATH has none (13 is newer than 9.6, though not as text)", () => {
    const m = machine([...server('/usr/lib/postgresql/9.6/bin'), ...server('/usr/lib/postgresql/13/bin')], {
      debianVersions: ['9.6', '13', '16'], // 16 holds only client programs: skipped
    });
    expect(decideBinaries(m)).toEqual({
      kind: 'use',
      binDir: '/usr/lib/postgresql/13/bin',
      source: 'Debian',
    });
  });

  it("none, as root with apt-get: install Debian's postgresql without recommends", () => {
    expect(decideBinaries(machine([]))).toEqual({ kind: 'install', command: APT_INSTALL });
    expect(APT_INSTALL).toEqual(['apt-get', 'install', '-y', '--no-install-recommends', 'postgresql']);
  });

  it('none and not root: says why and the three ways out', () => {
    const decision = decideBinaries(machine([], { isRoot: false }));
    expect(decision.kind).toBe('missing');
    const message = decision.kind === 'missing' ? decision.message : '';
    expect(message).toContain('this is not root');
    expect(message).toContain(`sudo ${APT_INSTALL.join(' ')}`);
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('npm run postgres -- start --embedded');
  });

  it('none, root but no apt-get: says so and names another package manager', () => {
    const decision = decideBinaries(machine([], { hasAptGet: false }));
    expect(decision).toMatchObject({
      kind: 'missing',
      message: expect.stringContaining('there is no apt-get'),
    });
    expect(decision).toMatchObject({ message: expect.stringContaining('brew install postgresql') });
  });
});

describe('preferenceFrom (POSTGRES_PREFER)', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['cluster', 'cluster'],
    ['embedded', 'embedded'],
  ])('%s → %s', (value, expected) => {
    expect(preferenceFrom(value)).toBe(expected);
  });

  it('refuses anything else, naming the two choices', () => {
    expect(() => preferenceFrom('pglite')).toThrow(
      'POSTGRES_PREFER is "pglite": use "cluster" (Debian\'s PostgreSQL) or "embedded"',
    );
  });
});
