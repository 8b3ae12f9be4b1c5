// Why a call to the service's status API failed, in words the popup, the dashboard, the record
// panel and the options page's Test show as they are (docs/service-mode.md).

export type ServiceFailure =
  /** No HTTP answer: refused connection, DNS, TLS, timeout, no host access. */
  | 'unreachable'
  /** 401: the token is not this org's. */
  | 'token-refused'
  /** 404 from the service: no such org (or route: an older service). */
  | 'not-found'
  /** Any other non-2xx answer. */
  | 'http'
  /** A 2xx answer this extension cannot read (not JSON, or not the status API's shape). */
  | 'bad-answer';

export class ServiceError extends Error {
  constructor(
    readonly failure: ServiceFailure,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** `TypeError: fetch failed` hides its reason in `cause` (Node's undici: ECONNREFUSED …). */
export function networkReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'no answer in time';
  const cause = (error as { cause?: unknown }).cause;
  const detail =
    cause instanceof Error
      ? ((cause as { code?: string }).code ?? cause.message)
      : typeof cause === 'string'
        ? cause
        : undefined;
  return detail && !error.message.includes(detail) ? `${error.message} (${detail})` : error.message;
}
