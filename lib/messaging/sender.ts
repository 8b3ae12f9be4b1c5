// Who sent a message. What Chrome puts in `runtime.MessageSender`:
// - an extension page (popup, dashboard, options; also when open in a tab): `id` = our id, `url`
//   and `origin` on `chrome-extension://<our id>`; `tab` is set when the page is in a tab;
// - our content script: `id` = our id, `tab` set, `url`/`origin` = the web page it runs in;
// - another extension: `id` = its id (it can only reach us if we declared it externally
//   connectable, and then through onMessageExternal, not onMessage);
// - a web page: never reaches runtime.onMessage at all (only onMessageExternal, and only with
//   `externally_connectable`, which this extension does not declare); its sender has no `id`.
// The checks below do not rely on those delivery rules: a wrong id or an unknown kind of page is
// refused even if a manifest change or a browser bug ever delivered it.

/** The fields of runtime.MessageSender this module reads (a structural subset of Chrome's type). */
export interface SenderInfo {
  id?: string;
  url?: string;
  origin?: string;
  /** The tab as Chrome knows it when the message arrives; its url follows in-page navigation. */
  tab?: { id?: number; url?: string };
  frameId?: number;
}

export type SenderContext =
  | { kind: 'extension-page'; url: string }
  | {
      kind: 'content-script';
      /** The frame's URL as it was loaded: Chrome does not update it for history.pushState. */
      url: string;
      /** The tab's current URL (sender.tab.url), when Chrome gives it (host permission). */
      tabUrl?: string;
      tabId: number;
      frameId?: number;
    };

export interface ExtensionIdentity {
  readonly id: string;
  getURL(path: string): string;
}

/** The origin of an http(s) URL. (Node's URL gives "null" as the origin of chrome-extension: URLs.) */
const webOrigin = (url: string): string | undefined => {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
};

/** Classifies a sender, or says why it is refused. */
export function classifySender(
  sender: SenderInfo,
  extension: ExtensionIdentity,
): SenderContext | { refused: string } {
  if (!sender.id) return { refused: 'the sender is not an extension (a web page?)' };
  if (sender.id !== extension.id) return { refused: `the sender is another extension (${sender.id})` };
  const url = sender.url ?? '';
  const ownBase = extension.getURL('/'); // chrome-extension://<id>/
  const ownOrigin = ownBase.replace(/\/$/, '');
  if (url.startsWith(ownBase)) {
    if (sender.origin === undefined || sender.origin === ownOrigin) return { kind: 'extension-page', url };
    return { refused: `the sender's origin ${sender.origin} does not match its url ${url}` };
  }
  // Our id on a web page's frame: only our own content script can send that.
  const origin = webOrigin(url);
  if (origin && sender.tab?.id !== undefined && (sender.origin === undefined || sender.origin === origin)) {
    const context: SenderContext = { kind: 'content-script', url, tabId: sender.tab.id };
    if (sender.frameId !== undefined) context.frameId = sender.frameId;
    if (sender.tab.url !== undefined) context.tabUrl = sender.tab.url;
    return context;
  }
  return {
    refused: `the sender is neither an extension page nor a content script in a tab (${url || 'no url'})`,
  };
}
