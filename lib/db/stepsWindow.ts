import type { LogDatabase } from './logPort';
import type { StepFilter, StepSort } from './stepFilter';
import { queryStepsPage } from './stepsPage';
import type { CycleRow } from './types';

export interface StepsWindowQuery {
  filter: StepFilter;
  sort: StepSort;
  limit: number;
  /** Read the rows' cycles too (the table's "Group by cycle"). */
  grouped: boolean;
}

/**
 * The step table's window: the first `limit` steps matching the filter, and their cycles when
 * grouped. The popup and the dashboard read it as one live query, so rows stay live while a cycle
 * runs; "Load more" raises the limit. Re-reading the window on a change costs ~30 µs per row shown
 * (a few hundred at most), and unlike appending pages read once it cannot show a row twice when a
 * running step moves in the Ended-At sort. The background answers it from the same function
 * (getStepsWindow) in browser mode.
 */
export async function readStepsWindow(db: LogDatabase, { filter, sort, limit, grouped }: StepsWindowQuery) {
  const page = await queryStepsPage(db, filter, sort, { limit });
  const cycles: CycleRow[] = [];
  if (grouped && page.rows.length > 0) {
    const ids = [...new Set(page.rows.map((r) => r.cycleId))];
    for (const cycle of await db.cycles.bulkGet(ids)) if (cycle) cycles.push(cycle);
  }
  const logEmpty = page.rows.length === 0 && (await db.cycles.count()) === 0;
  return { ...page, cycles, logEmpty };
}

export type StepsWindow = Awaited<ReturnType<typeof readStepsWindow>>;
