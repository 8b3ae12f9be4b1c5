import { describe, expect, it } from 'vitest';
import { ResponseShapeError } from '../../lib/http/parse';
import { chunk, toOutcomes } from '../../lib/marketo/envelope';
import { errorFromEnvelope } from '../../lib/marketo/errors';
import { normaliseMarketoDate } from '../../lib/marketo/schemas';

describe('toOutcomes', () => {
  const id = (r: { id?: number }) => r.id;

  it('keeps positional results in input order with empty reasons by default', () => {
    const outcomes = toOutcomes(
      [
        { id: 1, status: 'created' as const },
        { status: 'skipped' as const, reasons: [{ code: '1005', message: 'Lead already exists' }] },
      ],
      2,
      'POST /rest/v1/leads.json',
      id,
    );
    expect(outcomes).toEqual([
      { status: 'created', id: 1, reasons: [] },
      { status: 'skipped', reasons: [{ code: '1005', message: 'Lead already exists' }] },
    ]);
  });

  it('places results by seq when Marketo returns them out of order', () => {
    const outcomes = toOutcomes(
      [
        { seq: 1, id: 20, status: 'updated' as const },
        { seq: 0, id: 10, status: 'created' as const },
      ],
      2,
      'x',
      id,
    );
    expect(outcomes.map((o) => o.id)).toEqual([10, 20]);
  });

  it('refuses a result count that does not match the inputs, naming the endpoint and field', () => {
    const error = (() => {
      try {
        toOutcomes([{ id: 1, status: 'created' as const }], 2, 'POST /rest/v1/leads.json', id);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ResponseShapeError);
    expect(error).toMatchObject({ endpoint: 'POST /rest/v1/leads.json', path: 'result' });
    expect((error as Error).message).toMatch(/has 1 items for 2 inputs/);
  });

  it('refuses a repeated or out-of-range seq', () => {
    const repeated: { seq: number; id?: number; status: 'created' }[] = [
      { seq: 0, status: 'created' },
      { seq: 0, status: 'created' },
    ];
    expect(() => toOutcomes(repeated, 2, 'x', id)).toThrow(/result\.1\.seq/);
    expect(() => toOutcomes([{ seq: 5, id: 1, status: 'created' as const }], 1, 'x', id)).toThrow(
      ResponseShapeError,
    );
  });
});

describe('chunk', () => {
  it('splits into batches of at most the size, keeping order', () => {
    expect(chunk([1, 2, 3, 4, 5, 6, 7], 3)).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(chunk([], 300)).toEqual([]);
  });
});

describe('normaliseMarketoDate', () => {
  it('reads the three datetime spellings Marketo uses', () => {
    expect(normaliseMarketoDate('2023-01-16T23:32:19Z')).toBe('2023-01-16T23:32:19.000Z');
    expect(normaliseMarketoDate('2023-01-16T23:32:19+0000')).toBe('2023-01-16T23:32:19.000Z');
    expect(normaliseMarketoDate('2015-05-21T22:45:13Z+0000')).toBe('2015-05-21T22:45:13.000Z');
    expect(normaliseMarketoDate('2010-05-07T15:41:32-05:00')).toBe('2010-05-07T20:41:32.000Z');
    expect(normaliseMarketoDate('yesterday')).toBeNull();
  });
});

describe('errorFromEnvelope', () => {
  it('classifies codes by what the client should do', () => {
    const at = (code: string) => errorFromEnvelope(code, 'm', 'GET /x', 20_000);
    expect(at('606')).toMatchObject({ kind: 'rate-limit', retryable: true, retryAfterMs: 20_000 });
    expect(at('615')).toMatchObject({ kind: 'rate-limit', retryable: true });
    expect(at('607')).toMatchObject({ kind: 'quota', retryable: false });
    expect(at('607').message).toMatch(/daily API quota spent/);
    expect(at('604')).toMatchObject({ kind: 'transient', retryable: true });
    expect(at('611')).toMatchObject({ kind: 'transient', retryable: true });
    expect(at('602')).toMatchObject({ kind: 'auth', retryable: false });
    expect(at('603')).toMatchObject({ kind: 'auth', retryable: false });
    expect(at('1003')).toMatchObject({ kind: 'request', retryable: false, code: '1003', endpoint: 'GET /x' });
  });
});
