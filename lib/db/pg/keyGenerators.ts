// IndexedDB's key generators for the PostgreSQL log's auto-increment tables (docs/log-port.md). Each
// table's keys come from a sequence; a read-write transaction reads every sequence once, with its
// BEGIN (the statements go out together, session.ts), and then hands keys out from that copy with
// no round trip of its own — the key is in the row, so asking the sequence for it (nextval) was a
// round trip between a batch's reads and its writes. This is safe because only read-write
// transactions hand out keys and they hold the log's advisory lock: no other writer moves a
// sequence meanwhile. The sequence is then moved past the keys given (setval, sent with the writes).
import type { PoolClient } from 'pg';

/** The last key each sequence gave (0: none yet). */
export async function readGenerators(
  client: PoolClient,
  sequences: readonly string[],
): Promise<Map<string, number>> {
  const { rows } = await client.query<{ i: number; last: string }>(
    sequences
      .map(
        (seq, i) =>
          `SELECT ${i} AS i, CASE WHEN is_called THEN last_value ELSE last_value - 1 END AS last FROM ${seq}`,
      )
      .join(' UNION ALL '),
  );
  return new Map(rows.map((r) => [sequences[r.i]!, Number(r.last)]));
}

/**
 * `count` new keys from the generator and, with `explicitTop` (the largest explicit integer key
 * written), the generator moved past it as IndexedDB does. `moveTo` is where the sequence must be
 * set, when it moved.
 */
export function takeKeys(
  generators: Map<string, number>,
  sequence: string,
  count: number,
  explicitTop: number | undefined,
): { keys: number[]; moveTo?: number } {
  const last = generators.get(sequence);
  if (last === undefined) throw new Error(`${sequence}: not a sequence of this log`);
  const keys = Array.from({ length: count }, (_, i) => last + 1 + i);
  const top = Math.max(last + count, explicitTop ?? 0);
  if (top === last) return { keys };
  generators.set(sequence, top);
  return { keys, moveTo: top };
}

export function setvalSql(sequence: string): string {
  return `SELECT setval('${sequence.replace(/'/g, "''")}', $1::bigint)`;
}
