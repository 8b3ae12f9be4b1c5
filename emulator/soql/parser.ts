// Recursive-descent parser for the SOQL subset: SELECT list (fields, parent paths, COUNT()),
// FROM, WHERE (AND/OR/NOT, parentheses, = != <> < > <= >= IN NOT IN LIKE), ORDER BY, LIMIT,
// OFFSET. Like real SOQL, mixing AND and OR without parentheses is a syntax error.
import type { CompareOp, Condition, FieldRef, Literal, LiteralAt, OrderItem, Query, SelectItem } from './ast';
import { soqlError } from './errors';
import { type Token, tokenize } from './lexer';

const DATE_RANGES = new Set([
  'TODAY',
  'YESTERDAY',
  'TOMORROW',
  'THIS_WEEK',
  'LAST_WEEK',
  'THIS_MONTH',
  'LAST_MONTH',
]);
const DATE_RANGES_N = new Set(['LAST_N_DAYS', 'NEXT_N_DAYS', 'N_DAYS_AGO']);
const CLAUSE_WORDS = new Set([
  'FROM',
  'WHERE',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'AND',
  'OR',
  'NOT',
  'IN',
  'LIKE',
  'WITH',
  'FOR',
  'GROUP',
]);

export function parseSoql(soql: string): Query {
  return new Parser(soql).query();
}

class Parser {
  private readonly tokens: Token[];
  private pos = 0;

  constructor(private readonly src: string) {
    this.tokens = tokenize(src);
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    this.pos++;
    return t;
  }

  private isWord(word: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'ident' && t.text.toUpperCase() === word;
  }

  private isPunct(p: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.text === p;
  }

  private fail(t: Token): never {
    const shown = t.kind === 'eof' ? '<EOF>' : t.text;
    throw soqlError('MALFORMED_QUERY', this.src, t.offset, `unexpected token: '${shown}'`);
  }

  private expectWord(word: string): void {
    if (!this.isWord(word)) this.fail(this.peek());
    this.pos++;
  }

  private expectPunct(p: string): void {
    if (!this.isPunct(p)) this.fail(this.peek());
    this.pos++;
  }

  query(): Query {
    this.expectWord('SELECT');
    const { select, countOnly } = this.selectList();
    this.expectWord('FROM');
    const fromTok = this.next();
    if (fromTok.kind !== 'ident' || fromTok.text.includes('.')) this.fail(fromTok);
    const query: Query = {
      select,
      countOnly,
      from: { name: fromTok.text, offset: fromTok.offset },
      orderBy: [],
    };
    // An alias after the object name (`FROM Lead l`) is not supported; it would fail below.
    if (this.isWord('WHERE')) {
      this.pos++;
      query.where = this.condition();
    }
    if (this.isWord('WITH') && this.isWord('SECURITY_ENFORCED', 1)) this.pos += 2;
    if (this.isWord('ORDER')) {
      this.pos++;
      this.expectWord('BY');
      query.orderBy = this.orderList();
    }
    if (this.isWord('LIMIT')) {
      this.pos++;
      query.limit = this.integer();
    }
    if (this.isWord('OFFSET')) {
      this.pos++;
      query.offsetAt = this.peek().offset;
      query.offset = this.integer();
    }
    if (this.isWord('FOR') && ['VIEW', 'REFERENCE', 'UPDATE'].some((w) => this.isWord(w, 1))) this.pos += 2;
    if (this.peek().kind !== 'eof') this.fail(this.peek());
    return query;
  }

  private integer(): number {
    const t = this.next();
    if (t.kind !== 'number' || !Number.isInteger(t.value)) this.fail(t);
    return t.value as number;
  }

  private selectList(): { select: SelectItem[]; countOnly: boolean } {
    const select: SelectItem[] = [];
    if (this.isWord('COUNT') && this.peek(1).text === '(' && this.peek(2).text === ')') {
      const at = this.peek().offset;
      this.pos += 3;
      if (this.isPunct(',')) this.fail(this.peek());
      return { select: [{ kind: 'count', offset: at }], countOnly: true };
    }
    for (;;) {
      select.push(this.selectItem());
      if (!this.isPunct(',')) break;
      this.pos++;
    }
    return { select, countOnly: false };
  }

  private selectItem(): SelectItem {
    const t = this.peek();
    if (this.isPunct('(')) {
      throw soqlError(
        'MALFORMED_QUERY',
        this.src,
        t.offset,
        'The emulator does not support child relationship subqueries',
      );
    }
    if (this.isWord('COUNT') && this.peek(1).text === '(') {
      this.pos += 2;
      const ref = this.peek().kind === 'ident' ? this.fieldRef() : undefined;
      this.expectPunct(')');
      const alias =
        this.peek().kind === 'ident' && !CLAUSE_WORDS.has(this.peek().text.toUpperCase())
          ? this.next().text
          : undefined;
      return { kind: 'count', ref, alias, offset: t.offset };
    }
    return { kind: 'field', ref: this.fieldRef() };
  }

  private fieldRef(): FieldRef {
    const t = this.next();
    if (t.kind !== 'ident' || CLAUSE_WORDS.has(t.text.toUpperCase())) this.fail(t);
    return { path: t.text, offset: t.offset };
  }

  private condition(): Condition {
    const first = this.unary();
    const joiner = this.isWord('AND') ? 'and' : this.isWord('OR') ? 'or' : null;
    if (!joiner) return first;
    const items = [first];
    while (this.isWord(joiner.toUpperCase())) {
      this.pos++;
      items.push(this.unary());
    }
    // `a AND b OR c` is ambiguous and real SOQL rejects it.
    if (this.isWord('AND') || this.isWord('OR')) this.fail(this.peek());
    return { kind: joiner, items };
  }

  private unary(): Condition {
    if (this.isWord('NOT')) {
      this.pos++;
      return { kind: 'not', item: this.unary() };
    }
    if (this.isPunct('(')) {
      this.pos++;
      const inner = this.condition();
      this.expectPunct(')');
      return inner;
    }
    return this.predicate();
  }

  private predicate(): Condition {
    const ref = this.fieldRef();
    const t = this.peek();
    if (t.kind === 'op') {
      this.pos++;
      const op = (t.text === '<>' ? '!=' : t.text) as CompareOp;
      return { kind: 'compare', ref, op, value: this.literal() };
    }
    if (this.isWord('LIKE')) {
      this.pos++;
      const token = this.tokens[this.pos];
      const pattern = this.literal();
      if (token?.kind === 'string' && token.likeValue !== undefined)
        pattern.literal = { kind: 'string', value: token.likeValue };
      return { kind: 'like', ref, pattern };
    }
    const negated = this.isWord('NOT') && this.isWord('IN', 1);
    if (negated) this.pos++;
    if (this.isWord('IN')) {
      this.pos++;
      this.expectPunct('(');
      const values: LiteralAt[] = [];
      for (;;) {
        values.push(this.literal());
        if (!this.isPunct(',')) break;
        this.pos++;
      }
      this.expectPunct(')');
      return { kind: 'in', ref, negated, values };
    }
    return this.fail(t);
  }

  private literal(): LiteralAt {
    const t = this.next();
    const at = (literal: Literal): LiteralAt => ({ literal, offset: t.offset });
    switch (t.kind) {
      case 'string':
        return at({ kind: 'string', value: t.value as string });
      case 'number':
        return at({ kind: 'number', value: t.value as number });
      case 'date':
        return at({ kind: 'date', value: t.value as string });
      case 'datetime':
        return at({ kind: 'datetime', value: t.value as number });
      case 'ident': {
        const word = t.text.toUpperCase();
        if (word === 'NULL') return at({ kind: 'null' });
        if (word === 'TRUE' || word === 'FALSE') return at({ kind: 'boolean', value: word === 'TRUE' });
        if (DATE_RANGES.has(word)) return at({ kind: 'dateRange', name: word });
        if (DATE_RANGES_N.has(word) && this.isPunct(':')) {
          this.pos++;
          return at({ kind: 'dateRange', name: word, n: this.integer() });
        }
        return this.fail(t);
      }
      default:
        return this.fail(t);
    }
  }

  private orderList(): OrderItem[] {
    const items: OrderItem[] = [];
    for (;;) {
      const ref = this.fieldRef();
      let descending = false;
      if (this.isWord('ASC') || this.isWord('DESC')) descending = this.next().text.toUpperCase() === 'DESC';
      let nullsLast = descending;
      if (this.isWord('NULLS')) {
        this.pos++;
        if (!this.isWord('FIRST') && !this.isWord('LAST')) this.fail(this.peek());
        nullsLast = this.next().text.toUpperCase() === 'LAST';
      }
      items.push({ ref, descending, nullsLast });
      if (!this.isPunct(',')) break;
      this.pos++;
    }
    return items;
  }
}
