// Activities and the incremental change feeds (api-facts B6). All three feeds page with a
// date-based token: start from `pagingToken(since)`, follow `nextPageToken` while `moreResult` is
// true. Pages can be short or even empty and still have more behind them. The feed always returns
// a token; the last one is the cursor the next run resumes from.
import { z } from 'zod';
import { ResponseShapeError } from '../http/parse';
import type { MarketoCall, MarketoTransport } from './client';
import { MARKETO_BATCH } from './envelope';
import {
  activitySchema,
  activityTypeSchema,
  leadChangeSchema,
  type MarketoActivity,
  type MarketoActivityType,
  type MarketoLeadChange,
} from './schemas';

export interface FeedPage<T> {
  items: T[];
  /** Checkpoint this after applying the page: resuming from it continues right after the page. */
  nextPageToken: string;
  moreResult: boolean;
}

export interface ActivityFeedOptions {
  nextPageToken: string;
  /** At most 10 per call (Marketo's rule). */
  activityTypeIds: readonly number[];
  leadIds?: readonly number[];
  listId?: number;
  batchSize?: number;
}

export interface LeadChangeFeedOptions {
  nextPageToken: string;
  /** Required by Marketo: the fields whose changes to report. */
  fields: readonly string[];
  leadIds?: readonly number[];
  listId?: number;
  batchSize?: number;
}

const MAX_ACTIVITY_TYPES = 10;
const MAX_LEAD_IDS = 30;

export class MarketoActivities {
  private types: Promise<MarketoActivityType[]> | undefined;

  constructor(private readonly transport: MarketoTransport) {}

  /** Activity types, cached for the client's life (they change only when an admin adds one). */
  activityTypes(options: { refresh?: boolean } = {}): Promise<MarketoActivityType[]> {
    if (options.refresh || !this.types) {
      this.types = this.transport
        .call({ method: 'GET', path: '/rest/v1/activities/types.json' }, activityTypeSchema)
        .then((envelope) => envelope.result);
      this.types.catch(() => {
        this.types = undefined;
      });
    }
    return this.types;
  }

  /** A token pointing at `since`; the first page of a feed starts there. */
  async pagingToken(since: Date | string): Promise<string> {
    const sinceDatetime = typeof since === 'string' ? since : since.toISOString();
    const envelope = await this.transport.call(
      { method: 'GET', path: '/rest/v1/activities/pagingtoken.json', query: { sinceDatetime } },
      z.unknown(),
    );
    return requireToken(envelope.nextPageToken, 'GET /rest/v1/activities/pagingtoken.json');
  }

  activities(options: ActivityFeedOptions): AsyncGenerator<FeedPage<MarketoActivity>, string> {
    if (options.activityTypeIds.length === 0 || options.activityTypeIds.length > MAX_ACTIVITY_TYPES) {
      throw new RangeError(`activityTypeIds must hold 1 to ${MAX_ACTIVITY_TYPES} ids`);
    }
    checkLeadIds(options.leadIds);
    return feed(
      this.transport,
      {
        method: 'GET',
        path: '/rest/v1/activities.json',
        query: {
          activityTypeIds: options.activityTypeIds,
          leadIds: options.leadIds,
          listId: options.listId,
          batchSize: options.batchSize ?? MARKETO_BATCH,
        },
      },
      activitySchema,
      options.nextPageToken,
    );
  }

  /** New Lead (12) and Change Data Value (13) activities with their changed `fields`. */
  leadChanges(options: LeadChangeFeedOptions): AsyncGenerator<FeedPage<MarketoLeadChange>, string> {
    if (options.fields.length === 0) throw new RangeError('leadChanges needs at least one field');
    checkLeadIds(options.leadIds);
    return feed(
      this.transport,
      {
        method: 'GET',
        path: '/rest/v1/activities/leadchanges.json',
        query: {
          fields: options.fields,
          leadIds: options.leadIds,
          listId: options.listId,
          batchSize: options.batchSize ?? MARKETO_BATCH,
        },
      },
      leadChangeSchema,
      options.nextPageToken,
    );
  }

  /** Delete Lead (37) activities; Marketo may prune those older than 14 days. */
  deletedLeads(options: {
    nextPageToken: string;
    batchSize?: number;
  }): AsyncGenerator<FeedPage<MarketoActivity>, string> {
    return feed(
      this.transport,
      {
        method: 'GET',
        path: '/rest/v1/activities/deletedleads.json',
        query: { batchSize: options.batchSize ?? MARKETO_BATCH },
      },
      activitySchema,
      options.nextPageToken,
    );
  }
}

/**
 * Yields every page, empty ones included, so the caller always holds the newest token; returns the
 * final token. Stops when `moreResult` is false, or when a page is empty and the token did not move
 * (a feed that claims more but cannot advance would otherwise loop forever).
 */
async function* feed<T extends z.ZodType>(
  transport: MarketoTransport,
  call: MarketoCall,
  item: T,
  startToken: string,
): AsyncGenerator<FeedPage<z.output<T>>, string> {
  const endpoint = `${call.method} ${call.path}`;
  let token = startToken;
  for (;;) {
    const envelope = await transport.call({ ...call, query: { ...call.query, nextPageToken: token } }, item);
    const next = requireToken(envelope.nextPageToken, endpoint);
    const moreResult = envelope.moreResult === true;
    const stuck = envelope.result.length === 0 && next === token;
    yield { items: envelope.result, nextPageToken: next, moreResult: moreResult && !stuck };
    token = next;
    if (!moreResult || stuck) return token;
  }
}

function requireToken(token: string | undefined, endpoint: string): string {
  if (!token) throw new ResponseShapeError(endpoint, 'nextPageToken', 'is missing');
  return token;
}

function checkLeadIds(leadIds: readonly number[] | undefined): void {
  if (leadIds && leadIds.length > MAX_LEAD_IDS) {
    throw new RangeError(`leadIds can hold at most ${MAX_LEAD_IDS} ids per feed`);
  }
}
