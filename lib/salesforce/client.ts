// The Salesforce REST client the engine uses: the only code that talks to the Salesforce API.
// It takes its fetch, clock and token source as ports, so it runs in the service worker and in
// Node against the emulator alike. Each method lives in its own module; this class wires them to
// one transport (auth, retries, timeouts, counting, Sforce-Limit-Info, zod parsing).
import type { z } from 'zod';
import {
  type CollectionOptions,
  createRecords,
  deleteRecords,
  type FieldValues,
  retrieveRecords,
  updateRecords,
  upsertRecords,
} from './collections';
import { type ChangeProbe, composite, objectsChangedSince, type Subrequest } from './composite';
import {
  type DescribeCache,
  type DescribeOptions,
  describeGlobal,
  describeSObject,
  MemoryDescribeCache,
} from './describe';
import type { ApiUsage } from './limits';
import { type QueryOptions, queryCount, queryPages, queryRecords } from './query';
import { deletedWindows, type ReplicationRequest, updatedWindows } from './replication';
import { LimitsResponse, type SObjectRecord } from './schemas';
import { SalesforceTransport, type TransportOptions } from './transport';
import { currentUser } from './user';

export interface SalesforceClientOptions extends TransportOptions {
  describeCache?: DescribeCache;
}

export class SalesforceClient {
  readonly transport: SalesforceTransport;
  private readonly describeCache: DescribeCache;

  constructor(options: SalesforceClientOptions) {
    this.transport = new SalesforceTransport(options);
    this.describeCache = options.describeCache ?? new MemoryDescribeCache();
  }

  /** The org's API usage (used/max of the rolling 24 h allowance) as the latest response reported. */
  get apiUsage(): ApiUsage | undefined {
    return this.transport.usage.latest;
  }

  /** Pages of rows, fetched one at a time as the caller iterates. */
  query<S extends z.ZodType = typeof SObjectRecord>(
    soql: string,
    options?: Omit<QueryOptions<S>, 'includeDeleted'>,
  ) {
    return queryPages(this.transport, soql, options);
  }

  /** Like query, plus soft-deleted and merged rows (filter with IsDeleted). */
  queryAll<S extends z.ZodType = typeof SObjectRecord>(
    soql: string,
    options?: Omit<QueryOptions<S>, 'includeDeleted'>,
  ) {
    return queryPages(this.transport, soql, { ...options, includeDeleted: true });
  }

  /** Rows one at a time (still fetched a page at a time). */
  queryRecords<S extends z.ZodType = typeof SObjectRecord>(soql: string, options?: QueryOptions<S>) {
    return queryRecords(this.transport, soql, options);
  }

  count(soql: string): Promise<number> {
    return queryCount(this.transport, soql);
  }

  describeGlobal() {
    return describeGlobal(this.transport, this.describeCache);
  }

  describe(sobject: string, options?: DescribeOptions) {
    return describeSObject(this.transport, this.describeCache, sobject, options);
  }

  /** Windows of ids changed in [start, end), from `sobjects/{X}/updated/`. */
  updated(sobject: string, request: ReplicationRequest) {
    return updatedWindows(this.transport, sobject, request);
  }

  /** Windows of deletions in [start, end), from `sobjects/{X}/deleted/`. */
  deleted(sobject: string, request: ReplicationRequest) {
    return deletedWindows(this.transport, sobject, request);
  }

  create(type: string, records: readonly FieldValues[], options?: CollectionOptions) {
    return createRecords(this.transport, type, records, options);
  }

  update(type: string, records: readonly (FieldValues & { Id: string })[], options?: CollectionOptions) {
    return updateRecords(this.transport, type, records, options);
  }

  upsert(
    type: string,
    externalIdField: string,
    records: readonly FieldValues[],
    options?: CollectionOptions,
  ) {
    return upsertRecords(this.transport, type, externalIdField, records, options);
  }

  delete(ids: readonly string[], options?: CollectionOptions) {
    return deleteRecords(this.transport, ids, options);
  }

  retrieve<S extends z.ZodType = typeof SObjectRecord>(
    type: string,
    ids: readonly string[],
    fields: readonly string[],
    schema?: S,
  ) {
    return retrieveRecords(this.transport, type, ids, fields, schema);
  }

  composite(subrequests: readonly Subrequest[], options?: { allOrNone?: boolean }) {
    return composite(this.transport, subrequests, options);
  }

  /** The idle-cycle check: which objects have rows changed after their `since`. */
  changedSince(probes: readonly ChangeProbe[]) {
    return objectsChangedSince(this.transport, probes);
  }

  /** `/limits`; also updates apiUsage from DailyApiRequests. */
  async limits(): Promise<LimitsResponse> {
    const limits = await this.transport.data({
      method: 'GET',
      path: '/limits/',
      endpoint: 'limits',
      schema: LimitsResponse,
    });
    const daily = limits.DailyApiRequests;
    this.transport.usage.record(
      { used: daily.Max - daily.Remaining, max: daily.Max },
      this.transport.clock.now(),
    );
    return limits;
  }

  currentUser() {
    return currentUser(this.transport);
  }
}
