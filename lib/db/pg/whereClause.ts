// where(index).equals/between/… of the PostgreSQL log: each becomes a range (or a set) of encoded
// keys (lib/db/pg/keyCodec.ts), so the bytea order PostgreSQL compares in is IndexedDB's order.
import type { LogWhereClause } from '../logPort';
import { PgCollection, type Query } from './collection';
import { encodeKey, encodeStringPrefix } from './keyCodec';
import type { PgTableAccess } from './table';

export class PgWhereClause<T, K> implements LogWhereClause<T, K> {
  constructor(
    private readonly access: PgTableAccess,
    private readonly index: Query['index'],
    /**
     * Dexie's virtual index: where('stepId') on a table indexed by [stepId+id] reads the compound
     * index by its first part. Only equals() is offered on it (all the code uses).
     */
    private readonly firstPartOnly = false,
  ) {}

  private refuseVirtual(method: string) {
    if (this.firstPartOnly) throw new Error(`${method}() is not offered on a compound index's first part`);
  }

  private range(lower: unknown, upper: unknown, lowerOpen: boolean, upperOpen: boolean) {
    return new PgCollection<T, K>(this.access, {
      index: this.index,
      keys: {
        kind: 'range',
        lower: lower === undefined ? undefined : encodeKey(lower),
        upper: upper === undefined ? undefined : encodeKey(upper),
        lowerOpen,
        upperOpen,
      },
      reverse: false,
    });
  }

  equals(key: unknown) {
    if (!this.firstPartOnly) return this.range(key, key, false, false);
    // [key, …]: the array tag, key's encoding, then any further elements (all below 0xFF).
    const lower = Buffer.concat([Buffer.from([0x50]), encodeKey(key)]);
    return new PgCollection<T, K>(this.access, {
      index: this.index,
      keys: {
        kind: 'range',
        lower,
        upper: Buffer.concat([lower, Buffer.from([0xff])]),
        lowerOpen: false,
        upperOpen: true,
      },
      reverse: false,
    });
  }

  /** anyOf([a, b]) or anyOf(a, b), as Dexie takes both. */
  anyOf(...args: unknown[]) {
    this.refuseVirtual('anyOf');
    const keys = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
    // Each key once. Equal strings or numbers are one key (Set compares them as IndexedDB does, 0
    // and -0 alike): no encoding to compare them, as a page's 2,000 ids would need.
    const simple = keys.every((k) => typeof k === 'string' || typeof k === 'number');
    const encoded = simple
      ? [...new Set(keys)].map((k) => encodeKey(k))
      : [...new Map(keys.map((k) => encodeKey(k)).map((b) => [b.toString('hex'), b])).values()];
    return new PgCollection<T, K>(this.access, {
      index: this.index,
      keys: { kind: 'anyOf', keys: encoded },
      reverse: false,
    });
  }

  between(lower: unknown, upper: unknown, includeLower = true, includeUpper = false) {
    this.refuseVirtual('between');
    return this.range(lower, upper, !includeLower, !includeUpper);
  }

  above(key: unknown) {
    this.refuseVirtual('above');
    return this.range(key, undefined, true, false);
  }

  aboveOrEqual(key: unknown) {
    this.refuseVirtual('aboveOrEqual');
    return this.range(key, undefined, false, false);
  }

  below(key: unknown) {
    this.refuseVirtual('below');
    return this.range(undefined, key, false, true);
  }

  belowOrEqual(key: unknown) {
    this.refuseVirtual('belowOrEqual');
    return this.range(undefined, key, false, false);
  }

  /** Every string key beginning with prefix: its bytes, then anything below 0xFF (never in a string). */
  startsWith(prefix: string) {
    this.refuseVirtual('startsWith');
    const lower = encodeStringPrefix(prefix);
    return new PgCollection<T, K>(this.access, {
      index: this.index,
      keys: {
        kind: 'range',
        lower,
        upper: Buffer.concat([lower, Buffer.from([0xff])]),
        lowerOpen: false,
        upperOpen: true,
      },
      reverse: false,
    });
  }
}
