import type { ConnectionSettings } from '../settings/connection';
import type { SyncSettings } from '../settings/schema';
import type { PopupView } from './views';

// The background builds the popup's view of the stored settings with lib/settings' full zod
// schemas, so the popup bundles no zod at all (design §9: popup ≤ 50 KB gzipped; zod alone is
// ~15 KB there) and every setting it shows is still parsed with zod. The worker publishes it in
// storage.session (components/storage/published.ts) whenever what it is made of changes.

/** The part of the settings store the view needs (lib/settings/store.ts). */
export interface PopupViewSource {
  getSettings(): Promise<SyncSettings>;
  getConnections(): Promise<ConnectionSettings>;
  /** The Salesforce user's time zone, when a connection test found it (lib/records/userTimeZone). */
  timeZone?(): Promise<string | undefined>;
}

const host = (url: string | undefined) => {
  if (!url) return undefined;
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The popup's view. Invalid stored settings do not fail it: they become `settingsError` (the
 * store's SettingsError names each field) and the parts that could be read are still shown.
 */
export async function readPopupView(source: PopupViewSource): Promise<PopupView> {
  const [settings, connections, timeZone] = await Promise.allSettled([
    source.getSettings(),
    source.getConnections(),
    source.timeZone?.(),
  ]);
  const view: PopupView = {
    personLabel: settings.status === 'fulfilled' ? settings.value.personLabel : 'Lead',
  };
  if (timeZone.status === 'fulfilled' && timeZone.value) view.timeZone = timeZone.value;
  const errors = [settings, connections].flatMap((r) => (r.status === 'rejected' ? [reason(r.reason)] : []));
  if (errors.length) view.settingsError = errors.join(' · ');
  if (connections.status === 'rejected') return view;
  const { salesforce, marketo } = connections.value;
  if (salesforce.user) view.isAdmin = salesforce.user.isAdmin;
  if (salesforce.instanceUrl) view.instanceUrl = salesforce.instanceUrl;
  const salesforceLabel = host(salesforce.instanceUrl) ?? salesforce.user?.username;
  if (salesforceLabel) view.salesforceLabel = salesforceLabel;
  const marketoLabel = marketo.clientId ? host(marketo.restEndpoint) : undefined;
  if (marketoLabel) view.marketoLabel = marketoLabel;
  return view;
}

/**
 * Publishes what `read` answers (the popup view, the sync state), one write at a time in the order
 * asked: two changes in quick succession can never leave the older value published.
 */
export function serialPublisher<T>(
  read: () => Promise<T>,
  write: (value: T) => Promise<void>,
): () => Promise<void> {
  let last = Promise.resolve();
  return () => {
    // A failed publish (reported to its caller) does not stop the next one.
    const next = last.catch(() => undefined).then(async () => write(await read()));
    last = next;
    return next;
  };
}
