// SOQL built from typed parts, never by pasting text: names are checked against the identifier
// grammar and every value goes through `literal()`, which escapes strings per the SOQL rules
// (backslash escapes \' \" \\ \n \r \t \b \f) and writes datetimes as unquoted ISO UTC ("…Z").

export type SoqlValue = string | number | boolean | null | Date;

export class SoqlError extends Error {
  override readonly name = 'SoqlError';
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;

/** A field, relationship path or object name; anything else is refused rather than escaped. */
export function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new SoqlError(`not a SOQL field or object name: ${JSON.stringify(name)}`);
  return name;
}

const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** Escapes text for the inside of a SOQL string literal. */
export function escapeSoqlString(text: string): string {
  return text.replace(/[\\'"\n\r\t\b\f]/g, (c) => ESCAPES[c]!);
}

/** In LIKE patterns `%` and `_` are wildcards; escape them to match them literally. */
export function escapeLikePattern(text: string): string {
  return escapeSoqlString(text).replace(/[%_]/g, (c) => `\\${c}`);
}

/** SOQL datetime literal: unquoted UTC ISO, milliseconds kept only when not zero. */
export function dateTimeLiteral(value: Date): string {
  if (Number.isNaN(value.getTime())) throw new SoqlError('invalid Date in SOQL literal');
  return value.toISOString().replace('.000Z', 'Z');
}

export function literal(value: SoqlValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${escapeSoqlString(value)}'`;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new SoqlError(`not a finite number: ${value}`);
    return String(value);
  }
  if (value instanceof Date) return dateTimeLiteral(value);
  throw new SoqlError(`unsupported SOQL value: ${String(value)}`);
}

/** A WHERE condition, already rendered from checked names and escaped literals. */
export interface Condition {
  readonly soql: string;
}

type Comparison = '=' | '!=' | '<' | '<=' | '>' | '>=';

const condition = (soql: string): Condition => ({ soql });

export function compare(field: string, op: Comparison, value: SoqlValue): Condition {
  return condition(`${identifier(field)} ${op} ${literal(value)}`);
}
export const eq = (field: string, value: SoqlValue) => compare(field, '=', value);
export const ne = (field: string, value: SoqlValue) => compare(field, '!=', value);
export const gt = (field: string, value: SoqlValue) => compare(field, '>', value);
export const gte = (field: string, value: SoqlValue) => compare(field, '>=', value);
export const lt = (field: string, value: SoqlValue) => compare(field, '<', value);
export const lte = (field: string, value: SoqlValue) => compare(field, '<=', value);

export function inList(field: string, values: readonly SoqlValue[], negate = false): Condition {
  // `IN ()` is a syntax error in SOQL; an empty list matches nothing, which the caller should skip.
  if (values.length === 0) throw new SoqlError(`empty IN list for ${field}`);
  return condition(`${identifier(field)} ${negate ? 'NOT IN' : 'IN'} (${values.map(literal).join(', ')})`);
}

/** LIKE with a pattern whose `%`/`_` are wildcards; use `startsWith`/`contains` for user text. */
export function like(field: string, pattern: string): Condition {
  return condition(`${identifier(field)} LIKE '${escapeSoqlString(pattern)}'`);
}
export const startsWith = (field: string, text: string) =>
  condition(`${identifier(field)} LIKE '${escapeLikePattern(text)}%'`);
export const contains = (field: string, text: string) =>
  condition(`${identifier(field)} LIKE '%${escapeLikePattern(text)}%'`);

function join(op: 'AND' | 'OR', parts: readonly (Condition | undefined | false)[]): Condition {
  const present = parts.filter((p): p is Condition => !!p);
  if (present.length === 0) throw new SoqlError(`${op} of no conditions`);
  if (present.length === 1) return present[0]!;
  return condition(present.map((p) => `(${p.soql})`).join(` ${op} `));
}
/** Falsy parts are dropped, so optional filters read naturally: `and(a, cursor && gt(...))`. */
export const and = (...parts: (Condition | undefined | false)[]) => join('AND', parts);
export const or = (...parts: (Condition | undefined | false)[]) => join('OR', parts);
export const not = (part: Condition) => condition(`NOT (${part.soql})`);

export interface SoqlQuery {
  /** Field names; `COUNT()` via `count: true`. */
  select?: readonly string[];
  count?: boolean;
  from: string;
  where?: Condition;
  orderBy?: readonly { field: string; direction?: 'ASC' | 'DESC'; nulls?: 'FIRST' | 'LAST' }[];
  limit?: number;
}

export function soql(query: SoqlQuery): string {
  const fields = query.count ? ['COUNT()'] : [...new Set(query.select ?? [])].map(identifier);
  if (fields.length === 0) throw new SoqlError('SELECT needs at least one field');
  let text = `SELECT ${fields.join(', ')} FROM ${identifier(query.from)}`;
  if (query.where) text += ` WHERE ${query.where.soql}`;
  if (query.orderBy?.length) {
    const order = query.orderBy.map((o) => {
      if (o.direction && o.direction !== 'ASC' && o.direction !== 'DESC') throw new SoqlError('bad ORDER BY');
      if (o.nulls && o.nulls !== 'FIRST' && o.nulls !== 'LAST') throw new SoqlError('bad NULLS');
      return `${identifier(o.field)}${o.direction ? ` ${o.direction}` : ''}${o.nulls ? ` NULLS ${o.nulls}` : ''}`;
    });
    text += ` ORDER BY ${order.join(', ')}`;
  }
  if (query.limit !== undefined) {
    if (!Number.isInteger(query.limit) || query.limit < 0) throw new SoqlError(`bad LIMIT: ${query.limit}`);
    text += ` LIMIT ${query.limit}`;
  }
  return text;
}
