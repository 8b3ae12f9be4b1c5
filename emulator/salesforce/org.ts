// One emulated Salesforce org: schema, records, sessions, API allowance, open query cursors
// and the options that make uncertain behaviour configurable (api-facts part D).
import type { Clock } from '../clock';
import { AuthStore } from './auth';
import { ApiUsage } from './limits';
import { LocatorStore } from './locators';
import { Schema } from './schema';
import { SalesforceStore } from './store';
import { bootstrapOrg, type OrgPrincipals, UserContext } from './users';

export interface SalesforceOptions {
  /** Connected app consumer key for the OAuth web-server flow. */
  clientId?: string;
  /** If set, the token endpoint requires it (a "confidential" connected app). */
  clientSecret?: string;
  /** Allowed OAuth callback URLs; empty = any. */
  redirectUris?: string[];
  /** Rolling 24-hour API allowance (Developer Edition ≈ 15,000). */
  dailyApiRequests?: number;
  minApiVersion?: number;
  maxApiVersion?: number;
  /** Whether lead conversion bumps Lead.SystemModstamp/LastModifiedDate (unconfirmed, part D.1). */
  conversionBumpsModstamp?: boolean;
  /** Whether lead conversion moves the lead's Tasks and Events to the contact (default true; activityRules.ts). */
  conversionMovesActivities?: boolean;
  updatedWindowDays?: number;
  deletedWindowDays?: number;
  /** More ids than this in one updated/deleted answer gives EXCEEDED_ID_LIMIT. */
  maxReplicationIds?: number;
  /** Idle session timeout; default none. */
  sessionTimeoutMs?: number;
  orgName?: string;
}

export type ResolvedSalesforceOptions = Required<Omit<SalesforceOptions, 'clientSecret'>> & {
  clientSecret?: string;
};

export function resolveSalesforceOptions(o: SalesforceOptions = {}): ResolvedSalesforceOptions {
  return {
    clientId: o.clientId ?? '3MVG9emulatorSyncStatusClientId',
    clientSecret: o.clientSecret,
    redirectUris: o.redirectUris ?? [],
    dailyApiRequests: o.dailyApiRequests ?? 15000,
    minApiVersion: o.minApiVersion ?? 31,
    maxApiVersion: o.maxApiVersion ?? 66,
    conversionBumpsModstamp: o.conversionBumpsModstamp ?? true,
    conversionMovesActivities: o.conversionMovesActivities ?? true,
    updatedWindowDays: o.updatedWindowDays ?? 30,
    deletedWindowDays: o.deletedWindowDays ?? 15,
    maxReplicationIds: o.maxReplicationIds ?? 600_000,
    sessionTimeoutMs: o.sessionTimeoutMs ?? Number.POSITIVE_INFINITY,
    orgName: o.orgName ?? 'Emulated Sync Org',
  };
}

export class SalesforceOrg {
  store: SalesforceStore;
  principals: OrgPrincipals;
  readonly auth: AuthStore;
  readonly usage: ApiUsage;
  readonly locators: LocatorStore;
  /** The API host, e.g. http://127.0.0.1:51234 (set once the server listens). */
  baseUrl = '';
  /** The admin's session id, printed in the CLI line. */
  adminSid = '';
  oauthBlocked = false;

  constructor(
    readonly clock: Clock,
    readonly options: ResolvedSalesforceOptions,
  ) {
    this.store = new SalesforceStore(new Schema(clock.now()), clock);
    this.principals = bootstrapOrg(this.store, options.orgName);
    this.auth = new AuthStore(this.principals.orgId.slice(0, 15), () => clock.now());
    this.auth.sessionTimeoutMs = options.sessionTimeoutMs;
    this.usage = new ApiUsage(clock, options.dailyApiRequests);
    this.locators = new LocatorStore(() => clock.now());
    this.adminSid = this.auth.createSession(this.principals.adminUserId, 'sid').token;
  }

  /** Empty org again (same org id, users and sessions); the seed is applied by the caller. */
  resetData(): void {
    this.store = new SalesforceStore(new Schema(this.clock.now()), this.clock);
    this.principals = bootstrapOrg(this.store, this.options.orgName);
    this.locators.clear();
  }

  userContext(userId: string): UserContext | undefined {
    return UserContext.load(this.store, userId);
  }
}
