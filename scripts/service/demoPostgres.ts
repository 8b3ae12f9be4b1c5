// PostgreSQL for the demo (docs/postgres.md): DATABASE_URL when set, else a throwaway server —
// Debian's cluster, or the embedded one from npm — stopped and removed when the demo ends.
import { startPostgres } from '../postgres/index';

export async function demoPostgres(): Promise<{ url: string; embedded: boolean; stop(): Promise<void> }> {
  const postgres = await startPostgres({ log: (line) => process.stderr.write(`postgres: ${line}\n`) });
  return { url: postgres.url, embedded: postgres.kind !== 'external', stop: () => postgres.stop() };
}
