import type { SendMessage } from '../messaging/client';
import type { RecordPanelAnswer } from '../messaging/views';
import { isPanelNotice } from '../messaging/views';

// "Sync now" from the record panel: ask the background for a one-record cycle, then follow it by
// asking for this record's status until the background no longer reports a cycle for it under
// way. Polling (rather than one long message) survives a restarted service worker and lets the
// panel say "queued" while another cycle holds the lock.

export type SyncProgress =
  | { phase: 'requesting' }
  | { phase: 'running' | 'queued'; answer?: RecordPanelAnswer }
  | { phase: 'done'; answer: RecordPanelAnswer }
  | { phase: 'refused'; message: string }
  | { phase: 'error'; message: string };

export interface RecordSyncOptions {
  intervalMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export async function runRecordSync(
  send: SendMessage,
  record: { objectType: string; recordId: string },
  onProgress: (progress: SyncProgress) => void,
  options: RecordSyncOptions = {},
): Promise<SyncProgress> {
  const interval = options.intervalMs ?? 600;
  const timeout = options.timeoutMs ?? 180_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = options.now ?? Date.now;
  const report = (p: SyncProgress) => {
    onProgress(p);
    return p;
  };
  report({ phase: 'requesting' });
  try {
    const result = await send('syncRecord', record);
    if (result.status === 'refused') return report({ phase: 'refused', message: result.message });
    report({ phase: result.status === 'queued' ? 'queued' : 'running' });
    const deadline = now() + timeout;
    while (now() < deadline) {
      await sleep(interval);
      const answer = await send('getRecordStatus', record);
      const syncing = isPanelNotice(answer) ? undefined : answer.syncing;
      if (!syncing) return report({ phase: 'done', answer });
      report({ phase: syncing, answer });
    }
    return report({ phase: 'error', message: 'The sync did not finish within 3 minutes; see the popup.' });
  } catch (error) {
    return report({ phase: 'error', message: error instanceof Error ? error.message : String(error) });
  }
}
