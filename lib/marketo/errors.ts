import { ResponseShapeError } from '../http/parse';

// The one error type the Marketo client throws for API failures (a body that does not parse is a
// ResponseShapeError from lib/http/parse instead). `code` is kept as the API gives it: Marketo's
// quoted integers ("601", "1003"), the identity service's OAuth words ("invalid_client"), or
// "HTTP 502", "timeout", "network" and "DAILY_BUDGET" for failures that never reached an envelope.

export type MarketoErrorKind =
  | 'auth' // bad or missing credentials, or a token Marketo refused twice
  | 'quota' // the daily quota (607) or the client's own daily budget is spent: stop until tomorrow
  | 'rate-limit' // 606 / 615: the call limits were hit anyway; retried after a back-off
  | 'transient' // 5xx, 604/608/611/713: retried with back-off
  | 'network' // dropped connection, refused connection: retried
  | 'timeout' // no answer within the per-request timeout: retried
  | 'request'; // anything else (bad field, bad filter, not found...): not retried

export class MarketoApiError extends Error {
  override readonly name = 'MarketoApiError';

  constructor(
    readonly code: string,
    message: string,
    readonly endpoint: string,
    readonly retryable: boolean,
    readonly kind: MarketoErrorKind,
    /** A server's hint (Retry-After) or the back-off the code calls for, in ms. */
    readonly retryAfterMs?: number,
    readonly httpStatus?: number,
  ) {
    super(`${message} (${code}, ${endpoint})`);
  }
}

/** Codes Marketo documents as transient: retry after a back-off (api-facts B3). */
const TRANSIENT_CODES = new Set(['604', '608', '611', '713', '719']);

/**
 * Maps a `success:false` envelope error to a typed error. 601/602 come out non-retryable: the client
 * re-authenticates and retries them exactly once itself, so a second one means the token is refused.
 */
export function errorFromEnvelope(
  code: string,
  message: string,
  endpoint: string,
  rateWindowMs: number,
): MarketoApiError {
  switch (code) {
    case '601':
    case '602':
      return new MarketoApiError(
        code,
        `Marketo refused the access token: ${message}`,
        endpoint,
        false,
        'auth',
      );
    case '603':
      return new MarketoApiError(
        code,
        `Marketo denied access: ${message}; check the API user's role and IP allowlist`,
        endpoint,
        false,
        'auth',
      );
    case '606':
      // The rolling window is full: nothing helps before calls age out of it.
      return new MarketoApiError(code, message, endpoint, true, 'rate-limit', rateWindowMs);
    case '615':
      return new MarketoApiError(code, message, endpoint, true, 'rate-limit', 1_000);
    case '607':
      return new MarketoApiError(
        code,
        `Marketo daily API quota spent: ${message}; calls resume after 00:00 US Central`,
        endpoint,
        false,
        'quota',
      );
    default:
      if (TRANSIENT_CODES.has(code)) return new MarketoApiError(code, message, endpoint, true, 'transient');
      return new MarketoApiError(code, message, endpoint, false, 'request');
  }
}

export function isRetryableMarketoError(error: unknown): boolean {
  return error instanceof MarketoApiError && error.retryable;
}

/**
 * Maps what fetch and body reading throw into typed errors: timeouts and dropped connections are
 * retryable; our own typed errors pass through untouched.
 */
export function transportError(error: unknown, endpoint: string): unknown {
  if (error instanceof MarketoApiError || error instanceof ResponseShapeError) return error;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new MarketoApiError('timeout', 'Marketo did not answer in time', endpoint, true, 'timeout');
  }
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  const message = error instanceof Error ? error.message : String(error);
  return new MarketoApiError(
    'network',
    `Connection to Marketo failed (${message}${cause})`,
    endpoint,
    true,
    'network',
  );
}
