// A worker process of the service soak (serviceWorld.ts): the service's own worker
// (`npm run service -- worker`, scripts/service/workerProcess.ts) on the soak's shared simulated
// clock (sharedClock.ts) and with the in-process soak's short request timeout, so a hung request
// costs seconds rather than the clients' default minute or two.
import { runWorkerProcess } from '../service/workerProcess';
import { sharedClock } from './sharedClock';

const { DATABASE_URL, SOAK_CLOCK_FILE, SOAK_REQUEST_TIMEOUT_MS } = process.env;
if (!DATABASE_URL || !SOAK_CLOCK_FILE || !SOAK_REQUEST_TIMEOUT_MS) {
  process.stderr.write(
    'soak worker: DATABASE_URL, SOAK_CLOCK_FILE and SOAK_REQUEST_TIMEOUT_MS are required\n',
  );
  process.exit(2);
}
runWorkerProcess(DATABASE_URL, {
  clock: sharedClock(SOAK_CLOCK_FILE),
  requestTimeoutMs: Number(SOAK_REQUEST_TIMEOUT_MS),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`soak worker: ${error instanceof Error ? (error.stack ?? error.message) : error}\n`);
    process.exit(1);
  },
);
