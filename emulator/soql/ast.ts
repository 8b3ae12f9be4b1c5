// The SOQL subset the emulator understands, as a tree.

export interface FieldRef {
  path: string;
  offset: number;
}

export type SelectItem =
  | { kind: 'field'; ref: FieldRef }
  | { kind: 'count'; ref?: FieldRef; alias?: string; offset: number };

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'date'; value: string }
  | { kind: 'datetime'; value: number }
  /** TODAY, LAST_N_DAYS:n …: a half-open range of instants [start, end). */
  | { kind: 'dateRange'; name: string; n?: number };

export interface LiteralAt {
  literal: Literal;
  offset: number;
}

export type CompareOp = '=' | '!=' | '<' | '>' | '<=' | '>=';

export type Condition =
  | { kind: 'and' | 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'compare'; ref: FieldRef; op: CompareOp; value: LiteralAt }
  | { kind: 'in'; ref: FieldRef; negated: boolean; values: LiteralAt[] }
  | { kind: 'like'; ref: FieldRef; pattern: LiteralAt };

export interface OrderItem {
  ref: FieldRef;
  descending: boolean;
  nullsLast: boolean;
}

export interface Query {
  select: SelectItem[];
  /** `SELECT COUNT() FROM …`: only totalSize is returned. */
  countOnly: boolean;
  from: { name: string; offset: number };
  where?: Condition;
  orderBy: OrderItem[];
  limit?: number;
  offset?: number;
  offsetAt?: number;
}
