// Describe (global and per object) with an If-Modified-Since cache: when the metadata has not
// changed since the cached copy, Salesforce answers `304 Not Modified` with an empty body and the
// cached value is used (api-facts A5). The cache is a port so the engine can keep it in Dexie.
import type { z } from 'zod';
import { ResponseShapeError } from '../http/parse';
import { DescribeGlobal, DescribeSObject } from './schemas';
import type { SalesforceTransport } from './transport';

export interface DescribeCacheEntry {
  /** HTTP date sent back as If-Modified-Since. */
  lastModified: string;
  value: unknown;
}

export interface DescribeCache {
  get(key: string): Promise<DescribeCacheEntry | undefined>;
  set(key: string, entry: DescribeCacheEntry): Promise<void>;
}

export class MemoryDescribeCache implements DescribeCache {
  private readonly entries = new Map<string, DescribeCacheEntry>();
  async get(key: string) {
    return this.entries.get(key);
  }
  async set(key: string, entry: DescribeCacheEntry) {
    this.entries.set(key, entry);
  }
}

export interface Described<T> {
  value: T;
  /** True when Salesforce said 304 and the cached copy was returned. */
  notModified: boolean;
}

async function describeCached<S extends z.ZodType>(
  transport: SalesforceTransport,
  cache: DescribeCache,
  path: string,
  endpoint: string,
  schema: S,
): Promise<Described<z.output<S>>> {
  const key = `v${transport.apiVersion}${path}`;
  const cached = await cache.get(key);
  // Salesforce compares against its own metadata timestamp: a time taken before the request is
  // safe (a change during the request shows up as modified next time, never as missed).
  const askedAt = new Date(transport.clock.now()).toUTCString();
  const response = await transport.send({
    method: 'GET',
    path,
    endpoint,
    schema,
    headers: cached ? { 'If-Modified-Since': cached.lastModified } : {},
  });
  if (response.status === 304) {
    if (!cached) throw new ResponseShapeError(`Salesforce ${endpoint}`, '', '304 without If-Modified-Since');
    // The cached copy was parsed before it was stored, but a store can be edited: parse again.
    return { value: schema.parse(cached.value), notModified: true };
  }
  if (response.data === undefined) throw new ResponseShapeError(`Salesforce ${endpoint}`, '', 'no body');
  await cache.set(key, {
    lastModified: response.headers.get('Last-Modified') ?? askedAt,
    value: response.data,
  });
  return { value: response.data, notModified: false };
}

export function describeGlobal(transport: SalesforceTransport, cache: DescribeCache) {
  return describeCached(transport, cache, '/sobjects/', 'describeGlobal', DescribeGlobal);
}

export function describeSObject(transport: SalesforceTransport, cache: DescribeCache, sobject: string) {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(sobject)) throw new Error(`not an sObject name: ${sobject}`);
  return describeCached(transport, cache, `/sobjects/${sobject}/describe/`, 'describe', DescribeSObject);
}
