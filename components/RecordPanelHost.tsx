import { useEffect, useState } from 'preact/hooks';
import { createMessageClient } from '../lib/messaging/client';
import type { RecordStatusView } from '../lib/messaging/views';
import type { RecordPage } from '../lib/pages/recordPage';
import { RecordPanel } from './RecordPanel';

// Content scripts import the messaging client directly (not lib/messaging's index) so zod stays
// out of this bundle.
const sendMessage = createMessageClient(browser.runtime);

/** Asks the background for this record's status (only this record's) and shows it. */
export function RecordPanelHost({ page }: { page: RecordPage }) {
  const [status, setStatus] = useState<RecordStatusView>();
  const [error, setError] = useState<string>();
  const [collapsed, setCollapsed] = useState(false);

  useEffect(() => {
    let current = true;
    sendMessage('getRecordStatus', { objectType: page.objectType, recordId: page.urlId }).then(
      (view) => current && setStatus(view),
      (e: unknown) => current && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      current = false;
    };
  }, [page.objectType, page.urlId]);

  return (
    <RecordPanel
      status={status}
      error={error}
      collapsed={collapsed}
      onToggle={() => setCollapsed(!collapsed)}
    />
  );
}
