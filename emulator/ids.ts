// Salesforce record ids: 3-char key prefix + 2-char "pod" + 10 counter chars = 15 case-sensitive
// characters, plus a 3-char checksum that makes the 18-char form case-insensitive-safe.
// The checksum: for each 5-char chunk, bit j is set when char j is an uppercase letter; the
// 5-bit number indexes CHECKSUM_ALPHABET (verified against the doc vectors in api-facts A12).

const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
// ASCII-ordered, so ids of one object sort by creation order with a plain string compare,
// which keeps keyset paging (`WHERE Id > :last ORDER BY Id`) consistent.
const COUNTER_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const POD = '5e';

function isUpper(ch: string): boolean {
  return ch >= 'A' && ch <= 'Z';
}

export function checksum(id15: string): string {
  let out = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let j = 0; j < 5; j++) if (isUpper(id15[chunk * 5 + j]!)) bits |= 1 << j;
    out += CHECKSUM_ALPHABET[bits];
  }
  return out;
}

export function to18(id15: string): string {
  return id15 + checksum(id15);
}

const ID_SHAPE = /^[a-zA-Z0-9]{15}(?:[A-Z0-5]{3})?$/;

/**
 * Normalises a 15- or 18-char id to its 18-char form, or returns null when it is malformed
 * (wrong length, bad characters, or an 18-char id whose checksum does not match its case).
 * 18-char ids are case-insensitive in real orgs; we rebuild the case from the checksum.
 */
export function normalizeId(raw: string): string | null {
  if (!ID_SHAPE.test(raw)) {
    if (/^[a-zA-Z0-9]{18}$/.test(raw)) return restoreCase(raw);
    return null;
  }
  if (raw.length === 15) return to18(raw);
  const id15 = raw.slice(0, 15);
  return checksum(id15) === raw.slice(15) ? raw : restoreCase(raw);
}

/** An 18-char id typed in the wrong case: recover the 15-char case from the checksum. */
function restoreCase(raw: string): string | null {
  const suffix = raw.slice(15).toUpperCase();
  let id15 = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    const bits = CHECKSUM_ALPHABET.indexOf(suffix[chunk]!);
    if (bits < 0) return null;
    for (let j = 0; j < 5; j++) {
      const ch = raw[chunk * 5 + j]!;
      id15 += bits & (1 << j) ? ch.toUpperCase() : ch.toLowerCase();
    }
  }
  if (!/^[a-zA-Z0-9]{15}$/.test(id15)) return null;
  const id = to18(id15);
  return id.slice(15) === suffix ? id : null;
}

export function keyPrefixOf(id: string): string {
  return id.slice(0, 3);
}

function encodeCounter(n: number, width: number): string {
  let out = '';
  let rest = n;
  for (let i = 0; i < width; i++) {
    out = COUNTER_ALPHABET[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

/** Hands out ids per key prefix from monotonic counters (deterministic for a given seed). */
export class IdFactory {
  private readonly counters = new Map<string, number>();

  next(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return to18(prefix + POD + encodeCounter(n, 10));
  }

  reset(): void {
    this.counters.clear();
  }
}

/** A random-looking opaque string (session ids, codes) from a seeded or crypto source. */
export function opaque(length: number, random: () => number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += COUNTER_ALPHABET[Math.floor(random() * 62)];
  return out;
}
