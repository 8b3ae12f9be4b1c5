// What the dashboard's metric sections read (docs/dashboard.md): the metric rows of the window,
// through the `at` index (one row per cycle: 1,440 rows for 5 days of 5-minute cycles), when the
// backlog was last fetched, and the field types the noisy-fields actions need.
import { MARKETO_LEAD_SCHEMA } from '../sync/schemaCache';
import type { LogDatabase } from './logPort';
import { decodeMetrics, METRIC_KEYS_KEY, metricKeysOf, parseKeys } from './metricKeys';
import type { CycleMetrics } from './types';

/** The backlog is fetched at most this often (Marketo's Backlog Metrics refresh it hourly). */
export const BACKLOG_INTERVAL_MS = 60 * 60_000;

/** Cursor row: when the backlog was last fetched (ISO), written with the cycle's metric row. */
export const BACKLOG_FETCHED_KEY = 'metrics:backlog-fetched';

export interface DashboardMetrics {
  /** The window's cycles, oldest first. */
  rows: CycleMetrics[];
  /** When the backlog was last fetched (ms), if ever. */
  lastFetch?: number;
  /** Field types by describe: `Lead|Title`, `Marketo|leadScore` (the number fields can take thresholds). */
  fieldTypes: Map<string, string>;
}

const DESCRIBED = ['Lead', 'Contact', 'Account', MARKETO_LEAD_SCHEMA];

export async function readDashboardMetrics(db: LogDatabase, from: number): Promise<DashboardMetrics> {
  return db.transaction('r', ['metrics', 'cursors', 'schemas'], async () => {
    const [rows, keys, fetched, schemas] = await Promise.all([
      db.metrics.where('at').aboveOrEqual(from).toArray(),
      db.cursors.get(METRIC_KEYS_KEY),
      db.cursors.get(BACKLOG_FETCHED_KEY),
      db.schemas.bulkGet(DESCRIBED),
    ]);
    const fieldTypes = new Map<string, string>();
    for (const schema of schemas) {
      if (!schema) continue;
      const side = schema.objectType === MARKETO_LEAD_SCHEMA ? 'Marketo' : schema.objectType;
      for (const field of schema.fields) fieldTypes.set(`${side}|${field.name}`, field.type);
    }
    const lastFetch = Date.parse(fetched?.value ?? '');
    const dictionary = metricKeysOf(parseKeys(keys?.value));
    return {
      // Only the shape this code writes; a row of another kind (a later version's) is left out.
      rows: rows.filter((r) => r.kind === 'cycle').map((r) => decodeMetrics(r, dictionary)),
      ...(!Number.isNaN(lastFetch) && { lastFetch }),
      fieldTypes,
    };
  });
}
