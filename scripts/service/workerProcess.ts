// `npm run service -- worker`: one worker in this process until SIGTERM or SIGINT, then a graceful
// stop (the batch in flight commits, the cycle ends Not Completed and is queued to resume) and exit 0.
import { z } from 'zod';
import type { ClientRuntime } from '../../lib/service/orgClients';
import { openOrgLog } from '../../lib/service/orgLog';
import { startWorker } from '../../lib/service/worker';

/**
 * MARKETO_CALLS_PER_20S: Marketo allows 100 calls per 20 s per instance and the clients keep to it;
 * only an emulator started without Marketo's limits takes more (the service benchmark sets it so it
 * measures the engine and the service, as the engine benchmark does, not the wait for call slots).
 */
function marketoLimits() {
  const raw = process.env.MARKETO_CALLS_PER_20S;
  if (raw === undefined) return undefined;
  const calls = z.coerce.number().int().min(1).safeParse(raw);
  if (!calls.success) throw new Error(`MARKETO_CALLS_PER_20S must be a whole number ≥ 1, not ${raw}`);
  return { callsPerWindow: calls.data };
}

/** `runtime`: the soak's workers run on its simulated clock (scripts/soak/serviceWorker.ts). */
export async function runWorkerProcess(databaseUrl: string, runtime: ClientRuntime = {}): Promise<number> {
  const limits = marketoLimits();
  const worker = await startWorker({
    databaseUrl,
    openLog: openOrgLog,
    runtime: { ...runtime, ...(limits && { marketoLimits: limits }) },
  });
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  process.stderr.write(`worker ${worker.id}: stopping after the batch in flight\n`);
  await worker.stop();
  return 0;
}
