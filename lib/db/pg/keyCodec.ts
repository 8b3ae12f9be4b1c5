// IndexedDB keys as bytes that PostgreSQL's bytea comparison (memcmp) orders exactly as IndexedDB's
// key comparison does (W3C IndexedDB 3.0 "compare two keys"): Number < Date < String < Binary <
// Array; numbers by value; strings by UTF-16 code unit; binary by byte; arrays element by element,
// a prefix first. Libraries that encode sortable keys (bytewise, charwise) order the types
// differently (binary before strings), so the PostgreSQL log would page rows in another order than
// the browser's log: hence this small codec, checked against fake-indexeddb's indexedDB.cmp by a
// property test (tests/unit/db-pg-key-codec.test.ts).
//
// Layout: a type tag byte, then
// - Number/Date: 8 bytes of the float64, sign bit flipped for ≥ 0 and all bits flipped for < 0;
// - String: each UTF-16 code unit as its own 1–3 byte UTF-8 sequence (surrogates too, so byte order
//   is code-unit order), a 0x00 unit escaped as 00 FF, ended by 00;
// - Binary: the bytes, 00 escaped as 00 FF, ended by 00;
// - Array: the elements, ended by 00 (every tag is above 00, so a prefix sorts first).

const NUMBER = 0x10;
const DATE = 0x20;
const STRING = 0x30;
const BINARY = 0x40;
const ARRAY = 0x50;

export class InvalidKeyError extends Error {
  override name = 'DataError';
}

/** Whether value is a valid IndexedDB key (what an index holds; anything else is not indexed). */
export function isValidKey(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isNaN(value);
  if (typeof value === 'string') return true;
  if (value instanceof Date) return !Number.isNaN(value.getTime());
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return true;
  if (Array.isArray(value)) return value.every(isValidKey);
  return false;
}

class Writer {
  private buf = Buffer.allocUnsafe(64);
  private at = 0;

  private room(n: number) {
    if (this.at + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }

  byte(b: number) {
    this.room(1);
    this.buf[this.at++] = b;
  }

  float(n: number) {
    this.room(8);
    this.buf.writeDoubleBE(n === 0 ? 0 : n, this.at);
    if (this.buf[this.at]! & 0x80)
      for (let i = 0; i < 8; i++) this.buf[this.at + i] = ~this.buf[this.at + i]! & 0xff;
    else this.buf[this.at] = this.buf[this.at]! | 0x80;
    this.at += 8;
  }

  escaped(bytes: Uint8Array) {
    this.room(bytes.length * 2 + 1);
    for (const b of bytes) {
      this.buf[this.at++] = b;
      if (b === 0) this.buf[this.at++] = 0xff;
    }
    this.buf[this.at++] = 0;
  }

  string(s: string) {
    this.room(s.length * 3 + 2);
    for (let i = 0; i < s.length; i++) {
      const u = s.charCodeAt(i);
      if (u === 0) {
        this.buf[this.at++] = 0;
        this.buf[this.at++] = 0xff;
      } else if (u < 0x80) this.buf[this.at++] = u;
      else if (u < 0x800) {
        this.buf[this.at++] = 0xc0 | (u >> 6);
        this.buf[this.at++] = 0x80 | (u & 0x3f);
      } else {
        this.buf[this.at++] = 0xe0 | (u >> 12);
        this.buf[this.at++] = 0x80 | ((u >> 6) & 0x3f);
        this.buf[this.at++] = 0x80 | (u & 0x3f);
      }
    }
    this.buf[this.at++] = 0;
  }

  /** The bytes written (a view, not a copy: a key is encoded by the hundred thousand in a sync). */
  done(): Buffer {
    return this.buf.subarray(0, this.at);
  }
}

function write(w: Writer, key: unknown): void {
  if (typeof key === 'number' && !Number.isNaN(key)) {
    w.byte(NUMBER);
    w.float(key);
  } else if (typeof key === 'string') {
    w.byte(STRING);
    w.string(key);
  } else if (key instanceof Date && !Number.isNaN(key.getTime())) {
    w.byte(DATE);
    w.float(key.getTime());
  } else if (key instanceof ArrayBuffer || ArrayBuffer.isView(key)) {
    w.byte(BINARY);
    w.escaped(
      key instanceof ArrayBuffer
        ? new Uint8Array(key)
        : new Uint8Array(key.buffer, key.byteOffset, key.byteLength),
    );
  } else if (Array.isArray(key)) {
    w.byte(ARRAY);
    for (const element of key) write(w, element);
    w.byte(0);
  } else {
    throw new InvalidKeyError(`Not a valid key: ${String(key)}`);
  }
}

export function encodeKey(key: unknown): Buffer {
  const w = new Writer();
  write(w, key);
  return w.done();
}

/** The bytes every string key starting with prefix begins with (startsWith ranges). */
export function encodeStringPrefix(prefix: string): Buffer {
  const full = encodeKey(prefix);
  return full.subarray(0, full.length - 1);
}

function readFloat(buf: Buffer, at: number): number {
  const copy = Buffer.from(buf.subarray(at, at + 8));
  if (copy[0]! & 0x80) copy[0] = copy[0]! & 0x7f;
  else for (let i = 0; i < 8; i++) copy[i] = ~copy[i]! & 0xff;
  return copy.readDoubleBE(0);
}

function read(buf: Buffer, at: number): [unknown, number] {
  const tag = buf[at]!;
  let i = at + 1;
  if (tag === NUMBER) return [readFloat(buf, i), i + 8];
  if (tag === DATE) return [new Date(readFloat(buf, i)), i + 8];
  if (tag === ARRAY) {
    const out: unknown[] = [];
    while (buf[i] !== 0) {
      const [element, next] = read(buf, i);
      out.push(element);
      i = next;
    }
    return [out, i + 1];
  }
  const bytes: number[] = [];
  for (;;) {
    const b = buf[i++]!;
    if (b === 0) {
      if (buf[i] === 0xff) {
        bytes.push(0);
        i++;
        continue;
      }
      break;
    }
    bytes.push(b);
  }
  if (tag === BINARY) return [new Uint8Array(bytes).buffer, i];
  if (tag !== STRING) throw new InvalidKeyError(`Not an encoded key (tag ${tag})`);
  let s = '';
  for (let j = 0; j < bytes.length; ) {
    const b = bytes[j]!;
    if (b < 0x80) {
      s += String.fromCharCode(b);
      j += 1;
    } else if (b < 0xe0) {
      s += String.fromCharCode(((b & 0x1f) << 6) | (bytes[j + 1]! & 0x3f));
      j += 2;
    } else {
      s += String.fromCharCode(((b & 0x0f) << 12) | ((bytes[j + 1]! & 0x3f) << 6) | (bytes[j + 2]! & 0x3f));
      j += 3;
    }
  }
  return [s, i];
}

export function decodeKey(buf: Buffer): unknown {
  return read(buf, 0)[0];
}
