// The PostgreSQL log's key codec orders keys exactly as IndexedDB does: for any two keys, comparing
// their encodings byte by byte (PostgreSQL's bytea order) agrees with indexedDB.cmp (fake-indexeddb
// implements the spec's "compare two keys"), and decoding gives the key back.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeKey, encodeKey, isValidKey } from '../../lib/db/pg/keyCodec';

const scalar = fc.oneof(
  fc.double({ noNaN: true }),
  fc.integer(),
  fc.constantFrom(0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-300, -1e-300),
  fc.string({ unit: 'binary' }),
  fc.string(),
  fc.constantFrom('', '\u0000', 'a\u0000', 'a', '\uffff', '\ud800', '\udbff\udfff', '\ue000'),
  fc.date({ noInvalidDate: true }),
);
// Binary keys are left out of the generated ones: fake-indexeddb 6 refuses ArrayBuffers inside
// arrays (DataError), so cmp cannot judge them; the log uses none. Their place is checked below.
const key = fc.letrec((tie) => ({
  key: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('key'), { maxLength: 4 })),
})).key;

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);

describe('PostgreSQL log key codec', () => {
  it('orders any two keys as indexedDB.cmp does', () => {
    fc.assert(
      fc.property(key, key, (a, b) => {
        expect(sign(Buffer.compare(encodeKey(a), encodeKey(b)))).toBe(indexedDB.cmp(a, b));
      }),
      { numRuns: 3000 },
    );
  });

  it('decodes what it encodes to an equal key', () => {
    fc.assert(
      fc.property(key, (k) => {
        expect(indexedDB.cmp(decodeKey(encodeKey(k)), k)).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('puts binary keys after strings and before arrays, in byte order', () => {
    const bin = (...bytes: number[]) => new Uint8Array(bytes).buffer;
    const order = ['\uffff', bin(), bin(0), bin(0, 0), bin(0, 1), bin(1), bin(255), []];
    const encoded = order.map((k) => encodeKey(k));
    for (let i = 1; i < encoded.length; i++) expect(Buffer.compare(encoded[i - 1]!, encoded[i]!)).toBe(-1);
    expect(Buffer.from(decodeKey(encodeKey(bin(0, 255, 0))) as ArrayBuffer)).toEqual(
      Buffer.from([0, 255, 0]),
    );
  });

  it('refuses what is not a key, as IndexedDB does', () => {
    for (const bad of [Number.NaN, null, undefined, true, {}, [1, null], new Date(Number.NaN)]) {
      expect(isValidKey(bad)).toBe(false);
      expect(() => encodeKey(bad)).toThrow(/Not a valid key/);
    }
  });
});
