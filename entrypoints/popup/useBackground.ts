import { useCallback, useEffect, useState } from 'preact/hooks';
import type { BackgroundAnswer } from '../../components/syncHeaderState';
import { MessageError } from '../../lib/messaging/envelope';
import type { SyncRequestResult } from '../../lib/messaging/views';
import { send } from './popupView';

/** The header re-asks this often: a cycle may start or end while the popup is open. */
const REFRESH_MS = 5000;

const toError = (error: unknown): BackgroundAnswer =>
  error instanceof MessageError
    ? { kind: 'error', code: error.code, message: error.message }
    : {
        kind: 'error',
        code: 'handler-failed',
        message: error instanceof Error ? error.message : String(error),
      };

function describeResult(result: SyncRequestResult): string {
  if (result.status === 'started') return 'Sync started';
  if (result.status === 'queued') return 'Queued after the running cycle';
  return `Refused: ${result.message}`;
}

/** The background's sync state (getSyncState), and the Sync now / Pause commands. */
export function useBackground() {
  const [answer, setAnswer] = useState<BackgroundAnswer>({ kind: 'loading' });
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(
    () =>
      send('getSyncState').then(
        (state) => setAnswer({ kind: 'ok', state }),
        (error: unknown) => setAnswer(toError(error)),
      ),
    [],
  );
  useEffect(() => {
    void refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  async function command(run: () => Promise<string>) {
    setBusy(true);
    try {
      setNotice(await run());
    } catch (error) {
      setNotice(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
      await refresh();
    }
  }

  return {
    answer,
    refresh,
    notice,
    busy,
    syncNow: () => command(async () => describeResult(await send('syncNow'))),
    setPaused: (paused: boolean) =>
      command(async () => {
        setAnswer({ kind: 'ok', state: await send('setPaused', { paused }) });
        return paused ? 'Paused' : 'Resumed';
      }),
  };
}
