// A table's keys as Dexie's store strings declare them ('++id, [stepId+id], at, *sfIds'): the
// primary key (auto-incremented or not), then one index per entry — plain, compound ([a+b]) or
// multi-entry (*a, one index entry per array element). The PostgreSQL log keeps each plain or
// compound index as a column of the table and each multi-entry index as a table of its own
// (docs/log-port.md).
import { isValidKey } from './keyCodec';

export interface IndexSpec {
  /** As where() names it: 'at', '[stepId+id]', 'sfIds'. */
  name: string;
  /** The property path(s) the key is read from; an array for a compound index. */
  keyPath: string | string[];
  multiEntry: boolean;
  /** A SQL-safe identifier for its column or table. */
  sqlName: string;
}

export interface StoreSpec {
  primary: { keyPath: string; autoIncrement: boolean };
  indexes: IndexSpec[];
}

const sqlNameOf = (name: string) => `i_${name.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '')}`;

export function parseStoreSpec(spec: string): StoreSpec {
  const [first, ...rest] = spec.split(',').map((s) => s.trim());
  if (!first || first.startsWith('[') || first.startsWith('*'))
    throw new Error(`Unsupported primary key: ${spec}`);
  const autoIncrement = first.startsWith('++');
  const primary = { keyPath: first.replace(/^\+\+/, ''), autoIncrement };
  const indexes = rest.map((entry): IndexSpec => {
    if (entry.startsWith('*')) {
      const name = entry.slice(1);
      return { name, keyPath: name, multiEntry: true, sqlName: sqlNameOf(name) };
    }
    if (entry.startsWith('[')) {
      return {
        name: entry,
        keyPath: entry.slice(1, -1).split('+'),
        multiEntry: false,
        sqlName: sqlNameOf(entry),
      };
    }
    return { name: entry, keyPath: entry, multiEntry: false, sqlName: sqlNameOf(entry) };
  });
  return { primary, indexes };
}

function valueAt(row: unknown, path: string): unknown {
  let value: unknown = row;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The row's key in a plain or compound index, or undefined when the row is not in the index. */
export function indexKeyOf(row: unknown, index: IndexSpec): unknown {
  if (Array.isArray(index.keyPath)) {
    const parts = index.keyPath.map((path) => valueAt(row, path));
    return parts.every(isValidKey) ? parts : undefined;
  }
  const key = valueAt(row, index.keyPath);
  return isValidKey(key) ? key : undefined;
}

/** The row's entries in a multi-entry index: each valid element once (IndexedDB drops the rest). */
export function multiEntryKeysOf(row: unknown, index: IndexSpec): unknown[] {
  const value = valueAt(row, index.keyPath as string);
  if (!Array.isArray(value)) return isValidKey(value) ? [value] : [];
  return value.filter(isValidKey);
}

export function primaryKeyOf(row: unknown, spec: StoreSpec): unknown {
  return valueAt(row, spec.primary.keyPath);
}

/** Sets the generated key on the row (IndexedDB's "inject a key into a value"). */
export function setPrimaryKey(row: object, spec: StoreSpec, key: number): void {
  (row as Record<string, unknown>)[spec.primary.keyPath] = key;
}
