// Date-based paging tokens (api-facts B6). Real tokens are base32 strings of a datetime plus
// position data; ours encode "<ISO datetime>,<activity id>", the cursor after which the next page
// starts, so a token survives new activities being appended and is O(log n) to resume from.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export interface ActivityCursor {
  date: number;
  id: number;
}

function base32Encode(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}

function base32Decode(token: string): string | null {
  const clean = token.replace(/=+$/, '');
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = ALPHABET.indexOf(char);
    if (index < 0) return null;
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

export function encodeActivityToken(cursor: ActivityCursor): string {
  return base32Encode(`${new Date(cursor.date).toISOString()},${cursor.id}`);
}

export function decodeActivityToken(token: string): ActivityCursor | null {
  const text = base32Decode(token.trim().toUpperCase());
  const match = text ? /^(\d{4}-\d\d-\d\dT[\d:.]+Z),(\d+)$/.exec(text) : null;
  if (!match) return null;
  const date = Date.parse(match[1]!);
  return Number.isFinite(date) ? { date, id: Number(match[2]) } : null;
}

/** FNV-1a, enough to tie a position token to the query it came from. */
function queryHash(key: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16);
}

/** Opaque position tokens for offset-paged lead-database queries (leads by filter, members…). */
export function encodePositionToken(offset: number, queryKey: string): string {
  return base32Encode(`P,${offset},${queryHash(queryKey)}`);
}

/** The offset a position token points at, or null when it is malformed or from another query. */
export function decodePositionToken(token: string, queryKey: string): number | null {
  const match = /^P,(\d+),([0-9a-f]+)$/.exec(base32Decode(token.trim().toUpperCase()) ?? '');
  if (!match || match[2] !== queryHash(queryKey)) return null;
  return Number(match[1]);
}
