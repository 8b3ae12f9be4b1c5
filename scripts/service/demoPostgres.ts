// PostgreSQL for the demo (docs/postgres.md): DATABASE_URL when set, else the embedded server from
// npm (a newcomer's one command should not install Debian packages; POSTGRES_PREFER=cluster picks
// Debian's), stopped and removed when the demo ends.
import { preferenceFrom, startPostgres } from '../postgres/index';

export async function demoPostgres(): Promise<{ url: string; embedded: boolean; stop(): Promise<void> }> {
  const postgres = await startPostgres({
    prefer: preferenceFrom(process.env.POSTGRES_PREFER) ?? 'embedded',
    log: (line) => process.stderr.write(`postgres: ${line}\n`),
  });
  return { url: postgres.url, embedded: postgres.kind !== 'external', stop: () => postgres.stop() };
}
