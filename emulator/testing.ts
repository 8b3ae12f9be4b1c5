// A tiny HTTP helper for tests that talk to the emulator's Salesforce REST API directly.
import type { EmulatorInfo } from './index';

export interface SfResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface SfTestClient {
  request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<SfResponse<T>>;
  get<T = unknown>(path: string, headers?: Record<string, string>): Promise<SfResponse<T>>;
  /** SOQL via /query (or /queryAll). */
  query<T = unknown>(
    soql: string,
    opts?: { all?: boolean; headers?: Record<string, string> },
  ): Promise<SfResponse<T>>;
}

/** Paths starting with '/' are absolute; others are relative to /services/data/v{version}/. */
export function sfClient(info: EmulatorInfo, token = info.salesforce.sid, version = '62.0'): SfTestClient {
  const request = async <T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const url = `${info.salesforce.url}${path.startsWith('/') ? path : `/services/data/v${version}/${path}`}`;
    const res = await fetch(url, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      redirect: 'manual',
    });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed as T };
  };
  return {
    request,
    get: (path, headers) => request('GET', path, undefined, headers),
    query: (soql, opts = {}) =>
      request(
        'GET',
        `${opts.all ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql)}`,
        undefined,
        opts.headers,
      ),
  };
}
