import type { LogDatabase } from './logPort';
import {
  matchesLists,
  type NormalizedFilter,
  normalizeFilter,
  type PageCursor,
  pickIndexedDimension,
  type StepFilter,
  type StepSort,
  sortKeyOf,
} from './stepFilter';
import type { StepRow } from './types';

export interface StepsPage {
  rows: StepRow[];
  /** Present when more rows follow; pass it back as `after` for the next page. */
  next?: PageCursor;
}

/** Largest read of one index range when rows are being dropped by the other filters. */
const MAX_CHUNK = 1000;

/**
 * One index range, read newest first in chunks. Its upper bound moves down to the last row read,
 * so each chunk is a single `getAll` on the index (no cursor walk, no `.filter()`).
 */
interface RangeStream {
  index: string;
  lower: unknown[];
  upper: unknown[];
  upperOpen: boolean;
  chunk: number;
  rows: StepRow[];
  at: number;
  done: boolean;
}

const byNewest = (sortKey: 'startedAt' | 'endSort') => (a: StepRow, b: StepRow) =>
  b[sortKey] - a[sortKey] || b.id - a.id;

/**
 * A page of steps, newest first by Started At or Ended At, filtered by `filter`, with key-based
 * paging (`after` = the previous page's last [sortKey, id]).
 *
 * How it stays cheap: with a status / object type / operation filter it walks that dimension's
 * `[field+sortKey+id]` index, one range per selected value bounded by the date range, and merges the
 * ranges by sort key; the other list filters are applied to the rows read. Without list filters it
 * walks `[sortKey+id]`. Rows outside the date range or of unselected values are never read.
 */
export async function queryStepsPage(
  db: LogDatabase,
  filter: StepFilter,
  sort: StepSort,
  page: { limit: number; after?: PageCursor },
): Promise<StepsPage> {
  if (!Number.isInteger(page.limit) || page.limit < 1) {
    throw new RangeError(`page.limit must be a positive integer, got ${page.limit}`);
  }
  const normalized = normalizeFilter(filter);
  const sortKey = sortKeyOf(sort);
  const streams = rangeStreams(normalized, sortKey, page.after, page.limit + 1);
  // Read one row more than the page to know whether a next page exists.
  const wanted = page.limit + 1;
  const compare = byNewest(sortKey);
  const out: StepRow[] = [];

  await db.transaction('r', ['steps'], async () => {
    while (out.length < wanted) {
      await Promise.all(streams.filter((s) => s.at === s.rows.length && !s.done).map((s) => fill(db, s)));
      let best: RangeStream | undefined;
      for (const s of streams) {
        if (s.at < s.rows.length && (!best || compare(s.rows[s.at]!, best.rows[best.at]!) < 0)) best = s;
      }
      if (!best) break;
      const row = best.rows[best.at++]!;
      if (matchesLists(row, normalized)) out.push(row);
    }
  });

  const rows = out.slice(0, page.limit);
  const last = rows[rows.length - 1];
  return out.length > page.limit && last ? { rows, next: [last[sortKey], last.id] } : { rows };
}

function rangeStreams(
  filter: NormalizedFilter,
  sortKey: 'startedAt' | 'endSort',
  after: PageCursor | undefined,
  firstChunk: number,
): RangeStream[] {
  const dimension = pickIndexedDimension(filter);
  const index = dimension ? `[${dimension.field}+${sortKey}+id]` : `[${sortKey}+id]`;
  const prefixes: unknown[][] = dimension ? dimension.values.map((v) => [v]) : [[]];
  // Ids are positive integers, so ±Infinity bound every id of a sort key.
  const resumeBelowCursor = after !== undefined && after[0] <= filter.to;
  return prefixes.map((prefix) => ({
    index,
    lower: [...prefix, filter.from, Number.NEGATIVE_INFINITY],
    upper: resumeBelowCursor ? [...prefix, ...after] : [...prefix, filter.to, Number.POSITIVE_INFINITY],
    upperOpen: resumeBelowCursor,
    chunk: firstChunk,
    rows: [],
    at: 0,
    done: after !== undefined && after[0] < filter.from,
  }));
}

async function fill(db: LogDatabase, stream: RangeStream): Promise<void> {
  const rows = await db.steps
    .where(stream.index)
    .between(stream.lower, stream.upper, true, !stream.upperOpen)
    .reverse()
    .limit(stream.chunk)
    .toArray();
  stream.rows = rows;
  stream.at = 0;
  const last = rows[rows.length - 1];
  if (rows.length < stream.chunk || !last) {
    stream.done = true;
    return;
  }
  // Continue strictly below the last row read: same prefix, then [sortKey, id] of that row.
  stream.upper = [...stream.upper.slice(0, stream.upper.length - 2), keyOf(stream.index, last), last.id];
  stream.upperOpen = true;
  stream.chunk = Math.min(stream.chunk * 4, MAX_CHUNK);
}

const keyOf = (index: string, row: StepRow) => (index.includes('endSort') ? row.endSort : row.startedAt);
