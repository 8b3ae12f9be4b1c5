// lib/salesforce: the only code that talks to the Salesforce REST API.

export { MemoryCookieJar } from './auth/cookieJar';
export {
  authorize,
  buildAuthorizeUrl,
  createPkcePair,
  exchangeCode,
  type OAuthConfig,
  type OAuthDeps,
  type OAuthTokens,
  pkceChallenge,
  refreshAccessToken,
  revokeToken,
  type WebAuthFlowPort,
} from './auth/oauth';
export { OAuthTokenSource } from './auth/oauthTokenSource';
export {
  apiHostFor,
  apiOriginFor,
  BrowserSessionTokenSource,
  type Cookie,
  type CookiePort,
  type DiscoveredSession,
  discoverSession,
  fixedSession,
} from './auth/session';
export { SalesforceClient, type SalesforceClientOptions } from './client';
export { COLLECTION_LIMIT, type CollectionOptions, type FieldValues, type SaveResult } from './collections';
export { type ChangeProbe, type SubResponse, type Subrequest, subrequestBody } from './composite';
export { type DescribeCache, type DescribeCacheEntry, type Described, MemoryDescribeCache } from './describe';
export { isRetryableSalesforceError, SalesforceApiError, type SalesforceErrorKind } from './errors';
export { isSalesforceId, toId15, toId18 } from './ids';
export { type ApiUsage, parseLimitInfo } from './limits';
export { clampBatchSize, type QueryOptions, type QueryPage } from './query';
export type { DeletedWindow, ReplicationRequest, UpdatedWindow } from './replication';
export type {
  DescribeField,
  DescribeGlobal,
  DescribeSObject,
  LimitsResponse,
  SObjectRecord,
} from './schemas';
export * as soql from './soql';
export type { SalesforceSession, TokenSource } from './transport';
export type { CurrentUser } from './user';
