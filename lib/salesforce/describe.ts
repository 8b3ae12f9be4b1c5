// Describe (global and per object) with an If-Modified-Since cache: when the metadata has not
// changed since the cached copy, Salesforce answers `304 Not Modified` with an empty body and the
// cached value is used (api-facts A5). The cache is a port so the engine can keep it in Dexie.
//
// What the 304 can hide: the describe is answered as the caller (field-level security applied:
// hidden fields are absent, read-only ones are not updateable), but If-Modified-Since compares the
// *object's* metadata date, which moves when the object changes (a field added, a type changed),
// not when a profile or permission set changes what the caller may see (Salesforce documents the
// 304 only for "object metadata"; nothing says a permission edit counts, so we assume it does not,
// and the emulator behaves so). A caller that must see the user's current field access asks with
// `{ fresh: true }`: no If-Modified-Since, the full describe, the same one API call as a 304.
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
  fresh = false,
): Promise<Described<z.output<S>>> {
  const key = `v${transport.apiVersion}${path}`;
  const cached = fresh ? undefined : await cache.get(key);
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

export interface DescribeOptions {
  /** Ask without If-Modified-Since: the caller's current field access, never a cached copy. */
  fresh?: boolean;
}

export function describeSObject(
  transport: SalesforceTransport,
  cache: DescribeCache,
  sobject: string,
  options: DescribeOptions = {},
) {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(sobject)) throw new Error(`not an sObject name: ${sobject}`);
  const path = `/sobjects/${sobject}/describe/`;
  return describeCached(transport, cache, path, 'describe', DescribeSObject, options.fresh === true);
}
