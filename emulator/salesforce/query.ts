// GET /query, /queryAll and their cursors (api-facts A4). Pages are slices of the cursor's
// matched rows; nextRecordsUrl is /services/data/vXX.X/query/<01g locator>-<offset>.
import type { HttpReply } from '../http';
import { SoqlError } from '../soql/errors';
import { runQuery } from '../soql/evaluate';
import type { ApiRequest } from './api';
import { SfApiError } from './errors';
import type { Cursor } from './locators';
import { queryRow } from './records';

const DEFAULT_BATCH = 2000;

/** `Sforce-Query-Options: batchSize=N`, clamped to [200, 2000]. */
export function batchSizeOf(req: ApiRequest): number {
  const header = String(req.headers['sforce-query-options'] ?? '');
  const m = /batchSize\s*=\s*(\d+)/i.exec(header);
  if (!m) return DEFAULT_BATCH;
  return Math.min(2000, Math.max(200, Number(m[1])));
}

export function handleQuery(req: ApiRequest, includeDeleted: boolean): HttpReply {
  const locator = req.segments[1];
  if (locator !== undefined) return nextPage(req, locator);
  if (req.method !== 'GET')
    throw new SfApiError(
      405,
      'METHOD_NOT_ALLOWED',
      `HTTP Method '${req.method}' not allowed. Allowed are GET,HEAD`,
    );
  const soql = req.url.searchParams.get('q');
  if (soql === null || soql.trim() === '')
    throw new SfApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  let result: ReturnType<typeof runQuery>;
  try {
    result = runQuery(soql, {
      store: req.org.store,
      access: req.user,
      now: req.org.clock.now(),
      includeDeleted,
    });
  } catch (error) {
    if (error instanceof SoqlError) throw new SfApiError(400, error.errorCode, error.message);
    throw error;
  }
  if (result.aggregate) {
    return {
      status: 200,
      body: {
        totalSize: 1,
        done: true,
        records: [{ attributes: { type: 'AggregateResult' }, ...result.aggregate }],
      },
    };
  }
  const cursor = req.org.locators.open(result, req.user.id);
  return page(req, cursor, 0, batchSizeOf(req));
}

function nextPage(req: ApiRequest, locator: string): HttpReply {
  const m = /^(01g[A-Za-z0-9]{15})-(\d+)$/.exec(locator);
  const cursor = m ? req.org.locators.get(m[1]!, req.user.id) : undefined;
  const offset = m ? Number(m[2]) : 0;
  if (!cursor || offset > cursor.result.rows.length) {
    throw new SfApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  }
  return page(req, cursor, offset, cursor.batchSize ?? batchSizeOf(req));
}

function page(req: ApiRequest, cursor: Cursor, offset: number, batchSize: number): HttpReply {
  cursor.batchSize = batchSize;
  const { result } = cursor;
  const end = Math.min(offset + batchSize, result.rows.length);
  const records = new Array(end - offset);
  for (let i = offset; i < end; i++)
    records[i - offset] = queryRow(result, result.rows[i]!, req.version, req.org.store);
  const done = end >= result.rows.length;
  const body: Record<string, unknown> = { totalSize: result.totalSize, done };
  if (!done) body.nextRecordsUrl = `/services/data/v${req.version}/query/${cursor.id}-${end}`;
  body.records = records;
  return { status: 200, body };
}
