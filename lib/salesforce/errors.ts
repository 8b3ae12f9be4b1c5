// The one error type the Salesforce client throws for API failures. A body that is not JSON or does
// not match its schema is a ResponseShapeError (lib/http/parse) instead, naming endpoint and field.
//
// `errorCode` is Salesforce's own code when the body carried one (INVALID_SESSION_ID,
// REQUEST_LIMIT_EXCEEDED, MALFORMED_QUERY…), an OAuth error word (invalid_grant…), or one of
// the client's codes for failures that never produced a Salesforce body:
// HTTP_<status>, TIMEOUT, NETWORK_ERROR, NO_SESSION, OAUTH_STATE_MISMATCH.

export type SalesforceErrorKind =
  | 'auth' // session missing, expired and not refreshable, UI-only sid, OAuth refused
  | 'limit' // REQUEST_LIMIT_EXCEEDED: the org's rolling 24 h allowance is spent; not retried
  | 'transient' // 5xx, 420, 429: retried with back-off
  | 'network' // dropped or refused connection: retried
  | 'timeout' // no answer within the per-request timeout: retried
  | 'request'; // anything else (bad SOQL, bad field, not found, replication date…): not retried

export class SalesforceApiError extends Error {
  override readonly name = 'SalesforceApiError';

  constructor(
    readonly errorCode: string,
    message: string,
    readonly endpoint: string,
    readonly kind: SalesforceErrorKind,
    /** 0 when no HTTP response arrived (timeout, network). */
    readonly httpStatus = 0,
    readonly fields: readonly string[] = [],
    /** A server's Retry-After, in ms. */
    readonly retryAfterMs?: number,
  ) {
    super(`${message} (${errorCode}, ${endpoint})`);
  }

  get retryable(): boolean {
    return this.kind === 'transient' || this.kind === 'network' || this.kind === 'timeout';
  }
}

/** The text Salesforce sends when a restricted Lightning/Visualforce sid is used on REST (api-facts A2.1). */
export const UI_ONLY_SESSION_MESSAGE = 'This session is not valid for use with the REST API';

export const LOGIN_AGAIN_HINT = 'open Salesforce in a tab and log in again';

/** Maps a non-2xx status and the first entry of Salesforce's `[{errorCode,message,fields}]` body. */
export function errorFromResponse(
  status: number,
  entry: { errorCode?: string; message?: string; fields?: string[] } | undefined,
  endpoint: string,
  retryAfterMs?: number,
): SalesforceApiError {
  const code = entry?.errorCode ?? `HTTP_${status}`;
  const message = entry?.message ?? `HTTP ${status}`;
  const fields = entry?.fields ?? [];
  if (code === 'REQUEST_LIMIT_EXCEEDED') {
    // Waiting minutes does not help a rolling 24-hour allowance; the caller must stop and report.
    return new SalesforceApiError(
      code,
      `Salesforce API request limit exceeded: ${message}`,
      endpoint,
      'limit',
      status,
      fields,
    );
  }
  if (status === 401 || code === 'INVALID_SESSION_ID') {
    const text = message.includes(UI_ONLY_SESSION_MESSAGE)
      ? `${message}: this is a UI-only session; ${LOGIN_AGAIN_HINT}`
      : `Salesforce session expired or invalid (${message}); ${LOGIN_AGAIN_HINT}`;
    return new SalesforceApiError(code, text, endpoint, 'auth', status, fields);
  }
  if (code === 'API_DISABLED_FOR_ORG' || code === 'API_CURRENTLY_DISABLED') {
    return new SalesforceApiError(code, message, endpoint, 'auth', status, fields);
  }
  if (status >= 500 || status === 420 || status === 429) {
    return new SalesforceApiError(code, message, endpoint, 'transient', status, fields, retryAfterMs);
  }
  return new SalesforceApiError(code, message, endpoint, 'request', status, fields);
}

export function isRetryableSalesforceError(error: unknown): boolean {
  return error instanceof SalesforceApiError && error.retryable;
}
