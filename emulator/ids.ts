// Salesforce record ids: 3-char key prefix + 2-char "pod" + 10 counter chars = 15 case-sensitive
// characters, plus a 3-char checksum that makes the 18-char form case-insensitive-safe.

import { isSalesforceId, toId18 } from '../lib/salesforce/ids';

// ASCII-ordered, so ids of one object sort by creation order with a plain string compare,
// which keeps keyset paging (`WHERE Id > :last ORDER BY Id`) consistent.
const COUNTER_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const POD = '5e';

/**
 * Normalises a 15- or 18-char id to its 18-char form, or returns null when it is malformed
 * (wrong length, bad characters, or an 18-char id whose checksum does not match its case).
 * 18-char ids are case-insensitive in real orgs; the case is rebuilt from the checksum. The
 * checksum itself is the client's (lib/salesforce/ids.ts), so both sides agree by construction.
 */
export function normalizeId(raw: string): string | null {
  return isSalesforceId(raw) ? toId18(raw) : null;
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
    return toId18(prefix + POD + encodeCounter(n, 10));
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
