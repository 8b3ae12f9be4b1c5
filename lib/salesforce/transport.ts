// The single place that sends HTTP to the Salesforce REST API: bearer auth from the injected
// token source (one refresh and retry on 401), per-request timeout, retries with back-off for
// 5xx / timeouts / dropped connections, a count per endpoint, the Sforce-Limit-Info usage after
// every response, and a zod parse of every body.
import type { z } from 'zod';
import { parseWith, ResponseShapeError, readJson } from '../http/parse';
import { type ApiCallCounter, type ClockPort, type FetchPort, systemClock } from '../http/ports';
import {
  defaultRetryPolicy,
  fetchWithTimeout,
  parseRetryAfter,
  type RetryPolicy,
  withRetry,
} from '../http/retry';
import {
  errorFromResponse,
  isRetryableSalesforceError,
  SalesforceApiError,
  UI_ONLY_SESSION_MESSAGE,
} from './errors';
import { ApiUsageTracker, parseLimitInfo } from './limits';
import { ErrorBody } from './schemas';

export interface SalesforceSession {
  /** e.g. https://acme.my.salesforce.com (never the Lightning UI host). */
  instanceUrl: string;
  accessToken: string;
}

/** Where the client gets its bearer token: the admin's browser session or an OAuth grant. */
export interface TokenSource {
  session(): Promise<SalesforceSession>;
  /**
   * Called once after a 401 on `expired`: a fresh session, or a SalesforceApiError of kind 'auth'
   * ("log in again") when there is none.
   */
  refresh(expired: SalesforceSession): Promise<SalesforceSession>;
}

export interface TransportOptions {
  fetch: FetchPort;
  tokens: TokenSource;
  clock?: ClockPort;
  counter?: ApiCallCounter;
  /** e.g. "62.0" */
  apiVersion?: string;
  retry?: RetryPolicy;
  timeoutMs?: number;
  /** Sent as `Sforce-Call-Options: client=…` so admins can tell the extension's calls apart. */
  clientName?: string;
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface RequestSpec<S extends z.ZodType> {
  method: HttpMethod;
  /** Under /services/data/vNN.N (e.g. "/query"), or a full "/services/…" path such as nextRecordsUrl. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Short name used for counting and in errors, e.g. "query", "composite/sobjects". */
  endpoint: string;
  schema: S;
  /**
   * false for a request that must not be sent twice (creating records): after a dropped connection
   * or a timeout Salesforce may have carried it out without the answer reaching us, so it is not
   * retried; the caller decides (Push New looks the records up before creating them again).
   */
  idempotent?: boolean;
  /** Sees each attempt's raw exchange (token left out); only Replay asks for it. */
  capture?: (exchange: HttpExchange) => void;
}

/**
 * One HTTP request and its answer as sent and received (Replay as the sync user shows it): the
 * bearer token is never part of it, the other request headers are, and the answer's body is its
 * text as it came.
 */
export interface HttpExchange {
  request: { method: HttpMethod; url: string; headers: Record<string, string>; body?: string };
  response: { status: number; statusText: string; headers: Record<string, string>; body: string };
}

/** Answer headers worth showing: what the body is, and the org's API usage it reports. */
const SHOWN_RESPONSE_HEADERS = ['content-type', 'sforce-limit-info'];

export interface SalesforceResponse<T> {
  status: number;
  headers: Headers;
  /** undefined for 204 No Content and 304 Not Modified. */
  data: T | undefined;
}

export const DEFAULT_API_VERSION = '62.0';

export class SalesforceTransport {
  readonly apiVersion: string;
  readonly usage = new ApiUsageTracker();
  readonly clock: ClockPort;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;

  constructor(private readonly options: TransportOptions) {
    this.apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
    this.clock = options.clock ?? systemClock;
    this.retry = options.retry ?? defaultRetryPolicy;
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  get counter(): ApiCallCounter | undefined {
    return this.options.counter;
  }

  async session(): Promise<SalesforceSession> {
    return this.options.tokens.session();
  }

  async send<S extends z.ZodType>(spec: RequestSpec<S>): Promise<SalesforceResponse<z.output<S>>> {
    const tokens = this.options.tokens;
    let refreshed = false;
    return withRetry(
      this.clock,
      this.retry,
      async () => {
        const session = await tokens.session();
        try {
          return await this.attempt(spec, session);
        } catch (error) {
          if (refreshed || !isExpiredSession(error)) throw error;
          // Salesforce gives no expiry time: a 401 is the only signal, so refresh once and resend.
          refreshed = true;
          return this.attempt(spec, await tokens.refresh(session));
        }
      },
      (error) =>
        isRetryableSalesforceError(error) && (spec.idempotent !== false || !mayHaveBeenCarriedOut(error)),
      (error) => (error instanceof SalesforceApiError ? error.retryAfterMs : undefined),
    );
  }

  /** send() for calls whose success always has a body (not 204/304). */
  async data<S extends z.ZodType>(spec: RequestSpec<S>): Promise<z.output<S>> {
    const { data, status } = await this.send(spec);
    if (data === undefined)
      throw new ResponseShapeError(`Salesforce ${spec.endpoint}`, '', `HTTP ${status} without a body`);
    return data;
  }

  url(session: SalesforceSession, path: string, query?: Record<string, string>): string {
    const base = session.instanceUrl.replace(/\/+$/, '');
    const full = path.startsWith('/services/') ? path : `/services/data/v${this.apiVersion}${path}`;
    const search = query ? new URLSearchParams(query).toString() : '';
    return `${base}${full}${search ? (full.includes('?') ? '&' : '?') + search : ''}`;
  }

  private async attempt<S extends z.ZodType>(
    spec: RequestSpec<S>,
    session: SalesforceSession,
  ): Promise<SalesforceResponse<z.output<S>>> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${session.accessToken}`,
      Accept: 'application/json',
      ...(this.options.clientName ? { 'Sforce-Call-Options': `client=${this.options.clientName}` } : {}),
      ...spec.headers,
    };
    let body: string | undefined;
    if (spec.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(spec.body);
    }
    const url = this.url(session, spec.path, spec.query);
    this.options.counter?.add('salesforce', spec.endpoint);
    let response: Response;
    try {
      response = await fetchWithTimeout(
        this.options.fetch,
        url,
        // Never the browser's HTTP cache: a describe carries Last-Modified, so Chromium would keep
        // it and revalidate with its own If-Modified-Since; Salesforce's 304 (field-level security
        // edits do not move the object's date) would then come back as the stale copy with a 200.
        // The client caches what it wants itself (describe.ts).
        { method: spec.method, headers, body, cache: 'no-store' },
        this.timeoutMs,
      );
    } catch (error) {
      throw this.transportError(error, spec.endpoint);
    }
    const usage = parseLimitInfo(response.headers.get('Sforce-Limit-Info'));
    if (usage) this.usage.record(usage, this.clock.now());
    if (spec.capture) await captureExchange(spec, url, headers, body, response);

    if (response.status === 204 || response.status === 304) {
      await response.body?.cancel();
      return { status: response.status, headers: response.headers, data: undefined };
    }
    if (!response.ok) throw await this.errorFrom(response, spec.endpoint);
    const label = `Salesforce ${spec.endpoint}`;
    let json: unknown;
    try {
      json = await readJson(response, label);
    } catch (error) {
      if (error instanceof ResponseShapeError) throw error;
      throw this.transportError(error, spec.endpoint);
    }
    return { status: response.status, headers: response.headers, data: parseWith(spec.schema, json, label) };
  }

  private async errorFrom(response: Response, endpoint: string): Promise<SalesforceApiError> {
    let text = '';
    try {
      text = await response.text();
    } catch {
      // The error status is what matters; a body cut short does not change it.
    }
    let entry: { errorCode?: string; message?: string; fields?: string[] } | undefined;
    try {
      const parsed = ErrorBody.safeParse(JSON.parse(text));
      if (parsed.success) entry = parsed.data[0];
    } catch {
      // Not JSON: an HTML error page means the org is unreachable or the host is wrong (api-facts A10).
    }
    if (!entry && text.trim() === 'Bad_OAuth_Token') {
      // The OAuth endpoints (userinfo) answer an expired token with a plain-text 403, not the
      // REST 401: treat it as the expired session it is, so the one refresh applies.
      return errorFromResponse(
        401,
        { errorCode: 'INVALID_SESSION_ID', message: 'Bad_OAuth_Token' },
        endpoint,
      );
    }
    if (!entry && text)
      entry = { message: `HTTP ${response.status}: ${text.replace(/\s+/g, ' ').slice(0, 120)}` };
    const retryAfter = parseRetryAfter(response.headers.get('Retry-After'), this.clock.now());
    return errorFromResponse(response.status, entry, endpoint, retryAfter);
  }

  private transportError(error: unknown, endpoint: string): SalesforceApiError {
    if (error instanceof SalesforceApiError) return error;
    const name = error instanceof Error ? error.name : '';
    if (name === 'TimeoutError') {
      return new SalesforceApiError(
        'TIMEOUT',
        `Salesforce did not answer within ${this.timeoutMs} ms`,
        endpoint,
        'timeout',
      );
    }
    const cause =
      error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : '';
    return new SalesforceApiError(
      'NETWORK_ERROR',
      `Could not reach Salesforce: ${cause || String(error)}`,
      endpoint,
      'network',
    );
  }
}

/** Hands the attempt's exchange to `spec.capture`, reading a copy of the body (the caller reads its own). */
async function captureExchange(
  spec: RequestSpec<z.ZodType>,
  url: string,
  sent: Record<string, string>,
  body: string | undefined,
  response: Response,
): Promise<void> {
  const { Authorization: _token, ...headers } = sent;
  let text = '';
  try {
    text = await response.clone().text();
  } catch {
    // A body cut short: the exchange still shows the status.
  }
  const shown: Record<string, string> = {};
  for (const name of SHOWN_RESPONSE_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) shown[name] = value;
  }
  spec.capture?.({
    request: { method: spec.method, url, headers, ...(body !== undefined && { body }) },
    response: { status: response.status, statusText: response.statusText, headers: shown, body: text },
  });
}

function isExpiredSession(error: unknown): boolean {
  return (
    error instanceof SalesforceApiError &&
    error.httpStatus === 401 &&
    !error.message.includes(UI_ONLY_SESSION_MESSAGE)
  );
}

/** A request whose answer was lost on the way (dropped connection, timeout) may have been carried out. */
function mayHaveBeenCarriedOut(error: unknown): boolean {
  return error instanceof SalesforceApiError && (error.kind === 'network' || error.kind === 'timeout');
}
