// Shared set-up for the Salesforce client integration tests: a real emulator on loopback, the
// real global fetch, and a client whose clock reads the emulator's clock (so replication windows
// and SystemModstamps agree when a test moves time).
import { type Emulator, type EmulatorOptions, startEmulator } from '../../emulator/index';
import { ApiCallCounter, type ClockPort } from '../../lib/http/ports';
import type { RetryPolicy } from '../../lib/http/retry';
import { fixedSession } from '../../lib/salesforce/auth/session';
import { SalesforceClient, type SalesforceClientOptions } from '../../lib/salesforce/client';

export const fastRetry: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 10,
  maxDelayMs: 40,
  maxElapsedMs: 10_000,
};

export interface SalesforceHarness {
  emu: Emulator;
  url: string;
  clock: ClockPort;
  counter: ApiCallCounter;
  client: SalesforceClient;
  makeClient(overrides?: Partial<SalesforceClientOptions>): SalesforceClient;
}

export const realFetch = (input: string, init?: RequestInit) => fetch(input, init);

export async function startSalesforce(options: EmulatorOptions = {}): Promise<SalesforceHarness> {
  const emu = await startEmulator(options);
  const url = emu.info.salesforce.url;
  const clock: ClockPort = {
    now: () => emu.core.clock.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
  const counter = new ApiCallCounter();
  const makeClient = (overrides: Partial<SalesforceClientOptions> = {}) =>
    new SalesforceClient({
      fetch: realFetch,
      clock,
      counter,
      tokens: fixedSession({ instanceUrl: url, accessToken: emu.info.salesforce.sid }),
      retry: fastRetry,
      timeoutMs: 5_000,
      clientName: 'SalesforceSyncStatusTests',
      ...overrides,
    });
  return { emu, url, clock, counter, client: makeClient(), makeClient };
}

/** Drains an async iterable into an array (for small results in tests). */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
