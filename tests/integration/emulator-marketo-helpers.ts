// Shared set-up for the Marketo emulator integration tests: a standalone server on 127.0.0.1,
// a movable clock, and a tiny client speaking the real wire format over HTTP.
import { type StandaloneMarketo, startStandaloneMarketo } from '../../emulator/marketo/standalone';

export const CLIENT_ID = 'test-client';
export const CLIENT_SECRET = 'test-secret';

export interface Clock {
  now: () => number;
  advance(ms: number): void;
  set(ms: number): void;
}

/** 2026-03-02T15:00:00Z, 09:00 in Chicago (the quota day's time zone). */
export const START = Date.parse('2026-03-02T15:00:00Z');

export function movableClock(start = START): Clock {
  let current = start;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
    set: (ms) => {
      current = ms;
    },
  };
}

export interface MarketoHarness extends StandaloneMarketo {
  clock: Clock;
  token(): Promise<string>;
  get(path: string, params?: Record<string, string | number>): Promise<Envelope>;
  post(path: string, body: unknown, params?: Record<string, string | number>): Promise<Envelope>;
  raw(path: string, init?: RequestInit): Promise<Response>;
}

// biome-ignore lint/suspicious/noExplicitAny: test responses are inspected field by field
export type Envelope = Record<string, any>;

export async function startMarketo(
  options: Partial<Parameters<typeof startStandaloneMarketo>[0]> = {},
): Promise<MarketoHarness> {
  const clock = movableClock();
  const base = await startStandaloneMarketo({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    now: clock.now,
    limits: { enabled: false },
    ...options,
  });
  const token = async () => {
    const res = await fetch(
      `${base.baseUrl}/identity/oauth/token?grant_type=client_credentials&client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}`,
    );
    return ((await res.json()) as { access_token: string }).access_token;
  };
  const query = (params?: Record<string, string | number>) =>
    params ? `?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}` : '';
  const raw = (path: string, init: RequestInit = {}) => fetch(`${base.baseUrl}${path}`, init);
  const authed = async (path: string, init: RequestInit): Promise<Envelope> => {
    const res = await raw(path, {
      ...init,
      headers: { Authorization: `Bearer ${await token()}`, ...(init.headers as Record<string, string>) },
    });
    return (await res.json()) as Envelope;
  };
  return {
    ...base,
    clock,
    token,
    raw,
    get: (path, params) => authed(`${path}${query(params)}`, {}),
    post: (path, body, params) =>
      authed(`${path}${query(params)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }),
  };
}
