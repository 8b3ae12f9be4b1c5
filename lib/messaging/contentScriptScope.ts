import { parseRecordPageUrl } from '../pages/recordPage';
import { isSalesforceId, toId18 } from '../salesforce/ids';

// What a content script may ask about. Content scripts run inside web pages, and a page of another
// org (or a compromised page of this one) could drive ours: so the background answers a content
// script only on the connected org's pages, and only about the record in the sender tab's URL
// (docs/security.md). The page is what Chrome reports for the sender (MessageSender.url and .tab),
// never anything the page or the script put in the message.

/** Which pages a content-script message is accepted from. */
export type ContentScriptScope =
  /** Any page of the connected org. */
  | 'connected-org'
  /** The connected org's record page of the very record the message names. */
  | 'own-record';

/**
 * The origins of the connected org's pages: its My Domain (the stored instance URL) and the
 * Lightning host Salesforce serves its UI on (api-facts: `acme.my.salesforce.com` ⇄
 * `acme.lightning.force.com`, sandboxes `acme--uat.sandbox.…` alike). The emulator serves both on
 * its one loopback origin.
 */
export function orgPageOrigins(instanceUrl: string | undefined): string[] {
  if (!instanceUrl) return [];
  let url: URL;
  try {
    url = new URL(instanceUrl);
  } catch {
    return [];
  }
  const origins = [url.origin];
  if (url.protocol === 'https:' && url.hostname.endsWith('.my.salesforce.com'))
    origins.push(`https://${url.hostname.replace(/\.my\.salesforce\.com$/, '.lightning.force.com')}`);
  return origins;
}

const originOf = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

/** Where a content script's message comes from (lib/messaging/sender.ts). */
export interface ContentScriptPage {
  /** The frame's URL as loaded (sender.url). */
  url: string;
  /** The tab's current URL (sender.tab.url): Lightning moves between records with history.pushState. */
  tabUrl?: string;
  frameId?: number;
}

/** Why a content script's message is refused, or undefined when it is within its scope. */
export function contentScriptRefusal(
  scope: ContentScriptScope,
  sender: ContentScriptPage,
  orgOrigins: readonly string[],
  request: unknown,
): string | undefined {
  const origin = originOf(sender.url);
  if (orgOrigins.length === 0) return 'no Salesforce org is connected';
  if (!origin || !orgOrigins.includes(origin)) return `${origin ?? 'this page'} is not the connected org`;
  if (scope === 'connected-org') return undefined;
  // The record is the one in the address bar: the top frame's, as the tab shows it now (the frame's
  // own URL keeps the record it was loaded with). The origin cannot change without a new document.
  const current =
    sender.frameId === 0 && sender.tabUrl && originOf(sender.tabUrl) === origin ? sender.tabUrl : sender.url;
  const page = parseRecordPageUrl(current);
  if (!page) return 'the page is not a record page';
  const asked = request as { objectType?: unknown; recordId?: unknown };
  const askedId =
    typeof asked.recordId === 'string' && isSalesforceId(asked.recordId) ? toId18(asked.recordId) : '';
  if (!isSalesforceId(page.urlId) || askedId !== toId18(page.urlId) || asked.objectType !== page.objectType)
    return 'a content script may only ask about the record of its own page';
  return undefined;
}
