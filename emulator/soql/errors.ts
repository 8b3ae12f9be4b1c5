// SOQL errors in the shape the REST API returns: the offending query line echoed, a caret under
// the column, "ERROR at Row:r:Column:c", then the reason (api-facts A10).

export type SoqlErrorCode =
  | 'MALFORMED_QUERY'
  | 'INVALID_FIELD'
  | 'INVALID_TYPE'
  | 'NUMBER_OUTSIDE_VALID_RANGE'
  | 'INVALID_QUERY_FILTER_OPERATOR';

export class SoqlError extends Error {
  constructor(
    readonly errorCode: SoqlErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Builds the real message shape for an error at `offset` (0-based) in `soql`. */
export function soqlError(code: SoqlErrorCode, soql: string, offset: number, reason: string): SoqlError {
  const before = soql.slice(0, offset);
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const column = offset - lineStart + 1;
  const lineEnd = soql.indexOf('\n', offset);
  const line = soql.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
  const caret = `${' '.repeat(column - 1)}^`;
  return new SoqlError(code, `\n${line}\n${caret}\nERROR at Row:${row}:Column:${column}\n${reason}`);
}
