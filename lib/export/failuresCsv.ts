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
 * CSV injection (OWASP "CSV Injection"): a cell that a spreadsheet would run as a formula gets a
 * leading single quote, which Excel, Sheets and LibreOffice show as text. A cell is a formula when
 * its first visible character is = + - @ or their full-width forms ＝ ＋ － ＠ (U+FF1D, U+FF0B,
 * U+FF0D, U+FF20: Excel in East Asian locales and Sheets read them as the ASCII ones), and
 * spreadsheets skip leading whitespace and control characters before deciding that (" =1+1",
 * "\n=1", "\u00a0=1", a zero-width or right-to-left mark before "="), so those are skipped here
 * too. A cell starting with a tab or carriage return is escaped whatever follows (OWASP lists both).
 *
 * "-1" as text is escaped too: a value from the org cannot be told from a formula ("-1+2" is one),
 * and the quote keeps it readable. The cells the export itself computes as numbers (cycle, Marketo
 * id, attempts) are numbers, never negative, and are not prefixed (PapaParse leaves numbers alone).
 *
 * PapaParse's built-in `escapeFormulae: true` pattern, /^[=+\-@\t\r].*$/, misses all of the above
 * and even "=HYPERLINK(…)\n…" (its `.` stops at a newline); this pattern is used instead.
 */
export const FORMULA_START = /^(?:[\s\p{Cc}\p{Cf}\p{Z}]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|[\t\r])/u;

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

/**
 * CSV lines (no trailing newline) of rows of cells: formula cells escaped (FORMULA_START) and every
 * cell quoted, so a separator, quote or line break inside a value never splits or shifts a cell.
 */
export const csvLines = (rows: (string | number)[][]): string =>
  Papa.unparse(rows, { escapeFormulae: FORMULA_START, quotes: true, newline: NEWLINE, header: false });

/**
 * The CSV text in parts: the BOM and header line first, then one part per chunk of failures, each
 * ending with a newline. Concatenated they are one CSV file.
 */
export async function* failureCsvParts(
  chunks: AsyncIterable<FailureView[]>,
  options: FailureCsvOptions = {},
): AsyncGenerator<string> {
  yield `${BOM}${csvLines([[...FAILURE_CSV_COLUMNS]])}${NEWLINE}`;
  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    yield `${csvLines(chunk.map((f) => failureCsvRow(f, options)))}${NEWLINE}`;
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
  yield `${BOM}${csvLines([[...FAILURE_CSV_COLUMNS]])}${NEWLINE}`;
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
    yield `${csvLines(cells)}${NEWLINE}`;
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
