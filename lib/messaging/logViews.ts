import type { PageCursor } from '../db/stepFilter';
import type { CycleMetricsRecord, CycleRow, StepRow } from '../db/types';

// What the background answers the pages about the log when they do not read it themselves: in
// service mode (issue 21, docs/service-mode.md) the log is the service's, read through its status
// API by the background (which holds the token), and the pages ask with these messages instead of
// opening IndexedDB. In browser mode the same messages answer from the browser's log. Runtime
// messages are JSON: a running step's +Infinity Ended-At key arrives as null, and maps as arrays.

/** Where the cycles run when it is not this browser: the popup and the dashboard say so. */
export interface ServiceSource {
  /** The status API's base URL, as the options page saved it. */
  url: string;
  orgId: string;
  /** The org's name at the service, once it answered. */
  orgName?: string;
  /**
   * When the background read this state from the service: each read is published anew, and the
   * popup's table reads the service's log again with it (components/logSource.ts).
   */
  readAt?: number;
  /** What the popup says about it, in words (built here: the popup's bundle is at its budget). */
  note?: string;
}

/** One window of the step table: the first `limit` rows of the filter and sort, and their cycles. */
export interface StepsWindowView {
  rows: (Omit<StepRow, 'endSort'> & { endSort: number | null })[];
  next?: PageCursor | [number | null, number];
  cycles: CycleRow[];
  /** No cycle in the log at all (the table says "No sync cycles yet" rather than "no match"). */
  logEmpty: boolean;
}

/** The dashboard's metric rows (lib/db/metrics.ts) with their counts as plain records. */
export interface DashboardMetricsView {
  rows: CycleMetricsRecord[];
  lastFetch?: number;
  fieldTypes: [string, string][];
}
