// Salesforce client overhead: a large `query` (100,000 leads from the `large` seed, pages of
// 2,000) read through SalesforceClient vs a bare fetch loop over the same nextRecordsUrl pages,
// measured side by side in the same run (alternating, medians of 3). The client adds zod parsing
// of every row, counting, limit tracking and retry wrapping; the target is ≤ 1.2× the bare time.
import { startEmulator } from '../../emulator/index';
import { ApiCallCounter } from '../../lib/http/ports';
import { fixedSession } from '../../lib/salesforce/auth/session';
import { SalesforceClient } from '../../lib/salesforce/client';
import { atMost, type BenchRow, info, median } from './table';

const LEADS = Number(process.env.SF_BENCH_LEADS ?? 100_000);
const SOQL = 'SELECT Id, FirstName, LastName, Email, Company, State, Status, SystemModstamp FROM Lead';
const RUNS = 3;

export async function run(): Promise<BenchRow[]> {
  const emu = await startEmulator({
    seed: 'large',
    size: LEADS,
    salesforce: { dailyApiRequests: 10_000_000 },
  });
  const base = emu.info.salesforce.url;
  const sid = emu.info.salesforce.sid;
  const fetchPort = (input: string, init?: RequestInit) => fetch(input, init);
  try {
    const bare = async (): Promise<number> => {
      let rows = 0;
      let next: string | undefined = `/services/data/v62.0/query?q=${encodeURIComponent(SOQL)}`;
      while (next) {
        const response = await fetch(base + next, {
          headers: { Authorization: `Bearer ${sid}`, Accept: 'application/json' },
        });
        const page = (await response.json()) as {
          records: unknown[];
          nextRecordsUrl?: string;
          done: boolean;
        };
        rows += page.records.length;
        next = page.done ? undefined : page.nextRecordsUrl;
      }
      return rows;
    };
    const client = new SalesforceClient({
      fetch: fetchPort,
      tokens: fixedSession({ instanceUrl: base, accessToken: sid }),
      counter: new ApiCallCounter(),
    });
    const viaClient = async (): Promise<number> => {
      let rows = 0;
      for await (const page of client.query(SOQL)) rows += page.records.length;
      return rows;
    };
    const time = async (fn: () => Promise<number>) => {
      const started = performance.now();
      const rows = await fn();
      if (rows !== LEADS) throw new Error(`expected ${LEADS} rows, read ${rows}`);
      return (performance.now() - started) / 1000;
    };
    await time(bare); // warm-up: JIT, sockets, the emulator's query cache
    await time(viaClient);
    const bareTimes: number[] = [];
    const clientTimes: number[] = [];
    // Alternate which goes first, so neither gains from running second (warm caches, GC timing).
    for (let i = 0; i < RUNS; i++) {
      if (i % 2 === 0) {
        bareTimes.push(await time(bare));
        clientTimes.push(await time(viaClient));
      } else {
        clientTimes.push(await time(viaClient));
        bareTimes.push(await time(bare));
      }
    }
    const bareS = median(bareTimes);
    const clientS = median(clientTimes);
    return [
      info('clients', `Salesforce query via bare fetch (${LEADS} leads)`, LEADS / bareS, 'records/s'),
      info('clients', `Salesforce query via client (${LEADS} leads)`, LEADS / clientS, 'records/s'),
      atMost('clients', 'Salesforce client query time / bare fetch time', clientS / bareS, '×', 1.2),
    ];
  } finally {
    await emu.stop();
  }
}
