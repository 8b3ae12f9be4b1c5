// Compiles a WHERE tree into a predicate over stored rows. Literals are checked against the
// field type the way SOQL does (quoted vs unquoted, date vs dateTime) and normalised once:
// text compares case-insensitively, ids by their 18-char form, dates as UTC midnights.
import { normalizeId } from '../ids';
import type { SObjectType } from '../salesforce/schema';
import type { FieldDef, Value } from '../salesforce/schema/types';
import type { Condition, Literal, LiteralAt } from './ast';
import { soqlError } from './errors';
import { type Resolver, resolvePath } from './resolve';

type Row = Record<string, Value>;
type Predicate = (row: Row) => boolean;
/** A comparable key, or a date range [start, end) for TODAY/LAST_N_DAYS:n … */
type Operand = string | number | boolean | null | { start: number; end: number };

const DAY = 86_400_000;
const TEXT_TYPES = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist']);
const NUMBER_TYPES = new Set(['int', 'double', 'currency', 'percent']);

export function typeWord(f: FieldDef): string {
  if (f.type === 'datetime') return 'dateTime';
  if (f.type === 'int') return 'integer';
  if (f.type === 'reference') return 'id';
  if (NUMBER_TYPES.has(f.type)) return 'double';
  return TEXT_TYPES.has(f.type) ? 'string' : f.type;
}

export function dateToMs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

/** The stored value as a comparable key. */
export function keyOf(f: FieldDef, v: Value): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (TEXT_TYPES.has(f.type)) return String(v).toLowerCase();
  if (f.type === 'date') return dateToMs(String(v));
  return v;
}

export function dateRange(name: string, n: number | undefined, now: number): { start: number; end: number } {
  const today = Math.floor(now / DAY) * DAY;
  const count = n ?? 0;
  const weekStart = today - new Date(today).getUTCDay() * DAY;
  const d = new Date(today);
  const monthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  switch (name) {
    case 'YESTERDAY':
      return { start: today - DAY, end: today };
    case 'TOMORROW':
      return { start: today + DAY, end: today + 2 * DAY };
    case 'THIS_WEEK':
      return { start: weekStart, end: weekStart + 7 * DAY };
    case 'LAST_WEEK':
      return { start: weekStart - 7 * DAY, end: weekStart };
    case 'THIS_MONTH':
      return { start: monthStart, end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
    case 'LAST_MONTH':
      return { start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1), end: monthStart };
    case 'LAST_N_DAYS':
      return { start: today - count * DAY, end: today + DAY };
    case 'NEXT_N_DAYS':
      return { start: today + DAY, end: today + (count + 1) * DAY };
    case 'N_DAYS_AGO':
      return { start: today - count * DAY, end: today - (count - 1) * DAY };
    default:
      return { start: today, end: today + DAY };
  }
}

export class FilterCompiler {
  constructor(
    private readonly r: Resolver,
    private readonly root: SObjectType,
    private readonly now: number,
  ) {}

  compile(c: Condition): Predicate {
    switch (c.kind) {
      case 'and': {
        const items = c.items.map((i) => this.compile(i));
        return (row) => items.every((p) => p(row));
      }
      case 'or': {
        const items = c.items.map((i) => this.compile(i));
        return (row) => items.some((p) => p(row));
      }
      case 'not': {
        const inner = this.compile(c.item);
        return (row) => !inner(row);
      }
      case 'compare': {
        const path = resolvePath(this.r, this.root, c.ref);
        const operand = this.operand(path.field, c.value);
        const cmp = compareOp(c.op, operand);
        return (row) => cmp(keyOf(path.field, path.get(row)));
      }
      case 'in': {
        const path = resolvePath(this.r, this.root, c.ref);
        const set = new Set(
          c.values.map((v) => this.operand(path.field, v) as string | number | boolean | null),
        );
        return c.negated
          ? (row) => !set.has(keyOf(path.field, path.get(row)) as string)
          : (row) => set.has(keyOf(path.field, path.get(row)) as string);
      }
      case 'like': {
        const path = resolvePath(this.r, this.root, c.ref);
        if (
          c.pattern.literal.kind !== 'string' ||
          (!TEXT_TYPES.has(path.field.type) && path.field.type !== 'id')
        ) {
          throw soqlError(
            'INVALID_FIELD',
            this.r.soql,
            c.pattern.offset,
            `invalid operator on field: ${path.field.name}`,
          );
        }
        const re = likeToRegExp(c.pattern.literal.value);
        return (row) => {
          const v = path.get(row);
          return v !== null && re.test(String(v));
        };
      }
    }
  }

  private operand(f: FieldDef, at: LiteralAt): Operand {
    const lit: Literal = at.literal;
    if (lit.kind === 'null') return null;
    const wrong = (): never => {
      const quoted = TEXT_TYPES.has(f.type) || f.type === 'id' || f.type === 'reference';
      throw soqlError(
        'INVALID_FIELD',
        this.r.soql,
        at.offset,
        `value of filter criterion for field '${f.name}' must be of type ${typeWord(f)} and should ${quoted ? '' : 'not '}be enclosed in quotes`,
      );
    };
    if (f.type === 'id' || f.type === 'reference') {
      if (lit.kind !== 'string') return wrong();
      if (lit.value === '') return null;
      const id = normalizeId(lit.value);
      if (!id)
        throw soqlError(
          'INVALID_QUERY_FILTER_OPERATOR',
          this.r.soql,
          at.offset,
          `invalid ID field: ${lit.value}`,
        );
      return id;
    }
    if (TEXT_TYPES.has(f.type)) return lit.kind === 'string' ? lit.value.toLowerCase() : wrong();
    if (f.type === 'boolean') return lit.kind === 'boolean' ? lit.value : wrong();
    if (NUMBER_TYPES.has(f.type)) return lit.kind === 'number' ? lit.value : wrong();
    if (lit.kind === 'dateRange') return dateRange(lit.name, lit.n, this.now);
    if (f.type === 'date' && lit.kind === 'date') return dateToMs(lit.value);
    if (f.type === 'datetime' && lit.kind === 'datetime') return lit.value;
    return wrong();
  }
}

function compareOp(op: string, operand: Operand): (v: string | number | boolean | null) => boolean {
  if (operand !== null && typeof operand === 'object') {
    const { start, end } = operand;
    const inRange = (v: unknown) => typeof v === 'number' && v >= start && v < end;
    switch (op) {
      case '=':
        return inRange;
      case '!=':
        return (v) => !inRange(v);
      case '<':
        return (v) => typeof v === 'number' && v < start;
      case '<=':
        return (v) => typeof v === 'number' && v < end;
      case '>':
        return (v) => typeof v === 'number' && v >= end;
      default:
        return (v) => typeof v === 'number' && v >= start;
    }
  }
  switch (op) {
    case '=':
      return (v) => v === operand;
    case '!=':
      return (v) => v !== operand;
    // Range comparisons never match null (SQL semantics).
    case '<':
      return (v) => v !== null && operand !== null && v < operand;
    case '<=':
      return (v) => v !== null && operand !== null && v <= operand;
    case '>':
      return (v) => v !== null && operand !== null && v > operand;
    default:
      return (v) => v !== null && operand !== null && v >= operand;
  }
}

function likeToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\' && i + 1 < pattern.length) {
      re += escapeRe(pattern[++i]!);
    } else if (ch === '%') re += '.*';
    else if (ch === '_') re += '.';
    else re += escapeRe(ch);
  }
  return new RegExp(`^${re}$`, 'is');
}

function escapeRe(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
