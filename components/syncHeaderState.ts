import type { ConnectionStatus, SyncStateView } from '../lib/messaging/views';
import type { ViewConnections } from './viewSettings';

// What the popup's header shows, from the stored connections (always readable) and the
// background's answer to getSyncState (which may be missing: the worker not answering).

export type BackgroundAnswer =
  | { kind: 'loading' }
  | { kind: 'ok'; state: SyncStateView }
  | { kind: 'error'; code: string; message: string };

export interface ConnectionLine {
  state: ConnectionStatus['state'];
  label: string;
  error?: string;
}

export type HeaderModel =
  | { kind: 'admin-required' }
  | {
      kind: 'status';
      salesforce: ConnectionLine;
      marketo: ConnectionLine;
      /** Salesforce or Marketo has no connection settings: show the way to the options page. */
      notConnected: boolean;
      /** Set when the background did not answer; the buttons that need it are disabled. */
      backgroundProblem?: string;
      sync?: SyncStateView;
    };

const host = (url: string | undefined) => {
  if (!url) return undefined;
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

/** Connection lines from the stored settings, for when the background has not said more. */
function storedLines(connections: ViewConnections | undefined): {
  salesforce: ConnectionLine;
  marketo: ConnectionLine;
} {
  const sf = connections?.salesforce;
  const mk = connections?.marketo;
  const sfLabel = host(sf?.instanceUrl) ?? sf?.user?.username;
  const mkLabel = host(mk?.restEndpoint);
  return {
    salesforce: sfLabel
      ? { state: 'unchecked', label: sfLabel }
      : { state: 'not-configured', label: 'Not connected' },
    marketo:
      mkLabel && mk?.clientId
        ? { state: 'unchecked', label: mkLabel }
        : { state: 'not-configured', label: 'Not connected' },
  };
}

function fromStatus(status: ConnectionStatus, fallback: ConnectionLine): ConnectionLine {
  return {
    state: status.state,
    label: status.label ?? (status.state === 'not-configured' ? 'Not connected' : fallback.label),
    ...(status.error !== undefined && { error: status.error }),
  };
}

export function headerModel(connections: ViewConnections | undefined, answer: BackgroundAnswer): HeaderModel {
  // The seed dashboard is admin-only; a non-admin sees nothing of the sync.
  if (connections?.salesforce.user?.isAdmin === false) return { kind: 'admin-required' };
  const stored = storedLines(connections);
  if (answer.kind !== 'ok') {
    return {
      kind: 'status',
      ...stored,
      notConnected: stored.salesforce.state === 'not-configured' || stored.marketo.state === 'not-configured',
      ...(answer.kind === 'error' && {
        backgroundProblem:
          // unknown-message: a background without this handler (yet) answers for the other messages.
          answer.code === 'no-handler' || answer.code === 'unknown-message'
            ? 'Background not answering'
            : `Background error: ${answer.message}`,
      }),
    };
  }
  const salesforce = fromStatus(answer.state.connection.salesforce, stored.salesforce);
  const marketo = fromStatus(answer.state.connection.marketo, stored.marketo);
  return {
    kind: 'status',
    salesforce,
    marketo,
    notConnected: salesforce.state === 'not-configured' || marketo.state === 'not-configured',
    sync: answer.state,
  };
}
