import type { SyncRunsIn } from '../settings/serviceConnection';

// What the background answers the options page's "Sync runs in" section (issue 21). The token is
// only ever reported as saved or not, like the Marketo client secret.

export interface ServiceConnectionView {
  syncRunsIn: SyncRunsIn;
  url?: string;
  orgId?: string;
  tokenSaved: boolean;
}

/** "Test": the service's state route, called with the form's URL, org and token. */
export type ServiceTestView = { checkedAt: number } & (
  | {
      ok: true;
      org: { id: string; name: string; intervalMinutes: number };
      paused: boolean;
      running: boolean;
      lastCycle?: { id: number; status: string; startedAt: number; endedAt: number | null };
      /** The org's Salesforce, whose record pages get the panel in service mode. */
      instanceUrl?: string;
    }
  | { ok: false; error: string }
);
