// `npm run service -- worker`: one worker in this process until SIGTERM or SIGINT, then a graceful
// stop (the batch in flight commits, the cycle ends Not Completed and is queued to resume) and exit 0.
import type { ClientRuntime } from '../../lib/service/orgClients';
import { openOrgLog } from '../../lib/service/orgLog';
import { startWorker } from '../../lib/service/worker';

/** `runtime`: the soak's workers run on its simulated clock (scripts/soak/serviceWorker.ts). */
export async function runWorkerProcess(databaseUrl: string, runtime?: ClientRuntime): Promise<number> {
  const worker = await startWorker({ databaseUrl, openLog: openOrgLog, ...(runtime && { runtime }) });
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  process.stderr.write(`worker ${worker.id}: stopping after the batch in flight\n`);
  await worker.stop();
  return 0;
}
