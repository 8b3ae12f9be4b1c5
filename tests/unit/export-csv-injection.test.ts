import { describe, expect, it } from 'vitest';
import { csvLines } from '../../lib/export';

// CSV injection (OWASP): every hostile cell below comes out as the exact CSV text a spreadsheet
// shows as text — a leading single quote before the value, the cell quoted, quotes doubled.
// Cells the old pattern (/^[=+\-@\t\r]/, first character only) let through are marked "missed".
const HOSTILE: [cell: string, csv: string][] = [
  ['=1+1', `"'=1+1"`],
  [' =1+1', `"' =1+1"`], // missed: leading space
  ['\n=1', `"'\n=1"`], // missed: leading line feed
  ['\t=1', `"'\t=1"`],
  ['\r=1', `"'\r=1"`],
  ['  \r\n\t@x', `"'  \r\n\t@x"`], // missed: mixed leading whitespace
  ['\u00a0=1', `"'\u00a0=1"`], // missed: no-break space (Salesforce's trim keeps it)
  ['\u3000=1', `"'\u3000=1"`], // missed: ideographic space
  ['\u200b=1', `"'\u200b=1"`], // missed: zero-width space
  ['\u202e=1', `"'\u202e=1"`], // missed: right-to-left override
  ['\x7f=1', `"'\x7f=1"`], // missed: DEL (control)
  ['\x00+1', `"'\x00+1"`], // missed: NUL (control)
  ['＝1+1', `"'＝1+1"`], // missed: full-width =
  [' ＋1', `"' ＋1"`], // missed: full-width + after a space
  ['－1', `"'－1"`], // missed: full-width -
  ['＠SUM(A1)', `"'＠SUM(A1)"`], // missed: full-width @
  ['@SUM', `"'@SUM"`],
  ['+1', `"'+1"`],
  ['-1', `"'-1"`],
  ['-1+2', `"'-1+2"`],
  ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
  ['=1+1\nsecond line', `"'=1+1\nsecond line"`],
  ['\tplain', `"'\tplain"`], // a tab first is escaped whatever follows
  ['\rplain', `"'\rplain"`],
];

const HARMLESS: [cell: string | number, csv: string][] = [
  ['a=b', `"a=b"`],
  ['Phone is required', `"Phone is required"`],
  ['', `""`],
  [' plain', `" plain"`],
  ['\nplain', `"\nplain"`],
  ['Smith, "Bob"', `"Smith, ""Bob"""`],
  ['a\r\nb', `"a\r\nb"`],
  ['x=1+1', `"x=1+1"`],
  ['1-2', `"1-2"`],
  // Numbers the export computes itself (cycle, Marketo id, attempts) are never prefixed.
  [1234, `"1234"`],
];

describe('CSV cells against formula injection', () => {
  it.each(HOSTILE)('escapes %j', (cell, csv) => {
    expect(csvLines([[cell]])).toBe(csv);
  });

  it.each(HARMLESS)('leaves %j as it is, quoted', (cell, csv) => {
    expect(csvLines([[cell]])).toBe(csv);
  });

  it('quotes every cell of a row, so separators and quotes inside values never shift a cell', () => {
    expect(csvLines([['a,b', '=c', 'd"e', 7]])).toBe(`"a,b","'=c","d""e","7"`);
    expect(csvLines([['x'], ['@y']])).toBe(`"x"\r\n"'@y"`);
  });
});
