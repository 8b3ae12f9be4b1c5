// A bytea[] parameter in PostgreSQL's binary array format (what array_recv reads), for statements
// that take `$n::bytea[]`. pg sends a Buffer parameter as binary and the cast gives it its type.
// An array of Buffers handed to pg instead becomes a text literal with every element hex-escaped:
// twice the bytes to send (a first sync's rows are ~130 MB of hex for 100,000 leads), hex
// encoding in Node and decoding in PostgreSQL, ~20 % of a service worker's CPU in the first sync's
// profile (docs/log-port.md).

const BYTEA_OID = 17;

export function byteaArray(items: readonly (Buffer | null)[]): Buffer {
  if (items.length === 0) {
    // No dimensions: the empty array.
    const empty = Buffer.alloc(12);
    empty.writeUInt32BE(BYTEA_OID, 8);
    return empty;
  }
  let size = 20;
  let nulls = 0;
  for (const item of items) {
    if (item === null) nulls = 1;
    size += 4 + (item?.length ?? 0);
  }
  const out = Buffer.allocUnsafe(size);
  out.writeInt32BE(1, 0); // dimensions
  out.writeInt32BE(nulls, 4); // has NULL elements
  out.writeUInt32BE(BYTEA_OID, 8); // element type
  out.writeInt32BE(items.length, 12); // length of the dimension
  out.writeInt32BE(1, 16); // its lower bound
  let at = 20;
  for (const item of items) {
    if (item === null) {
      out.writeInt32BE(-1, at);
      at += 4;
      continue;
    }
    out.writeInt32BE(item.length, at);
    item.copy(out, at + 4);
    at += 4 + item.length;
  }
  return out;
}
