// PostgreSQL refuses to run as root ("root" execution of the PostgreSQL server is not permitted),
// and CI and our machines run as root: there the server programs run as the `postgres` system
// user (Debian's package creates it; created here when missing, as on a machine that has only the
// embedded binaries). Node's spawn with uid/gid also drops root's supplementary groups.
import { spawnSync } from 'node:child_process';

export interface ServerUser {
  name: string;
  uid: number;
  gid: number;
}

const NAME = 'postgres';

function idOf(flag: '-u' | '-g'): number | undefined {
  const result = spawnSync('id', [flag, NAME], { encoding: 'utf8' });
  return result.status === 0 ? Number(result.stdout.trim()) : undefined;
}

/** The user the server runs as: undefined when this process is not root (it runs as us). */
export function serverUser(log: (line: string) => void): ServerUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  if (idOf('-u') === undefined) {
    log(`postgres: running as root; creating the ${NAME} system user to run the server as`);
    const made = spawnSync(
      'useradd',
      ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', NAME],
      { encoding: 'utf8' },
    );
    if (made.status !== 0) {
      throw new Error(
        `PostgreSQL cannot run as root, and creating the "${NAME}" user failed: ${made.stderr || made.error}`,
      );
    }
  }
  const uid = idOf('-u');
  const gid = idOf('-g');
  if (uid === undefined || gid === undefined) throw new Error(`no uid/gid for the "${NAME}" user`);
  return { name: NAME, uid, gid };
}
