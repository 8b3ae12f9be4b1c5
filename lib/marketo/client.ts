// The transport every Marketo API module goes through: token, rate limiter, per-request timeout,
// retries with back-off, call counting, and zod parsing of the envelope. Nothing else in lib/
// builds a Marketo URL or reads a Marketo body.
import type { z } from 'zod';
import { parseWith, readJson } from '../http/parse';
import { type ApiCallCounter, type ClockPort, type FetchPort, systemClock } from '../http/ports';
import {
  defaultRetryPolicy,
  fetchWithTimeout,
  parseRetryAfter,
  type RetryPolicy,
  withRetry,
} from '../http/retry';
import { baseEnvelopeSchema, envelopeOf, type MarketoEnvelope } from './envelope';
import { errorFromEnvelope, isRetryableMarketoError, MarketoApiError, transportError } from './errors';
import { type MarketoCredentialsPort, type MarketoSession, MarketoTokenProvider } from './identity';
import { MarketoRateLimiter, type MarketoRateLimits } from './rateLimiter';

/**
 * Token requests that failed after the token provider's own retries (identity.ts). The call around
 * them does not retry those again: an unreachable identity service would otherwise be asked
 * maxAttempts² times per call (16 requests, some 13 s, per sync step during an outage).
 */
const tokenFailures = new WeakSet<object>();

export type QueryValue = string | number | boolean | readonly (string | number)[] | undefined;

export interface MarketoCall {
  method: 'GET' | 'POST' | 'DELETE';
  /** e.g. `/rest/v1/leads.json` */
  path: string;
  /** The path with ids replaced (`/rest/v1/lead/{id}.json`), for the per-endpoint call counter. */
  template?: string;
  query?: Record<string, QueryValue>;
  /** Sent as JSON. */
  body?: unknown;
  /**
   * A write that is not idempotent (Add Custom Activities): never resent after an answer that may
   * have been lost (timeout, dropped connection, 5xx) — only after refusals that prove it was not
   * carried out (606/615 rate limits, 601/602 tokens). The caller decides what a lost answer means.
   */
  once?: boolean;
}

export interface MarketoTransportOptions {
  fetch: FetchPort;
  clock?: ClockPort;
  credentials: MarketoCredentialsPort;
  counter: ApiCallCounter;
  /** Share one limiter between clients of the same instance: the limits are per instance. */
  limiter?: MarketoRateLimiter;
  limits?: Partial<MarketoRateLimits>;
  retry?: Partial<RetryPolicy>;
  /** Per HTTP request (Marketo's own timeouts are 60–180 s depending on the call). */
  requestTimeoutMs?: number;
  /** GETs with longer URLs go straight to `POST ?_method=GET` (Marketo answers 414 above 8 KB). */
  maxUrlLength?: number;
  refreshMarginMs?: number;
}

const LONG_URI = Symbol('414');

export class MarketoTransport {
  readonly limiter: MarketoRateLimiter;
  readonly counter: ApiCallCounter;
  private readonly fetch: FetchPort;
  private readonly clock: ClockPort;
  private readonly retry: RetryPolicy;
  private readonly tokens: MarketoTokenProvider;
  private readonly requestTimeoutMs: number;
  private readonly maxUrlLength: number;

  constructor(options: MarketoTransportOptions) {
    this.fetch = options.fetch;
    this.clock = options.clock ?? systemClock;
    this.counter = options.counter;
    this.retry = { ...defaultRetryPolicy, ...options.retry };
    this.limiter = options.limiter ?? new MarketoRateLimiter(this.clock, options.limits);
    this.requestTimeoutMs = options.requestTimeoutMs ?? 120_000;
    this.maxUrlLength = options.maxUrlLength ?? 8_000;
    this.tokens = new MarketoTokenProvider({
      fetch: this.fetch,
      clock: this.clock,
      credentials: options.credentials,
      counter: this.counter,
      retry: this.retry,
      requestTimeoutMs: this.requestTimeoutMs,
      refreshMarginMs: options.refreshMarginMs ?? 60_000,
    });
  }

  /** Forget the token, e.g. after the credentials changed. */
  resetAuth(): void {
    this.tokens.reset();
  }

  /** One call: retried on transient failures, re-authenticated once on 601/602, parsed with zod. */
  async call<T extends z.ZodType>(call: MarketoCall, item: T): Promise<MarketoEnvelope<z.output<T>>> {
    const endpoint = `${call.method} ${call.template ?? call.path}`;
    const body = await withRetry(
      this.clock,
      this.retry,
      () => this.callWithAuth(call, endpoint),
      (error) =>
        !tokenFailures.has(error as object) &&
        isRetryableMarketoError(error) &&
        (!call.once || (error instanceof MarketoApiError && error.kind === 'rate-limit')),
      (error) => (error instanceof MarketoApiError ? error.retryAfterMs : undefined),
    );
    return parseWith(envelopeOf(item), body, endpoint) as MarketoEnvelope<z.output<T>>;
  }

  private async callWithAuth(call: MarketoCall, endpoint: string): Promise<unknown> {
    for (let reauthenticated = false; ; reauthenticated = true) {
      const session = await this.tokens.session().catch((error: unknown) => {
        if (typeof error === 'object' && error !== null) tokenFailures.add(error);
        throw error;
      });
      try {
        return await this.send(call, endpoint, session);
      } catch (error) {
        const refused = error instanceof MarketoApiError && (error.code === '601' || error.code === '602');
        if (!refused || reauthenticated) throw error;
        this.tokens.invalidate(session.accessToken);
      }
    }
  }

  private async send(call: MarketoCall, endpoint: string, session: MarketoSession): Promise<unknown> {
    const query = encodeQuery(call.query);
    const url = `${session.baseUrl}${call.path}${query ? `?${query}` : ''}`;
    const asForm = call.method === 'GET' && url.length > this.maxUrlLength;
    let body = asForm ? LONG_URI : await this.exchange(call, endpoint, session, url);
    if (body === LONG_URI) {
      // api-facts B2: a GET whose URI is too long is resent as POST ?_method=GET with a form body.
      body = await this.exchange(
        { method: 'POST', path: call.path },
        endpoint,
        session,
        `${session.baseUrl}${call.path}?_method=GET`,
        query,
      );
      if (body === LONG_URI)
        throw new MarketoApiError('HTTP 414', 'Request URI too long', endpoint, false, 'request');
    }
    const envelope = parseWith(baseEnvelopeSchema, body, endpoint);
    if (!envelope.success) {
      const first = envelope.errors?.[0] ?? { code: 'unknown', message: 'success:false without errors' };
      const error = errorFromEnvelope(first.code, first.message, endpoint, this.limiter.limits.windowMs);
      if (error.code === '606') this.limiter.pause(error.retryAfterMs ?? this.limiter.limits.windowMs);
      throw error;
    }
    return body;
  }

  /** One HTTP request inside one rate-limit slot, held until the body is fully read. */
  private async exchange(
    call: MarketoCall,
    endpoint: string,
    session: MarketoSession,
    url: string,
    formBody?: string,
  ): Promise<unknown> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${session.accessToken}`,
      Accept: 'application/json',
    };
    let body: string | undefined;
    if (formBody !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = formBody;
    } else if (call.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(call.body);
    }
    const slot = await this.limiter.acquire();
    let answeredAt: number | undefined;
    try {
      this.counter.add('marketo', endpoint);
      const response = await fetchWithTimeout(
        this.fetch,
        url,
        { method: call.method, headers, body },
        this.requestTimeoutMs,
      );
      answeredAt = this.clock.now();
      // 414 is Marketo's answer; 431 is what a web tier says when the request line outgrows its
      // header buffer. Both mean the same thing here: the query string must travel in the body.
      if (response.status === 414 || response.status === 431) {
        await response.text();
        return LONG_URI;
      }
      if (response.status >= 500) {
        await response.text();
        throw new MarketoApiError(
          `HTTP ${response.status}`,
          `Marketo answered HTTP ${response.status}`,
          endpoint,
          true,
          'transient',
          parseRetryAfter(response.headers.get('Retry-After'), this.clock.now()),
          response.status,
        );
      }
      if (response.status !== 200) {
        const text = await response.text();
        throw new MarketoApiError(
          `HTTP ${response.status}`,
          `Marketo answered HTTP ${response.status}: ${text
            .replace(/<[^>]*>/g, ' ')
            .trim()
            .slice(0, 120)}`,
          endpoint,
          false,
          'request',
          undefined,
          response.status,
        );
      }
      return await readJson(response, endpoint);
    } catch (error) {
      throw transportError(error, endpoint);
    } finally {
      slot.release(answeredAt);
    }
  }
}

function encodeQuery(query: MarketoCall['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    params.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  return params.toString();
}
