import { z } from 'zod';
import { stepFilterSchema, stepSortSchema } from '../db/stepFilterSchemas';
import { EXPORT_CHANNEL_PATTERN } from '../export/exportChannel';
import { panelUiSchema } from '../pages/panelUiSchema';
import type { PanelUiState } from '../pages/panelUiState';
import { isSalesforceId, toId18 } from '../salesforce/ids';
import type { ReplayAnswer } from '../scheduler/scheduler';
import {
  detectSessionRequest,
  marketoSaveRequest,
  oauthConnectRequest,
  objectFieldsRequest,
  testConnectionsRequest,
} from './connectionRequests';
import type {
  ConnectionsView,
  ConnectionTestView,
  MarketoConnectionView,
  ObjectFieldsView,
  SalesforceConnectionView,
} from './connectionViews';
import type { ContentScriptScope } from './contentScriptScope';
import type { EmailFolderChoicesView } from './emailFolderViews';
import type { ProgramPairChoicesView } from './programPairViews';
import { serviceModeProtocol } from './serviceProtocol';
import type {
  PopupView,
  RecordPanelAnswer,
  RetryCauseAnswer,
  SyncRequestResult,
  SyncStateView,
} from './views';

// Every message between the extension's contexts, in one table. A message is a zod schema for its
// request (parsed by the receiver, which refuses a bad payload naming the field), the TypeScript
// type of its answer, and whether content scripts may send it. Adding a message is one line here
// plus one `router.onMessage(name, handler)` in the background.
//
// Content scripts run inside Salesforce pages, the least trusted place the extension has code in,
// so they may only ask about records and request a record's sync; commands that change what the
// sync does (pause, run a cycle) are accepted from the extension's own pages only.

/** Phantom marker carrying a message's response type; it has no runtime content. */
export interface Returns<T> {
  readonly __response?: T;
}
const returns = <T>(): Returns<T> => ({});

export interface MessageSpec {
  request: z.ZodType;
  response: Returns<unknown>;
  /** Whether content scripts may send it, and from which pages (lib/messaging/contentScriptScope.ts). */
  contentScripts: false | ContentScriptScope;
}

const sObjectName = z
  .string()
  .max(80)
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'not a Salesforce object API name');

/** A 15- or 18-character id (checksum checked), answered with the 18-character form. */
export const recordIdSchema = z
  .string()
  .refine(isSalesforceId, 'not a Salesforce record id (15 or 18 letters and digits, valid checksum)')
  .transform(toId18);

const recordRef = z.strictObject({ objectType: sObjectName, recordId: recordIdSchema });
const none = z.strictObject({});
/** A cause of the dashboard's errors (lib/dashboard/errorCauses.ts): `Object|CODE|Field; Field`. */
const causeKeySchema = z
  .string()
  .max(2000)
  .regex(/^[A-Za-z][A-Za-z0-9_ ]*\|[^|]+\|[^|]*$/, 'not an error cause (Object|CODE|fields)');

export const protocol = {
  getRecordStatus: {
    request: recordRef,
    response: returns<RecordPanelAnswer>(),
    contentScripts: 'own-record',
  },
  syncRecord: { request: recordRef, response: returns<SyncRequestResult>(), contentScripts: 'own-record' },
  /** The record panel's own UI state (collapsed, position), kept by the background for it. */
  getPanelUi: { request: none, response: returns<PanelUiState>(), contentScripts: 'connected-org' },
  savePanelUi: { request: panelUiSchema, response: returns<null>(), contentScripts: 'connected-org' },
  getSyncState: { request: none, response: returns<SyncStateView>(), contentScripts: false },
  getPopupView: { request: none, response: returns<PopupView>(), contentScripts: false },
  syncNow: { request: none, response: returns<SyncRequestResult>(), contentScripts: false },
  /** A cycle that also runs Reconcile now ("Check both sides now" on the dashboard). */
  reconcileNow: { request: none, response: returns<SyncRequestResult>(), contentScripts: false },
  setPaused: {
    request: z.strictObject({ paused: z.boolean() }),
    response: returns<SyncStateView>(),
    contentScripts: false,
  },
  // The CSV comes on the request's BroadcastChannel (a Blob; see lib/export/syncErrorsExport).
  exportSyncErrors: {
    request: z.strictObject({
      channel: z.string().regex(EXPORT_CHANNEL_PATTERN, 'not an export channel name'),
      filter: stepFilterSchema,
      sort: stepSortSchema,
    }),
    response: returns<{ rows: number }>(),
    contentScripts: false,
  },
  // Connections (options page only; no answer carries a secret).
  getConnections: { request: none, response: returns<ConnectionsView>(), contentScripts: false },
  detectSalesforceSession: {
    request: detectSessionRequest,
    response: returns<SalesforceConnectionView>(),
    contentScripts: false,
  },
  connectSalesforceOAuth: {
    request: oauthConnectRequest,
    response: returns<SalesforceConnectionView>(),
    contentScripts: false,
  },
  disconnectSalesforce: {
    request: none,
    response: returns<SalesforceConnectionView>(),
    contentScripts: false,
  },
  saveMarketoConnection: {
    request: marketoSaveRequest,
    response: returns<MarketoConnectionView>(),
    contentScripts: false,
  },
  disconnectMarketo: { request: none, response: returns<MarketoConnectionView>(), contentScripts: false },
  testConnections: {
    request: testConnectionsRequest,
    response: returns<ConnectionTestView>(),
    contentScripts: false,
  },
  getObjectFields: {
    request: objectFieldsRequest,
    response: returns<ObjectFieldsView>(),
    contentScripts: false,
  },
  // The sync health dashboard (issue 18, docs/dashboard-errors.md).
  /** "Retry these now" on a cause card: its records still failing are retried in a cycle now. */
  retryCause: {
    request: z.strictObject({ cause: causeKeySchema }),
    response: returns<RetryCauseAnswer>(),
    contentScripts: false,
  },
  /**
   * Replay as the sync user (record panel): re-sends the record's failed write alone and answers
   * the raw exchange. Content scripts may ask for the record of their own page only, like Sync now.
   */
  replayRecord: { request: recordRef, response: returns<ReplayAnswer>(), contentScripts: 'own-record' },
  /** Campaigns and programs to pair (options page, issue 17). */
  getProgramPairChoices: {
    request: none,
    response: returns<ProgramPairChoicesView>(),
    contentScripts: false,
  },
  /** The email template folders to choose from (issue 20; options page only). */
  getEmailFolderChoices: {
    request: none,
    response: returns<EmailFolderChoicesView>(),
    contentScripts: false,
  },
  /** Issue 21: the log from a service, "Sync runs in" (lib/messaging/serviceProtocol.ts). */
  ...serviceModeProtocol,
} as const satisfies Record<string, MessageSpec>;

export type Protocol = typeof protocol;
export type MessageName = keyof Protocol;
/** What the sender passes (before parsing: e.g. a 15-character id). */
export type RequestOf<N extends MessageName> = z.input<Protocol[N]['request']>;
/** What the handler receives (after parsing: e.g. always the 18-character id). */
export type ParsedRequestOf<N extends MessageName> = z.output<Protocol[N]['request']>;
export type ResponseOf<N extends MessageName> = Protocol[N]['response'] extends Returns<infer T> ? T : never;
