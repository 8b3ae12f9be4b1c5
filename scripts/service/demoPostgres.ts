// PostgreSQL for the demo: DATABASE_URL when set, else a throwaway embedded server.
// TEMPORARY until scripts/postgres (startPostgres) lands: DATABASE_URL is required.
export async function demoPostgres(): Promise<{ url: string; embedded: boolean; stop(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  return { url, embedded: false, stop: async () => {} };
}
