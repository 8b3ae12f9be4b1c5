// SOQL tokenizer. Identifiers keep their dots (`Account.Owner.Name` is one token); date and
// datetime literals are unquoted (`2024-05-01`, `2024-05-01T00:00:00Z`).
import { soqlError } from './errors';

export type TokenKind = 'ident' | 'string' | 'number' | 'date' | 'datetime' | 'op' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Decoded value: string contents, number, date 'YYYY-MM-DD', or datetime epoch ms. */
  value?: string | number;
  /**
   * A string decoded for LIKE: `\%`, `\_` and `\\` stay escaped (a literal %, _ or backslash there),
   * so that `'a\\%'` is a backslash and then the wildcard, not a literal percent sign.
   */
  likeValue?: string;
  offset: number;
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;
const DATETIME = /(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})/y;
const DATE = /(\d{4})-(\d{2})-(\d{2})(?![\dT])/y;
const NUMBER = /-?\d+(?:\.\d+)?(?![\w-])/y;
const OPS = ['<=', '>=', '!=', '<>', '=', '<', '>'];
const ESCAPES: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
};

function sticky(re: RegExp, src: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(src);
}

function parseDatetime(m: RegExpExecArray): number {
  const zone = m[8] === 'Z' ? 'Z' : `${m[8]!.slice(0, 3)}:${m[8]!.slice(-2)}`;
  return Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}${zone}`);
}

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (ch === "'") {
      let value = '';
      let likeValue = '';
      i++;
      for (;;) {
        if (i >= src.length)
          throw soqlError('MALFORMED_QUERY', src, start, `unexpected token: '${src.slice(start)}'`);
        const c = src[i]!;
        if (c === "'") break;
        if (c === '\\') {
          const next = src[i + 1] ?? '';
          // \% and \_ stay escaped: they only mean something inside LIKE patterns.
          value += next === '%' || next === '_' ? `\\${next}` : (ESCAPES[next] ?? next);
          likeValue += next === '%' || next === '_' || next === '\\' ? `\\${next}` : (ESCAPES[next] ?? next);
          i += 2;
          continue;
        }
        value += c;
        likeValue += c;
        i++;
      }
      i++;
      tokens.push({ kind: 'string', text: src.slice(start, i), value, likeValue, offset: start });
      continue;
    }
    const dt = sticky(DATETIME, src, i);
    if (dt) {
      const ms = parseDatetime(dt);
      if (Number.isNaN(ms))
        throw soqlError(
          'MALFORMED_QUERY',
          src,
          start,
          `line 1:${start} no viable alternative at character '${dt[0]}'`,
        );
      tokens.push({ kind: 'datetime', text: dt[0], value: ms, offset: start });
      i += dt[0].length;
      continue;
    }
    const d = sticky(DATE, src, i);
    if (d) {
      tokens.push({ kind: 'date', text: d[0], value: d[0], offset: start });
      i += d[0].length;
      continue;
    }
    const num = sticky(NUMBER, src, i);
    if (num) {
      tokens.push({ kind: 'number', text: num[0], value: Number(num[0]), offset: start });
      i += num[0].length;
      continue;
    }
    const id = sticky(IDENT, src, i);
    if (id) {
      tokens.push({ kind: 'ident', text: id[0], offset: start });
      i += id[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', text: op, offset: start });
      i += op.length;
      continue;
    }
    if ('(),:'.includes(ch)) {
      tokens.push({ kind: 'punct', text: ch, offset: start });
      i++;
      continue;
    }
    throw soqlError(
      'MALFORMED_QUERY',
      src,
      start,
      `line 1:${start} no viable alternative at character '${ch}'`,
    );
  }
  tokens.push({ kind: 'eof', text: '<EOF>', offset: src.length });
  return tokens;
}
