import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { announce } from '../../components/announce';
import { send } from '../../components/publishedView';
import { syncStateItem, watchPublished } from '../../components/storage/published';
import { type BackgroundAnswer, cycleEndNews, endedCycleId } from '../../components/syncHeaderState';
import { MessageError, messageOf } from '../../lib/messaging/envelope';
import type { SyncRequestResult, SyncStateView } from '../../lib/messaging/views';

/**
 * The header re-asks this often (connection states, the next run). A cycle starting or ending, and
 * a pause, come at once: the background publishes its state in storage.session (syncStateItem).
 */
const REFRESH_MS = 5000;

const toError = (error: unknown): BackgroundAnswer =>
  error instanceof MessageError
    ? { kind: 'error', code: error.code, message: error.message }
    : {
        kind: 'error',
        code: 'handler-failed',
        message: messageOf(error),
      };

function describeResult(result: SyncRequestResult): string {
  if (result.status === 'started') return 'Sync started';
  if (result.status === 'queued') return 'Queued after the running cycle';
  return `Refused: ${result.message}`;
}

/**
 * The background's sync state (getSyncState; until it answers, the one it last published), and the
 * Sync now / Pause commands.
 */
export function useBackground(lastPublished?: SyncStateView) {
  const [answer, setAnswer] = useState<BackgroundAnswer>(
    lastPublished ? { kind: 'ok', state: lastPublished } : { kind: 'loading' },
  );
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);

  // Bumped by each published state: an answer asked for before it is older, and is dropped.
  const published = useRef(0);
  const refresh = useCallback(() => {
    const asked = published.current;
    const settle = (next: BackgroundAnswer) => {
      if (published.current === asked) setAnswer(next);
    };
    return send('getSyncState').then(
      (state) => settle({ kind: 'ok', state }),
      (error: unknown) => settle(toError(error)),
    );
  }, []);
  useEffect(() => {
    void refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    const unwatch = watchPublished(syncStateItem, (state) => {
      if (!state) return;
      published.current++;
      setAnswer({ kind: 'ok', state });
    });
    return () => {
      clearInterval(timer);
      unwatch();
    };
  }, [refresh]);

  // A cycle ending while the popup is open is announced (not the one that had ended before it opened).
  const lastEnded = useRef<number | null>(undefined);
  useEffect(() => {
    if (answer.kind !== 'ok') return;
    const ended = endedCycleId(answer.state);
    if (lastEnded.current !== undefined && ended !== null && ended !== lastEnded.current)
      announce(cycleEndNews(answer.state.lastCycle!));
    lastEnded.current = ended;
  }, [answer]);

  const tell = (text: string) => {
    setNotice(text);
    announce(text);
  };
  async function command(run: () => Promise<string>) {
    setBusy(true);
    try {
      tell(await run());
    } catch (error) {
      tell(messageOf(error));
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
