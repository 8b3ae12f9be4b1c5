import type { Direction } from '../settings/defaultMappings';

// What the background answers the options page about connections. None of these carries a
// secret: the Marketo client secret and the Salesforce tokens are only ever reported as present
// or not (`secretSaved`, `hasRefreshToken`).

export interface SalesforceUserView {
  id: string;
  username: string;
  displayName: string;
  isAdmin: boolean;
  /** IANA zone; known after a detection or a test (not stored with the connection). */
  timeZone?: string;
}

export interface SalesforceConnectionView {
  mode: 'session' | 'oauth';
  /** True when there is an org to call (and, for OAuth, a refresh token). */
  connected: boolean;
  instanceUrl?: string;
  loginHost: string;
  clientId?: string;
  orgId?: string;
  user?: SalesforceUserView;
  hasRefreshToken: boolean;
  /** Disconnect could not revoke the grant at Salesforce (it was forgotten here anyway). */
  revokeError?: string;
}

export interface MarketoConnectionView {
  configured: boolean;
  restEndpoint?: string;
  clientId?: string;
  /** Whether a client secret is stored; the secret itself never leaves the background. */
  secretSaved: boolean;
}

export interface ConnectionsView {
  salesforce: SalesforceConnectionView;
  marketo: MarketoConnectionView;
  /** The OAuth callback to register on the connected app (chrome.identity.getRedirectURL). */
  oauthRedirectUri: string;
  lastTest?: ConnectionTestView;
}

export type PreflightKind =
  | 'object-unreadable'
  | 'object-read-only'
  | 'field-unreadable'
  | 'field-read-only'
  | 'formula-field'
  | 'filter-field-missing'
  | 'filter-field-not-checkbox';

/** One problem with the sync user's access, and what to do about it. */
export interface PreflightFinding {
  kind: PreflightKind;
  severity: 'error' | 'warning';
  object: string;
  field?: string;
  direction?: Direction;
  message: string;
  fix: string;
}

export interface ApiUsageView {
  used: number;
  /** The provider's daily allowance, when the API reports it (Salesforce does, Marketo does not). */
  max?: number;
  /** What the sync may spend per day under the API budget setting. */
  budget: number;
}

export type SideTest<Who> =
  | { ok: true; who: Who; usage: ApiUsageView }
  | { ok: false; error: string; notConfigured?: boolean };

export interface SalesforceWho {
  username: string;
  displayName: string;
  orgId: string;
  instanceHost: string;
  timeZone: string;
  isAdmin: boolean;
  mode: 'session' | 'oauth';
}

export interface MarketoWho {
  /** The API-only user the LaunchPoint service runs as (the identity answer's `scope`). */
  apiUser?: string;
  endpointHost: string;
}

export interface ConnectionTestView {
  checkedAt: number;
  salesforce?: SideTest<SalesforceWho> & { preflight?: PreflightFinding[] };
  marketo?: SideTest<MarketoWho>;
}

/** A Salesforce field as the mapping editor suggests it. */
export interface FieldChoice {
  name: string;
  label: string;
  type: string;
  formula: boolean;
  updateable: boolean;
}

export interface ObjectFieldsView {
  objectType: string;
  salesforce: FieldChoice[];
  /** Marketo lead fields (REST names), for person objects; empty when Marketo is not reachable. */
  marketo: { name: string; label: string }[];
  error?: string;
}
