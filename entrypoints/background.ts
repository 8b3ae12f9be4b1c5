import { syncLog } from '../lib/db/instance';
import { getRecordStatus } from '../lib/db/recordStatus';
import { createMessageRouter } from '../lib/messaging/router';
import { recordStatusView } from '../lib/records/statusView';

// Wiring only: listeners are registered synchronously at the top level so that a message or an
// alarm that wakes the stopped worker finds them.
export default defineBackground(() => {
  const router = createMessageRouter(browser.runtime, {
    onRefused: (reason) => console.warn('Refused a message:', reason),
  });

  router.onMessage('getRecordStatus', async ({ objectType, recordId }) =>
    recordStatusView(objectType, await getRecordStatus(syncLog, recordId)),
  );

  browser.runtime.onInstalled.addListener(({ reason }) => {
    // First run: the admin starts by connecting Salesforce and Marketo.
    if (reason === 'install') void browser.runtime.openOptionsPage();
  });
});
