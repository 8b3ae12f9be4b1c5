// Replication feeds `sobjects/{X}/updated/` and `sobjects/{X}/deleted/` (api-facts A6).
// Salesforce's rules, handled here so the engine only sees windows of ids:
// - updated/ reaches back 30 days, deleted/ 15 days; an older start is INVALID_REPLICATION_DATE,
//   so the start is clamped (with a margin for clock skew) and the caller is told (`startClamped`):
//   it lost coverage and must fall back to a query (updates) or a full resync (deletes);
// - seconds are truncated and start must precede end by more than a minute;
// - more than 600,000 ids is EXCEEDED_ID_LIMIT: the window is halved until it fits;
// - `latestDateCovered` (≤ end) is where the next window starts, because transactions still in
//   flight at `end` may commit with earlier timestamps;
// - deleted/: `earliestDateAvailable` later than the cursor means entries were purged: a gap.
import type { z } from 'zod';
import { SalesforceApiError } from './errors';
import { DeletedResult, UpdatedResult } from './schemas';
import type { SalesforceTransport } from './transport';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
export const UPDATED_REACH_MS = 30 * DAY;
export const DELETED_REACH_MS = 15 * DAY;
/** Our clock and Salesforce's may disagree; stay this far inside the allowed reach. */
const SKEW_MARGIN_MS = 10 * MINUTE;

export interface ReplicationRequest {
  start: Date;
  /** Default: now. */
  end?: Date;
  /** Split long ranges up front into windows of at most this span (default: one window). */
  maxWindowMs?: number;
}

interface WindowBase {
  start: Date;
  end: Date;
  /** Start the next request here. */
  latestDateCovered: Date;
  /** The requested start was older than Salesforce keeps; `start` is the clamped one. */
  startClamped: boolean;
}
export interface UpdatedWindow extends WindowBase {
  ids: string[];
}
export interface DeletedWindow extends WindowBase {
  deletedRecords: { id: string; deletedDate: Date }[];
  earliestDateAvailable: Date;
  /** Deletions between the requested start and earliestDateAvailable are lost: resync in full. */
  gap: boolean;
}

const truncateToMinute = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

async function* windows<S extends z.ZodType, W>(
  transport: SalesforceTransport,
  sobject: string,
  feed: 'updated' | 'deleted',
  schema: S,
  request: ReplicationRequest,
  toWindow: (data: z.output<S>, base: WindowBase) => W,
  coveredOf: (data: z.output<S>) => Date,
): AsyncGenerator<W, void, undefined> {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(sobject)) throw new Error(`not an sObject name: ${sobject}`);
  const now = transport.clock.now();
  const reach = feed === 'updated' ? UPDATED_REACH_MS : DELETED_REACH_MS;
  const earliest = now - reach + SKEW_MARGIN_MS;
  const startClamped = request.start.getTime() < earliest;
  let cursor = truncateToMinute(Math.max(request.start.getTime(), earliest));
  const end = Math.min(request.end?.getTime() ?? now, now);
  let span = request.maxWindowMs ?? Number.POSITIVE_INFINITY;
  // Salesforce needs more than a minute between start and end; a shorter range is "nothing yet".
  while (truncateToMinute(end) - cursor > MINUTE) {
    let windowEnd = Math.min(end, cursor + span);
    let data: z.output<S>;
    for (;;) {
      try {
        const response = await transport.send({
          method: 'GET',
          path: `/sobjects/${sobject}/${feed}/`,
          query: { start: isoSeconds(cursor), end: isoSeconds(windowEnd) },
          endpoint: feed,
          schema,
        });
        data = response.data as z.output<S>;
        break;
      } catch (error) {
        const tooMany = error instanceof SalesforceApiError && error.errorCode === 'EXCEEDED_ID_LIMIT';
        const half = truncateToMinute(cursor + (windowEnd - cursor) / 2);
        if (!tooMany || half - cursor <= MINUTE) throw error;
        windowEnd = half;
        span = windowEnd - cursor; // later windows start at the size that fit
      }
    }
    const covered = coveredOf(data);
    yield toWindow(data, {
      start: new Date(cursor),
      end: new Date(windowEnd),
      latestDateCovered: covered,
      startClamped,
    });
    // Stop when the feed could not move forward (transactions in flight) or the range is done.
    if (covered.getTime() <= cursor || windowEnd >= end) break;
    cursor = truncateToMinute(covered.getTime());
  }
}

export function updatedWindows(transport: SalesforceTransport, sobject: string, request: ReplicationRequest) {
  return windows(
    transport,
    sobject,
    'updated',
    UpdatedResult,
    request,
    (data, base): UpdatedWindow => ({ ...base, ids: data.ids }),
    (data) => data.latestDateCovered,
  );
}

export function deletedWindows(transport: SalesforceTransport, sobject: string, request: ReplicationRequest) {
  return windows(
    transport,
    sobject,
    'deleted',
    DeletedResult,
    request,
    (data, base): DeletedWindow => {
      const { earliestDateAvailable } = data;
      return {
        ...base,
        deletedRecords: data.deletedRecords.map((r) => ({ id: r.id, deletedDate: r.deletedDate })),
        earliestDateAvailable,
        gap: base.startClamped || earliestDateAvailable.getTime() > request.start.getTime(),
      };
    },
    (data) => data.latestDateCovered,
  );
}
