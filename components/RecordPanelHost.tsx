import { useEffect, useState } from 'preact/hooks';
import { createMessageClient } from '../lib/messaging/client';
import { isPanelNotice, type RecordPanelAnswer } from '../lib/messaging/views';
import { clampPosition, type PanelUiState } from '../lib/pages/panelUiState';
import type { RecordPage } from '../lib/pages/recordPage';
import { runRecordSync, type SyncProgress } from '../lib/pages/recordSync';
import { RecordPanel } from './RecordPanel';
import { savePanelUi } from './storage/panelUi';

// Content scripts import the messaging client directly (not lib/messaging's index) so zod stays
// out of this bundle.
const sendMessage = createMessageClient(browser.runtime);

const viewport = () => ({ width: window.innerWidth, height: window.innerHeight });

/**
 * Asks the background for this record's status (only this record's) and shows it; runs Sync now.
 * The UI state (collapsed, position) was loaded before the first render, so the panel appears
 * where the admin left it, without a jump.
 */
export function RecordPanelHost({
  page,
  initialUi,
  onUiChange,
}: {
  page: RecordPage;
  initialUi: PanelUiState;
  onUiChange: (state: PanelUiState) => void;
}) {
  const [answer, setAnswer] = useState<RecordPanelAnswer>();
  const [error, setError] = useState<string>();
  const [ui, setUi] = useState(() => clampPosition(initialUi, viewport()));
  const [progress, setProgress] = useState<SyncProgress>();
  const record = { objectType: page.objectType, recordId: page.urlId };

  useEffect(() => {
    let current = true;
    let asks = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = () =>
      sendMessage('getRecordStatus', record).then(
        (view) => {
          if (!current) return;
          setAnswer(view);
          // The background answered before its live "changed since?" check finished: ask again
          // (a few times at most); by then it has the result cached.
          if (!isPanelNotice(view) && view.pendingUnknown === 'checking' && ++asks < 4)
            timer = setTimeout(ask, 400 * asks);
        },
        (e: unknown) => current && setError(e instanceof Error ? e.message : String(e)),
      );
    void ask();
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [page.objectType, page.urlId]);

  const update = (next: PanelUiState, persist: boolean) => {
    setUi(next);
    onUiChange(next);
    if (persist) void savePanelUi(next).catch(() => {});
  };

  const syncNow = () => {
    void runRecordSync(sendMessage, record, (p) => {
      setProgress(p);
      if ((p.phase === 'running' || p.phase === 'queued' || p.phase === 'done') && p.answer)
        setAnswer(p.answer);
    });
  };

  return (
    <RecordPanel
      answer={answer}
      error={error}
      collapsed={ui.collapsed}
      position={ui}
      onToggle={() => update({ ...ui, collapsed: !ui.collapsed }, true)}
      onMove={(p) => update(clampPosition({ ...ui, ...p }, viewport()), true)}
      progress={progress}
      onSyncNow={syncNow}
    />
  );
}
