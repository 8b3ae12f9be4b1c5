import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  and,
  contains,
  dateTimeLiteral,
  eq,
  escapeSoqlString,
  gt,
  identifier,
  inList,
  literal,
  not,
  or,
  SoqlError,
  soql,
  startsWith,
} from '../../lib/salesforce/soql';

/** Reads one SOQL string literal starting at `src[0] === "'"`, per the SOQL escape rules. */
function readStringLiteral(src: string): { value: string; length: number } {
  const escapes: Record<string, string> = {
    n: '\n',
    r: '\r',
    t: '\t',
    b: '\b',
    f: '\f',
    '"': '"',
    "'": "'",
    '\\': '\\',
  };
  if (src[0] !== "'") throw new Error('not a string literal');
  let value = '';
  for (let i = 1; i < src.length; i++) {
    const c = src[i]!;
    if (c === "'") return { value, length: i + 1 };
    if (c === '\\') {
      const next = src[++i]!;
      if (!(next in escapes)) throw new Error(`invalid escape \\${next}`);
      value += escapes[next];
    } else value += c;
  }
  throw new Error('unterminated literal');
}

describe('SOQL string literals', () => {
  it('escapes quotes, backslashes and control characters', () => {
    expect(literal("O'Brien")).toBe("'O\\'Brien'");
    expect(literal('a\\b')).toBe("'a\\\\b'");
    expect(literal('say "hi"')).toBe('\'say \\"hi\\"\'');
    expect(literal('line1\nline2\r\tx\b\f')).toBe("'line1\\nline2\\r\\tx\\b\\f'");
    expect(escapeSoqlString("\\'")).toBe("\\\\\\'");
  });

  it('round-trips any text and ends exactly where it should (no injection)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const rendered = literal(text);
        const read = readStringLiteral(rendered);
        return read.value === text && read.length === rendered.length;
      }),
      { numRuns: 1000 },
    );
    // A thousand generated strings: about a second alone, several on a machine running two test files.
  }, 30_000);

  it('keeps an injection attempt inside one literal', () => {
    const where = eq('LastName', "x' OR LastName != 'y");
    expect(where.soql).toBe("LastName = 'x\\' OR LastName != \\'y'");
    const rest = where.soql.slice('LastName = '.length);
    expect(readStringLiteral(rest).length).toBe(rest.length);
  });

  it('escapes LIKE wildcards in startsWith/contains but not in the rest of the text', () => {
    expect(startsWith('Email', '50%_off')).toEqual({ soql: "Email LIKE '50\\%\\_off%'" });
    expect(contains('Company', "O'Reilly")).toEqual({ soql: "Company LIKE '%O\\'Reilly%'" });
  });
});

describe('other SOQL literals', () => {
  it('writes datetimes as unquoted UTC ISO, milliseconds only when present', () => {
    expect(literal(new Date('2024-05-01T00:00:00Z'))).toBe('2024-05-01T00:00:00Z');
    expect(dateTimeLiteral(new Date('2024-05-01T10:20:30.456+02:00'))).toBe('2024-05-01T08:20:30.456Z');
    expect(() => literal(new Date(Number.NaN))).toThrow(SoqlError);
  });

  it('writes numbers, booleans and null unquoted; refuses non-finite numbers', () => {
    expect(literal(42.5)).toBe('42.5');
    expect(literal(true)).toBe('TRUE');
    expect(literal(false)).toBe('FALSE');
    expect(literal(null)).toBe('null');
    expect(() => literal(Number.POSITIVE_INFINITY)).toThrow(SoqlError);
  });
});

describe('soql builder', () => {
  it('builds a delta query with typed literals', () => {
    const text = soql({
      select: ['Id', 'Email', 'Account.Name', 'Id'],
      from: 'Contact',
      where: and(gt('SystemModstamp', new Date('2024-05-01T00:00:00Z')), eq('Do_Not_Sync__c', false)),
      orderBy: [{ field: 'SystemModstamp' }, { field: 'Id', direction: 'ASC' }],
      limit: 2000,
    });
    expect(text).toBe(
      'SELECT Id, Email, Account.Name FROM Contact WHERE (SystemModstamp > 2024-05-01T00:00:00Z) AND ' +
        '(Do_Not_Sync__c = FALSE) ORDER BY SystemModstamp, Id ASC LIMIT 2000',
    );
  });

  it('builds IN lists, OR, NOT and COUNT(); drops falsy optional conditions', () => {
    expect(inList('Id', ['00Q5e00000000AAAAA', "x'y"]).soql).toBe("Id IN ('00Q5e00000000AAAAA', 'x\\'y')");
    expect(inList('Status', ['a'], true).soql).toBe("Status NOT IN ('a')");
    expect(or(eq('A', 1), eq('B', 2)).soql).toBe('(A = 1) OR (B = 2)');
    expect(not(eq('IsConverted', true)).soql).toBe('NOT (IsConverted = TRUE)');
    expect(and(eq('A', 1), undefined, false).soql).toBe('A = 1');
    expect(soql({ count: true, from: 'Lead' })).toBe('SELECT COUNT() FROM Lead');
  });

  it('refuses names that are not identifiers and other malformed parts', () => {
    expect(() => identifier('Name FROM User --')).toThrow(SoqlError);
    expect(() => soql({ select: ['Id'], from: 'Lead WHERE Id != null' })).toThrow(SoqlError);
    expect(() => soql({ select: ['Id, (SELECT Id FROM Contacts)'], from: 'Account' })).toThrow(SoqlError);
    expect(() => eq("Email' OR ''='", 'x')).toThrow(SoqlError);
    expect(() => inList('Id', [])).toThrow(SoqlError);
    expect(() => and()).toThrow(SoqlError);
    expect(() => soql({ select: [], from: 'Lead' })).toThrow(SoqlError);
    expect(() => soql({ select: ['Id'], from: 'Lead', limit: -1 })).toThrow(SoqlError);
    expect(() => soql({ select: ['Id'], from: 'Lead', limit: 1.5 })).toThrow(SoqlError);
  });
});
