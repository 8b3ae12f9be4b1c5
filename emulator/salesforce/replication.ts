// GET /sobjects/{type}/updated and /deleted (api-facts A6). Seconds are truncated; `updated`
// reaches back 30 days and `deleted` 15 (both configurable); latestDateCovered is the next
// start. Too old a start is INVALID_REPLICATION_DATE (HTTP 400: the status is unconfirmed);
// too many ids is EXCEEDED_ID_LIMIT.
import type { HttpReply } from '../http';
import type { ApiRequest } from './api';
import { SfApiError } from './errors';
import { formatDatetime } from './records';
import type { SObjectType } from './schema';

const MINUTE = 60_000;
const DAY = 86_400_000;

const replicationError = (message: string) => new SfApiError(400, 'INVALID_REPLICATION_DATE', message);

interface Window {
  start: number;
  latestCovered: number;
}

function parseWindow(req: ApiRequest, type: SObjectType, windowDays: number): Window {
  if (type.def.replicateable === false) {
    throw new SfApiError(400, 'INVALID_TYPE', `sObject type '${type.name}' is not replicateable`);
  }
  const rawStart = req.url.searchParams.get('start');
  const rawEnd = req.url.searchParams.get('end');
  if (!rawStart || !rawEnd)
    throw new SfApiError(400, 'MISSING_ARGUMENT', 'start and end are required parameters');
  const parse = (raw: string) => {
    const ms = Date.parse(
      raw
        .trim()
        .replace(' ', '+')
        .replace(/([+-]\d{2})(\d{2})$/, '$1:$2'),
    );
    if (Number.isNaN(ms)) throw replicationError(`Invalid date/time: ${raw}`);
    return Math.floor(ms / MINUTE) * MINUTE;
  };
  const start = parse(rawStart);
  const end = parse(rawEnd);
  const now = req.org.clock.now();
  if (start >= end) throw replicationError('start date must chronologically precede end date');
  if (start < Math.floor((now - windowDays * DAY) / MINUTE) * MINUTE) {
    throw replicationError(`startDate cannot be more than ${windowDays} days ago`);
  }
  if (start > now) throw replicationError('startDate cannot be in the future');
  return { start, latestCovered: Math.min(end, Math.floor(now / MINUTE) * MINUTE) };
}

function checkIdLimit(req: ApiRequest, n: number): void {
  if (n > req.org.options.maxReplicationIds) {
    throw new SfApiError(
      400,
      'EXCEEDED_ID_LIMIT',
      'record limit reached. Narrow the time window to reduce the number of records',
    );
  }
}

export function handleUpdated(req: ApiRequest, type: SObjectType): HttpReply {
  const { start, latestCovered } = parseWindow(req, type, req.org.options.updatedWindowDays);
  const ids: string[] = [];
  for (const row of req.org.store.table(type.name).records.values()) {
    const stamp = row.SystemModstamp as number;
    if (!row.IsDeleted && stamp >= start && stamp < latestCovered) ids.push(row.Id as string);
  }
  checkIdLimit(req, ids.length);
  return { status: 200, body: { ids, latestDateCovered: formatDatetime(latestCovered) } };
}

export function handleDeleted(req: ApiRequest, type: SObjectType): HttpReply {
  const windowDays = req.org.options.deletedWindowDays;
  const { start, latestCovered } = parseWindow(req, type, windowDays);
  const table = req.org.store.table(type.name);
  const now = req.org.clock.now();
  const earliest = Math.floor(Math.max(table.deletedLogStart, now - windowDays * DAY) / MINUTE) * MINUTE;
  const deletedRecords: { id: string; deletedDate: string }[] = [];
  for (const [id, at] of table.deletedLog) {
    if (at < earliest) {
      table.deletedLog.delete(id); // the log keeps only the window
      continue;
    }
    if (at >= start && at < latestCovered) deletedRecords.push({ id, deletedDate: formatDatetime(at) });
  }
  checkIdLimit(req, deletedRecords.length);
  return {
    status: 200,
    body: {
      deletedRecords,
      earliestDateAvailable: formatDatetime(earliest),
      latestDateCovered: formatDatetime(latestCovered),
    },
  };
}
