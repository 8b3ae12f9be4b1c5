import Papa from 'papaparse';
import type { FailureBatch, FailureView } from '../db/failures';
import { recordUrl } from './recordUrl';

// The sync-errors CSV (design §7 Popup: "Export"). Built chunk by chunk from `listFailures`, so a
// 100,000-row export never holds more than one chunk of rows and one chunk of text being built;
// the caller turns the parts into one Blob (the browser joins them without copying into JS).

export const FAILURE_CSV_COLUMNS = [
  'Time',
  'Cycle',
  'Operation',
  'Object',
  'Salesforce Id',
  'Marketo Id',
  'Record Name',
  'Error Code',
  'Message',
  'Fields',
  'Attempts',
  'Record URL',
] as const;

/**
 * Cells starting with = + - @ (or tab / carriage return) would run as formulas in Excel and Sheets
 * (CSV injection): PapaParse prefixes them with a quote. Its built-in pattern for
 * `escapeFormulae: true` is /^[=+\-@\t\r].*$/, which does NOT match a multi-line value (`.` stops at
 * a newline, `$` needs the end), so "=HYPERLINK(…)\n…" in an error message would pass unescaped;
 * this pattern looks at the first character only.
 */
export const FORMULA_START = /^[=+\-@\t\r]/;

/** Excel reads a CSV without a byte-order mark as the system code page and garbles accents. */
const BOM = '\uFEFF';
const NEWLINE = '\r\n';

export interface FailureCsvOptions {
  /** The org's instance URL (connection settings); without it the URL column stays empty. */
  instanceUrl?: string;
}

/** One CSV row, in FAILURE_CSV_COLUMNS order. Times are ISO 8601 UTC, unambiguous in any zone. */
export function failureCsvRow(failure: FailureView, options: FailureCsvOptions = {}): (string | number)[] {
  const batch: FailureBatch = {
    at: failure.time,
    cycleId: failure.cycleId,
    operation: failure.operation,
    objectType: failure.objectType,
    sfIds: [failure.sfId],
    mktoIds: [failure.mktoId ?? null],
    names: [failure.name ?? null],
    codes: [failure.code],
    messages: [failure.message],
    fields: [failure.fields.join('; ')],
    attempts: [failure.attempts],
  };
  return cellsOf(batch, 0, new Date(failure.time).toISOString(), options.instanceUrl);
}

/** The row of a failure row's i-th failure; `time` is the batch's, formatted once per batch. */
function cellsOf(row: FailureBatch, i: number, time: string, instanceUrl: string | undefined) {
  const sfId = row.sfIds[i]!;
  return [
    time,
    row.cycleId,
    row.operation,
    row.objectType,
    sfId,
    row.mktoIds[i] ?? '',
    row.names[i] ?? '',
    row.codes[i]!,
    row.messages[i]!,
    row.fields[i]!,
    row.attempts[i]!,
    recordUrl(instanceUrl, row.objectType, sfId) ?? '',
  ];
}

const unparse = (rows: (string | number)[][]) =>
  Papa.unparse(rows, { escapeFormulae: FORMULA_START, newline: NEWLINE, header: false });

/**
 * The CSV text in parts: the BOM and header line first, then one part per chunk of failures, each
 * ending with a newline. Concatenated they are one CSV file.
 */
export async function* failureCsvParts(
  chunks: AsyncIterable<FailureView[]>,
  options: FailureCsvOptions = {},
): AsyncGenerator<string> {
  yield `${BOM}${unparse([[...FAILURE_CSV_COLUMNS]])}${NEWLINE}`;
  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    yield `${unparse(chunk.map((f) => failureCsvRow(f, options)))}${NEWLINE}`;
  }
}

/**
 * The same CSV straight from failure rows (lib/db listFailedBatches), one part per group of rows:
 * no FailureView object per failure, and a batch's shared cells (time, cycle, operation, object)
 * are computed once. 100,000 failures are ~100,000 small objects less to make and collect.
 */
export async function* failureCsvPartsOfBatches(
  batches: AsyncIterable<FailureBatch[]>,
  options: FailureCsvOptions & { onRows?: (failures: number) => void } = {},
): AsyncGenerator<string> {
  yield `${BOM}${unparse([[...FAILURE_CSV_COLUMNS]])}${NEWLINE}`;
  let total = 0;
  for await (const rows of batches) {
    const cells: (string | number)[][] = [];
    for (const row of rows) {
      const time = new Date(row.at).toISOString();
      for (let i = 0; i < row.sfIds.length; i++) cells.push(cellsOf(row, i, time, options.instanceUrl));
    }
    if (cells.length === 0) continue;
    total += cells.length;
    options.onRows?.(total);
    yield `${unparse(cells)}${NEWLINE}`;
  }
}

/** `sync-errors-2026-11-20T10-05-00Z.csv`: sortable, and valid on every file system. */
export function failureCsvFileName(now: number): string {
  const stamp = new Date(now)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replaceAll(':', '-');
  return `sync-errors-${stamp}.csv`;
}
