import type { HostPermissionsPort } from '../lib/connections/hostAccess';

// The options page's side of lib/connections/hostAccess.ts: chrome.permissions, and the Salesforce
// tab whose org "Detect my Salesforce org" connects.

export interface HostAccess extends HostPermissionsPort {
  /** The URL of an open Lightning tab (the active one first), or undefined when there is none. */
  findSalesforceTab(): Promise<string | undefined>;
}

export const browserHostAccess: HostAccess = {
  request: (origins) => browser.permissions.request({ origins }),
  contains: (origins) => browser.permissions.contains({ origins }),
  remove: (origins) => browser.permissions.remove({ origins }),
  // The required Lightning host permission lets tabs.query see these tabs' URLs (no `tabs`
  // permission). Test builds also find the emulator's Lightning pages on loopback.
  async findSalesforceTab() {
    const tabs = await browser.tabs.query({
      url: [
        'https://*.lightning.force.com/*',
        ...(import.meta.env.MODE === 'production' ? [] : ['http://127.0.0.1/lightning/*']),
      ],
    });
    return (tabs.find((t) => t.active) ?? tabs[0])?.url;
  },
};
