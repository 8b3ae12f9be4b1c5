// Short hashes of field values (design §5 "skipped"): a record whose mapped fields hash to what
// was synced last time is skipped, which also swallows the echo of our own writes coming back as
// a change from the other side. Values are normalised first because the two APIs spell the same
// value differently: Marketo omits nulls and may send numbers as strings ("42"), Salesforce sends
// 42.0 as 42, both use '' and null for "empty".

const NUMBER_TEXT = /^-?(0|[1-9]\d*)(\.\d+)?$/;

/** One canonical text per value, equal on both sides for the same data (or null for empty). */
export function normalizeValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') return null;
    // "42", "42.0" and 42 are the same number; leading zeros ("007") are not numbers but codes.
    // Only a text starting with a digit or '-' can be one (most texts are names and emails).
    const first = text.charCodeAt(0);
    if (((first >= 48 && first <= 57) || first === 45) && NUMBER_TEXT.test(text)) return String(Number(text));
    return text;
  }
  return JSON.stringify(value);
}

/** FNV-1a, 32 bits, base 36: about 6 characters; a collision only costs one missed update. */
export function hashText(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

const NULL_HASH = '-';

export function valueHash(value: unknown): string {
  const text = normalizeValue(value);
  return text === null ? NULL_HASH : hashText(text);
}
