import type { ConnectionStatus, PopupView, SyncStateView } from '../lib/messaging/views';

// What the popup's header shows, from the stored connections (the background's PopupView) and its
// answer to getSyncState (which may be missing: a handler failing, an old worker).

export type BackgroundAnswer =
  | { kind: 'loading' }
  | { kind: 'ok'; state: SyncStateView }
  | { kind: 'error'; code: string; message: string };

export interface ConnectionLine {
  state: ConnectionStatus['state'];
  label: string;
  error?: string;
  /** Session expired: the org to log in to. */
  loginUrl?: string;
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
      /** In service mode (issue 21) its `service` names the service the cycles run in. */
      sync?: SyncStateView;
    };

/** Connection lines from the stored connections, for when the background has not said more. */
function storedLines(view: PopupView): { salesforce: ConnectionLine; marketo: ConnectionLine } {
  const line = (label: string | undefined): ConnectionLine =>
    label ? { state: 'unchecked', label } : { state: 'not-configured', label: 'Not connected' };
  return { salesforce: line(view.salesforceLabel), marketo: line(view.marketoLabel) };
}

function fromStatus(status: ConnectionStatus, fallback: ConnectionLine): ConnectionLine {
  return {
    state: status.state,
    label: status.label ?? (status.state === 'not-configured' ? 'Not connected' : fallback.label),
    ...(status.error !== undefined && { error: status.error }),
    ...(status.loginUrl !== undefined && { loginUrl: status.loginUrl }),
  };
}

export function headerModel(view: PopupView, answer: BackgroundAnswer): HeaderModel {
  // The seed dashboard is admin-only; a non-admin sees nothing of the sync.
  if (view.isAdmin === false) return { kind: 'admin-required' };
  const stored = storedLines(view);
  const { service } = view;
  if (answer.kind !== 'ok') {
    return {
      kind: 'status',
      ...stored,
      // In service mode the stored lines name the service's org (lib/serviceMode/popupView.ts).
      notConnected: stored.salesforce.state === 'not-configured' || stored.marketo.state === 'not-configured',
      ...(answer.kind === 'error' && {
        backgroundProblem:
          // unknown-message: a background without this handler (yet) answers for the other messages.
          answer.code === 'no-handler' || answer.code === 'unknown-message'
            ? 'Background not answering'
            : // The service's failures say what failed where (lib/serviceMode/errors.ts).
              service
              ? answer.message
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

/** The last cycle that has ended (null: none yet), to notice the next one ending. */
export const endedCycleId = (state: SyncStateView): number | null =>
  state.lastCycle && state.lastCycle.endedAt != null ? state.lastCycle.id : null;

/** What a screen reader hears when a cycle ends: "Sync cycle 12 ended: Completed". */
export const cycleEndNews = (cycle: NonNullable<SyncStateView['lastCycle']>): string =>
  `Sync cycle ${cycle.id} ended: ${cycle.status}`;
