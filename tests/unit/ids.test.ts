import { describe, expect, it } from 'vitest';
import { isSalesforceId, toId15, toId18 } from '../../lib/salesforce/ids';

// Test vectors from api-facts A12 (checked against official documentation ids).
const PAIRS: [string, string][] = [
  ['003RO0000035WQg', '003RO0000035WQgYAM'],
  ['001D000000IRFma', '001D000000IRFmaIAH'],
  ['a0BA0000000L2ZC', 'a0BA0000000L2ZCMA0'],
  ['70130000001tcyI', '70130000001tcyIAAQ'],
  ['AAaAAbbBBBCcCCC', 'AAaAAbbBBBCcCCC123'],
  // The gist's vector claimed suffix EAC; api-facts A12 corrects it to EAI.
  ['a0D30000001n7Pi', 'a0D30000001n7PiEAI'],
];

describe('toId18', () => {
  it.each(PAIRS)('adds the checksum to %s', (id15, id18) => {
    expect(toId18(id15)).toBe(id18);
  });

  it.each(PAIRS)('leaves the 18-character form of %s unchanged', (_id15, id18) => {
    expect(toId18(id18)).toBe(id18);
  });

  it('restores the letter case of an 18-character id that was lower- or upper-cased', () => {
    expect(toId18('003ro0000035wqgyam')).toBe('003RO0000035WQgYAM');
    expect(toId18('A0BA0000000L2ZCMA0'.toLowerCase())).toBe('a0BA0000000L2ZCMA0');
    expect(toId18('70130000001TCYIAAQ')).toBe('70130000001tcyIAAQ');
  });

  it('gives back any case-mangled 18-character form as the canonical one (the fast path agrees)', () => {
    // Every id of 15 random letters and digits, its canonical form, and that form with each
    // character's case flipped at random: toId18 returns the canonical form for all of them.
    const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let n = 0; n < 2000; n++) {
      const id15 = Array.from({ length: 15 }, () => chars[next() % chars.length]).join('');
      const canonical = toId18(id15);
      expect(toId18(canonical)).toBe(canonical);
      const mangled = [...canonical].map((c) => (next() % 2 ? c.toLowerCase() : c.toUpperCase())).join('');
      expect(toId18(mangled)).toBe(canonical);
    }
  });

  it('rejects malformed ids with a message that shows the value', () => {
    for (const bad of [
      '',
      '003RO0000035WQ',
      '003RO0000035WQg!',
      '003RO0000035WQgYA',
      '003RO0000035WQgYAMX',
    ]) {
      expect(() => toId18(bad)).toThrow(`"${bad}"`);
    }
  });

  it('rejects an 18-character id whose suffix marks a digit as upper case', () => {
    // Suffix "B" sets bit 0 of the first chunk, but the first character is the digit 0.
    expect(() => toId18('003RO0000035WQgBAM')).toThrow('Not a Salesforce record id');
  });

  it('a wrong suffix yields a different record, never the same one', () => {
    // Only the case pattern is encoded: a consistent but different suffix names another id.
    expect(toId18('003RO0000035WQgYAA')).not.toBe('003RO0000035WQgYAM');
  });
});

describe('toId15 and isSalesforceId', () => {
  it('truncates to the case-exact 15-character form', () => {
    expect(toId15('003ro0000035wqgyam')).toBe('003RO0000035WQg');
    expect(toId15('001D000000IRFma')).toBe('001D000000IRFma');
  });

  it('tells ids from other strings', () => {
    expect(isSalesforceId('003RO0000035WQg')).toBe(true);
    expect(isSalesforceId('003RO0000035WQgYAM')).toBe(true);
    expect(isSalesforceId('003RO0000035WQgBAM')).toBe(false);
    expect(isSalesforceId('003RO0000035WQgYA')).toBe(false);
    expect(isSalesforceId('not an id at all!')).toBe(false);
  });
});
