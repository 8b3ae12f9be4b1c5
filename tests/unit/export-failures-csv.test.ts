import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { type FailureView, listFailedBatches, listFailures } from '../../lib/db/failures';
import { finishStep, startCycle, startStep } from '../../lib/db/lifecycle';
import type { PackedOutcome } from '../../lib/db/types';
import { writeBatch } from '../../lib/db/writeBatch';
import {
  FAILURE_CSV_COLUMNS,
  failureCsvFileName,
  failureCsvParts,
  failureCsvPartsOfBatches,
  failureCsvRow,
  recordUrl,
} from '../../lib/export';
import { toId18 } from '../../lib/salesforce/ids';
import { freshDb, MINUTE } from './db-fixtures';

const T0 = Date.UTC(2026, 10, 20, 8, 0);
const INSTANCE = 'https://acme.my.salesforce.com';
const contactId = (n: number) => toId18(`003RO${String(n).padStart(10, '0')}`);

const failure = (fields: Partial<FailureView> = {}): FailureView => ({
  time: T0,
  cycleId: 7,
  operation: 'Pull Updates',
  objectType: 'Contact',
  sfId: contactId(1),
  mktoId: 1234,
  name: 'Ada Lovelace',
  code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
  message: 'Phone is required',
  fields: ['Phone', 'MobilePhone'],
  attempts: 2,
  ...fields,
});

async function* chunksOf(...chunks: FailureView[][]) {
  yield* chunks;
}

async function csvOf(chunks: AsyncIterable<FailureView[]>, instanceUrl?: string) {
  const parts: string[] = [];
  for await (const part of failureCsvParts(chunks, { instanceUrl })) parts.push(part);
  return { parts, text: parts.join('') };
}

const parse = (text: string) =>
  Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;

describe('failure CSV', () => {
  it('writes the header and each row in the column order of the issue', async () => {
    const { text } = await csvOf(chunksOf([failure()]), INSTANCE);
    expect(text.startsWith('\uFEFF')).toBe(true);
    const [header, row] = parse(text);
    expect(header).toEqual([
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
    ]);
    expect(row).toEqual([
      '2026-11-20T08:00:00.000Z',
      '7',
      'Pull Updates',
      'Contact',
      contactId(1),
      '1234',
      'Ada Lovelace',
      'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      'Phone is required',
      'Phone; MobilePhone',
      '2',
      `${INSTANCE}/lightning/r/Contact/${contactId(1)}/view`,
    ]);
    expect(FAILURE_CSV_COLUMNS).toHaveLength(row!.length);
  });

  it('escapes cells that a spreadsheet would run as a formula, including multi-line ones', async () => {
    const evil = [
      failure({ name: '=HYPERLINK("http://evil.example","click")' }),
      failure({ name: '+1 555 0100', message: '-2+3' }),
      failure({ name: '@SUM(A1)', message: '=1+1\nsecond line' }),
      failure({ name: '\tTabbed' }),
    ];
    const { text } = await csvOf(chunksOf(evil));
    const rows = parse(text).slice(1);
    expect(rows.map((r) => r[6])).toEqual([
      '\'=HYPERLINK("http://evil.example","click")',
      "'+1 555 0100",
      "'@SUM(A1)",
      "'\tTabbed",
    ]);
    expect(rows[1]![8]).toBe("'-2+3");
    // PapaParse's own `escapeFormulae: true` pattern misses this one (it cannot cross the newline).
    expect(rows[2]![8]).toBe("'=1+1\nsecond line");
    // Numbers are never prefixed, and ordinary text is left alone.
    expect(rows[0]![5]).toBe('1234');
    expect(rows[0]![8]).toBe('Phone is required');
  });

  it('quotes commas, quotes and newlines so that every row keeps its 12 cells', async () => {
    const { text } = await csvOf(chunksOf([failure({ name: 'Smith, "Bob"', message: 'a\r\nb' })]));
    const [, row] = parse(text);
    expect(row).toHaveLength(12);
    expect(row![6]).toBe('Smith, "Bob"');
    expect(row![8]).toBe('a\r\nb');
  });

  it('leaves the URL empty without an instance URL and the optional cells empty when absent', async () => {
    const { mktoId: _m, name: _n, ...bare } = failure();
    const row = failureCsvRow(bare);
    expect(row[5]).toBe('');
    expect(row[6]).toBe('');
    expect(row[11]).toBe('');
  });

  it('makes one part per chunk (plus the header), and the parts join into one valid file', async () => {
    const chunks = [0, 1, 2].map((c) =>
      Array.from({ length: 3 }, (_, i) => failure({ sfId: contactId(c * 3 + i), name: `N${c * 3 + i}` })),
    );
    const { parts, text } = await csvOf(chunksOf(chunks[0]!, [], chunks[1]!, chunks[2]!));
    expect(parts).toHaveLength(4);
    for (const part of parts) expect(part.endsWith('\r\n')).toBe(true);
    const rows = parse(text);
    expect(rows).toHaveLength(10);
    expect(rows.slice(1).map((r) => r[6])).toEqual(['N0', 'N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8']);
  });

  it('exports what listFailures reads from the log, chunk by chunk', async () => {
    const db = freshDb();
    const cycleId = await startCycle(db, { trigger: 'schedule', at: T0 });
    const stepId = await startStep(db, { cycleId, operation: 'Pull Updates', objectType: 'Person', at: T0 });
    for (let batch = 0; batch < 3; batch++) {
      const outcomes: PackedOutcome[] = Array.from({ length: 5 }, (_, i) => {
        const n = batch * 5 + i;
        const sfId = toId18(`00QRO${String(n).padStart(10, '0')}`);
        return i % 2 === 0
          ? {
              sfId,
              name: n === 0 ? '=cmd|" /C calc"!A0' : `Lead ${n}`,
              outcome: 'failed' as const,
              error: { code: 'INVALID_EMAIL_ADDRESS', message: 'Email: invalid', fields: ['Email'] },
            }
          : { sfId, outcome: 'skipped' as const };
      });
      await writeBatch(db, {
        cycleId,
        stepId,
        operation: 'Pull Updates',
        objectType: 'Person',
        at: T0 + batch,
        outcomes,
      });
    }
    await finishStep(db, stepId, { status: 'Completed', at: T0 + MINUTE });
    const chunkSizes: number[] = [];
    async function* counted() {
      for await (const chunk of listFailures(db, {}, { chunkSize: 4 })) {
        chunkSizes.push(chunk.length);
        yield chunk;
      }
    }
    const { parts, text } = await csvOf(counted(), INSTANCE);
    expect(chunkSizes).toEqual([4, 4, 1]);
    expect(parts).toHaveLength(4);
    const rows = parse(text).slice(1);
    expect(rows).toHaveLength(9);
    const first = rows.find((r) => r[4] === toId18('00QRO0000000000'))!;
    expect(first[6]).toBe('\'=cmd|" /C calc"!A0');
    expect(first[3]).toBe('Person');
    expect(first[10]).toBe('1');
    expect(first[11]).toBe(`${INSTANCE}/lightning/r/Lead/${first[4]}/view`);

    // The export's fast path, straight from batch rows, writes the same file.
    const counts: number[] = [];
    const fast: string[] = [];
    const batches = listFailedBatches(db, {});
    for await (const part of failureCsvPartsOfBatches(batches, {
      instanceUrl: INSTANCE,
      onRows: (n) => counts.push(n),
    }))
      fast.push(part);
    expect(fast.join('')).toBe(text);
    expect(counts.at(-1)).toBe(9);
  });

  it('names the file with a sortable UTC timestamp', () => {
    expect(failureCsvFileName(Date.UTC(2026, 10, 20, 10, 5, 9, 123))).toBe(
      'sync-errors-2026-11-20T10-05-09Z.csv',
    );
  });
});

describe('recordUrl', () => {
  it('links by the id key prefix, so a Person is a Lead or a Contact', () => {
    expect(recordUrl(INSTANCE, 'Person', '00QRO0000000001AAA')).toBe(
      `${INSTANCE}/lightning/r/Lead/00QRO0000000001AAA/view`,
    );
    expect(recordUrl(`${INSTANCE}/`, 'Person', '003RO0000000001AAA')).toBe(
      `${INSTANCE}/lightning/r/Contact/003RO0000000001AAA/view`,
    );
    expect(recordUrl(INSTANCE, 'Opportunity Contact Role', 'a0XRO0000000001AAA')).toBe(
      `${INSTANCE}/lightning/r/OpportunityContactRole/a0XRO0000000001AAA/view`,
    );
  });

  it('gives no link without an instance URL, for an unknown custom object, or for a malformed id', () => {
    expect(recordUrl(undefined, 'Contact', '003RO0000000001AAA')).toBeUndefined();
    expect(recordUrl(INSTANCE, 'Custom Objects', 'a01RO0000000001AAA')).toBeUndefined();
    expect(recordUrl(INSTANCE, 'Contact', '../../evil')).toBeUndefined();
  });
});
