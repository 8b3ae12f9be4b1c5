// The service soak's worker processes (serviceWorker.ts: the service's worker on the soak's clock).
// A worker the soak stops is replaced at once, as a deployment's supervisor would (the service's
// supervisor waits 2 s; the soak does not need to); a worker that ends by itself is a problem the
// soak reports. Output is kept per worker for the report.
import { spawnWorker, type WorkerProcess } from '../service/workerChild';

export interface SoakWorkers {
  /** Stops the worker whose process id this is; false when it is not one of ours or already gone. */
  signal(pid: number, signal: 'SIGKILL' | 'SIGTERM'): boolean;
  /** What went wrong with the workers themselves: exits nobody asked for. */
  problems: string[];
  /** SIGTERM for all (each ends after its batch in flight), SIGKILL after `graceMs`. */
  stopAll(graceMs?: number): Promise<void>;
}

const SCRIPT = ['scripts/soak/serviceWorker.ts'];

type Stop = 'SIGKILL' | 'SIGTERM';

export function startSoakWorkers(
  count: number,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): SoakWorkers {
  const live = new Map<number, { worker: WorkerProcess; asked?: Stop }>();
  const problems: string[] = [];
  let stopping = false;
  let started = 0;
  const start = () => {
    started += 1;
    const n = started;
    const worker = spawnWorker(env, SCRIPT);
    const pid = worker.child.pid!;
    const entry: { worker: WorkerProcess; asked?: Stop } = { worker };
    live.set(pid, entry);
    worker.child.stderr!.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) log(`  worker ${n}: ${line}`);
    });
    void worker.exited.then(({ code, signal }) => {
      live.delete(pid);
      // SIGTERM ends a worker with exit 0 once its batch in flight committed (docs/service.md).
      const asExpected =
        stopping ||
        (entry.asked === 'SIGKILL' && signal === 'SIGKILL') ||
        (entry.asked === 'SIGTERM' && code === 0);
      if (!asExpected)
        problems.push(
          `worker ${n} (pid ${pid}) ended ${entry.asked ? `after ${entry.asked} ` : 'by itself '}(${signal ?? `exit ${code}`}): ${worker.output.join('').slice(-2000)}`,
        );
    });
  };
  for (let i = 0; i < count; i++) start();
  return {
    problems,
    signal(pid, signal) {
      const entry = live.get(pid);
      if (!entry || entry.asked) return false;
      entry.asked = signal;
      entry.worker.child.kill(signal);
      start();
      return true;
    },
    async stopAll(graceMs = 30_000) {
      stopping = true;
      const all = [...live.values()].map((e) => e.worker);
      for (const w of all) w.child.kill('SIGTERM');
      const timer = setTimeout(() => {
        for (const w of all)
          if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
      }, graceMs);
      await Promise.all(all.map((w) => w.exited));
      clearTimeout(timer);
    },
  };
}
