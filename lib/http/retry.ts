import type { ClockPort } from './ports';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Give up when the next wait would pass this much time since the first attempt. */
  maxElapsedMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  maxElapsedMs: 60_000,
};

/** Exponential backoff with full jitter; a server's Retry-After wins when it is longer. */
export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs?: number,
  random = Math.random,
) {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.round(cap / 2 + (random() * cap) / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** Parses Retry-After as seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Runs `attempt` until it succeeds, the error is not retryable, or the policy is spent.
 * `isRetryable` decides per error; `retryAfterMs` may read a server hint from it.
 */
export async function withRetry<T>(
  clock: ClockPort,
  policy: RetryPolicy,
  attempt: (n: number) => Promise<T>,
  isRetryable: (error: unknown) => boolean,
  retryAfterMs: (error: unknown) => number | undefined = () => undefined,
): Promise<T> {
  const started = clock.now();
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (n >= policy.maxAttempts || !isRetryable(error)) throw error;
      const delay = backoffDelay(policy, n, retryAfterMs(error));
      if (clock.now() - started + delay > policy.maxElapsedMs) throw error;
      await clock.sleep(delay);
    }
  }
}

/** fetch with a per-request timeout; the timeout surfaces as a TimeoutError DOMException. */
export async function fetchWithTimeout(
  fetchPort: (input: string, init?: RequestInit) => Promise<Response>,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<Response> {
  const signal = AbortSignal.timeout(timeoutMs);
  return fetchPort(url, { ...init, signal: init.signal ? AbortSignal.any([init.signal, signal]) : signal });
}
