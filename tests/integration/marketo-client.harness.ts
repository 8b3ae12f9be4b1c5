// Shared setup for the Marketo client's integration tests: the emulator (both ports, with fault
// injection) on free loopback ports, a client wired to it with real fetch, and an observer that
// tallies the error codes the server actually sent (so "no 606" is checked on the wire, not inside
// the client).
import { type Emulator, startEmulator } from '../../emulator';
import type { MarketoEmulator } from '../../emulator/marketo';
import type { MarketoLimits } from '../../emulator/marketo/limits';
import { ApiCallCounter, type ClockPort, type FetchPort } from '../../lib/http/ports';
import { createMarketoClient, type MarketoClient, type MarketoClientOptions } from '../../lib/marketo';

export const CLIENT_ID = 'sync-client';
export const CLIENT_SECRET = 'sync-secret';

/** Passes every request through to real fetch and counts envelope error codes and statuses. */
export function observingFetch(inner: FetchPort = fetch) {
  const codes = new Map<string, number>();
  const statuses = new Map<number, number>();
  const requests: string[] = [];
  const observed: FetchPort = async (input, init) => {
    requests.push(`${init?.method ?? 'GET'} ${new URL(input).pathname}`);
    const response = await inner(input, init);
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    const text = await response.clone().text();
    for (const match of text.matchAll(/"code"\s*:\s*"?(\d+)"?/g)) {
      // Only response-level errors: skipped records' reasons also carry codes.
      if (text.includes('"success":false')) codes.set(match[1]!, (codes.get(match[1]!) ?? 0) + 1);
    }
    return response;
  };
  return { fetch: observed, codes, statuses, requests, code: (c: string) => codes.get(c) ?? 0 };
}

/** A clock the emulator and the client share, so token lifetimes can be skipped over. */
export class ShiftedClock implements ClockPort {
  offsetMs = 0;
  now = () => Date.now() + this.offsetMs;
  sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
}

export interface MarketoFixture {
  emulator: Emulator;
  /** The Marketo side: store and control hooks. */
  marketo: MarketoEmulator;
  baseUrl: string;
  client: MarketoClient;
  counter: ApiCallCounter;
  wire: ReturnType<typeof observingFetch>;
  clock: ShiftedClock;
  close(): Promise<void>;
}

export async function startMarketoFixture(
  options: { limits?: Partial<MarketoLimits>; client?: Partial<MarketoClientOptions> } = {},
): Promise<MarketoFixture> {
  const clock = new ShiftedClock();
  const emulator = await startEmulator({
    now: clock.now,
    marketo: {
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      limits: { enabled: false, ...options.limits },
    },
  });
  const baseUrl = emulator.info.marketo.url;
  const counter = new ApiCallCounter();
  const wire = observingFetch();
  const client = createMarketoClient({
    fetch: wire.fetch,
    clock,
    counter,
    credentials: () => ({
      endpoint: `${baseUrl}/rest`,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
    }),
    retry: { baseDelayMs: 20, maxDelayMs: 200, maxElapsedMs: 10_000 },
    requestTimeoutMs: 10_000,
    ...options.client,
  });
  return {
    emulator,
    marketo: emulator.marketo,
    baseUrl,
    client,
    counter,
    wire,
    clock,
    close: () => emulator.stop(),
  };
}

export function people(count: number, prefix = 'person'): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => ({
    email: `${prefix}${i}@example.com`,
    firstName: `First${i}`,
    lastName: `Last${i}`,
  }));
}
