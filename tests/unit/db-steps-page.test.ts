import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SyncLogDatabase } from '../../lib/db/database';
import { startStep } from '../../lib/db/lifecycle';
import type { PageCursor, StepFilter, StepSort } from '../../lib/db/stepFilter';
import { pageCursorSchema, stepFilterSchema } from '../../lib/db/stepFilterSchemas';
import { queryStepsPage } from '../../lib/db/stepsPage';
import { OBJECT_TYPES, OPERATIONS, STEP_STATUSES, type StepRow } from '../../lib/db/types';
import { freshDb, MINUTE, stepRow, trackReads } from './db-fixtures';

const T0 = Date.UTC(2026, 10, 20, 8, 0);

/** Deterministic steps: every third shares its startedAt with two others; some still run. */
function sampleSteps(count: number): Omit<StepRow, 'id'>[] {
  return Array.from({ length: count }, (_, i) => {
    const startedAt = T0 + Math.floor(i / 3) * MINUTE;
    const running = i % 17 === 0;
    return stepRow({
      startedAt,
      // Ends out of start order, so the two sorts differ.
      endedAt: running ? null : startedAt + ((i * 7919) % 11) * 20_000,
      status: running ? 'In Process' : STEP_STATUSES[1 + (i % 4)]!,
      objectType: OBJECT_TYPES[(i * 5) % OBJECT_TYPES.length]!,
      operation: OPERATIONS[(i * 3) % OPERATIONS.length]!,
    });
  });
}

/** What a page query must return, computed the slow and obvious way. */
function expected(all: StepRow[], filter: StepFilter, sort: StepSort): number[] {
  const key = (s: StepRow) => (sort === 'startedAt' ? s.startedAt : s.endSort);
  const inList = <T>(list: T[] | undefined, v: T) => !list || list.length === 0 || list.includes(v);
  return all
    .filter(
      (s) =>
        key(s) >= (filter.from ?? Number.NEGATIVE_INFINITY) &&
        key(s) <= (filter.to ?? Number.POSITIVE_INFINITY),
    )
    .filter((s) => inList(filter.statuses, s.status) && inList(filter.objectTypes, s.objectType))
    .filter((s) => inList(filter.operations, s.operation))
    .sort((a, b) => key(b) - key(a) || b.id - a.id)
    .map((s) => s.id);
}

/** Pages through a query to the end, checking that pages never overlap. */
async function allPages(db: SyncLogDatabase, filter: StepFilter, sort: StepSort, limit: number) {
  const ids: number[] = [];
  const pageSizes: number[] = [];
  let after: PageCursor | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const page = await queryStepsPage(db, filter, sort, { limit, ...(after && { after }) });
    ids.push(...page.rows.map((r) => r.id));
    pageSizes.push(page.rows.length);
    if (!page.next) return { ids, pageSizes };
    // The cursor travels through a message (JSON) between pages, as it does in the product.
    after = pageCursorSchema.parse(JSON.parse(JSON.stringify(page.next)));
  }
  throw new Error('paging did not end');
}

async function seeded(count: number) {
  const db = freshDb();
  await db.steps.bulkAdd(sampleSteps(count));
  return { db, all: await db.steps.toArray() };
}

describe('queryStepsPage', () => {
  it('pages newest first through ties in startedAt without gaps or repeats', async () => {
    const db = freshDb();
    await db.steps.bulkAdd(Array.from({ length: 10 }, () => stepRow({ startedAt: T0 })));
    await db.steps.add(stepRow({ startedAt: T0 - MINUTE }));
    const { ids, pageSizes } = await allPages(db, {}, 'startedAt', 3);
    expect(ids).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 11]);
    expect(pageSizes).toEqual([3, 3, 3, 2]);
  });

  it('says there is no next page when the last page is exactly full', async () => {
    const db = freshDb();
    await db.steps.bulkAdd(Array.from({ length: 4 }, (_, i) => stepRow({ startedAt: T0 + i })));
    const first = await queryStepsPage(db, {}, 'startedAt', { limit: 2 });
    const second = await queryStepsPage(db, {}, 'startedAt', { limit: 2, after: first.next! });
    expect(second.rows.map((r) => r.id)).toEqual([2, 1]);
    expect(second.next).toBeUndefined();
  });

  it.each<[string, StepFilter]>([
    ['no filter', {}],
    ['one status', { statuses: ['Failed'] }],
    ['two statuses', { statuses: ['Failed', 'In Process'] }],
    ['object types', { objectTypes: ['Contact', 'Person', 'Task'] }],
    ['operations', { operations: ['Pull Updates', 'Push New'] }],
    ['date range', { from: T0 + 20 * MINUTE, to: T0 + 60 * MINUTE }],
    ['from only', { from: T0 + 150 * MINUTE }],
    ['to only', { to: T0 + 10 * MINUTE }],
    [
      'everything combined',
      {
        from: T0 + 10 * MINUTE,
        to: T0 + 180 * MINUTE,
        statuses: ['Completed', 'Not Completed', 'In Process'],
        objectTypes: ['Contact', 'Account', 'Person', 'Campaign', 'Task'],
        operations: ['Pull Updates', 'Push Updates', 'Sync Schema', 'Update FKs', 'Push New'],
      },
    ],
    ['status and object type', { statuses: ['Purged'], objectTypes: ['Contact', 'Account'] }],
    ['object type and operation', { objectTypes: ['Task'], operations: ['Push New', 'Pull Updates'] }],
    ['every status listed (same as none)', { statuses: [...STEP_STATUSES] }],
    ['empty lists (same as none)', { statuses: [], objectTypes: [], operations: [] }],
  ])('filters by %s, in both sorts', async (_name, filter) => {
    const { db, all } = await seeded(600);
    for (const sort of ['startedAt', 'endedAt'] as const) {
      const want = expected(all, filter, sort);
      expect(want.length, 'the fixture should make every case non-trivial').toBeGreaterThan(0);
      const { ids } = await allPages(db, filter, sort, 7);
      expect(ids).toEqual(want);
    }
  });

  it('matches the obvious implementation for random filters, sorts and page sizes', async () => {
    const { db, all } = await seeded(300);
    const times = fc.integer({ min: T0 - 5 * MINUTE, max: T0 + 105 * MINUTE });
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            from: times,
            to: times,
            statuses: fc.subarray([...STEP_STATUSES]),
            objectTypes: fc.subarray([...OBJECT_TYPES]),
            operations: fc.subarray([...OPERATIONS]),
          },
          { requiredKeys: [] },
        ),
        fc.constantFrom<StepSort>('startedAt', 'endedAt'),
        fc.integer({ min: 1, max: 40 }),
        async (filter, sort, limit) => {
          const { ids } = await allPages(db, filter, sort, limit);
          expect(ids).toEqual(expected(all, filter, sort));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('puts running steps first in the Ended-At sort and leaves them out of a range with an end', async () => {
    const db = freshDb();
    const finished = await db.steps.add(stepRow({ startedAt: T0, endedAt: T0 + 5 * MINUTE }));
    const running = await startStep(db, {
      cycleId: 1,
      operation: 'Pull Updates',
      objectType: 'Person',
      at: T0 - MINUTE,
    });
    const older = await db.steps.add(stepRow({ startedAt: T0 - 2 * MINUTE, endedAt: T0 + MINUTE }));

    const byEnd = await queryStepsPage(db, {}, 'endedAt', { limit: 10 });
    expect(byEnd.rows.map((r) => r.id)).toEqual([running, finished, older]);
    const byStart = await queryStepsPage(db, {}, 'startedAt', { limit: 10 });
    expect(byStart.rows.map((r) => r.id)).toEqual([finished, running, older]);

    const withEnd = await queryStepsPage(db, { to: T0 + 10 * MINUTE }, 'endedAt', { limit: 10 });
    expect(withEnd.rows.map((r) => r.id)).toEqual([finished, older]);
    const runningOnly = await queryStepsPage(db, { statuses: ['In Process'] }, 'endedAt', { limit: 10 });
    expect(runningOnly.rows.map((r) => r.id)).toEqual([running]);
  });

  it('pages on after a running step, whose +Infinity key went through JSON as null', async () => {
    const db = freshDb();
    const a = await startStep(db, { cycleId: 1, operation: 'Pull Updates', objectType: 'Person', at: T0 });
    const b = await startStep(db, { cycleId: 1, operation: 'Pull Updates', objectType: 'Contact', at: T0 });
    const c = await db.steps.add(stepRow({ startedAt: T0, endedAt: T0 + MINUTE }));
    const first = await queryStepsPage(db, {}, 'endedAt', { limit: 1 });
    expect(first.rows.map((r) => r.id)).toEqual([b]);
    expect(JSON.stringify(first.next)).toBe(`[null,${b}]`);
    const after = pageCursorSchema.parse(JSON.parse(JSON.stringify(first.next)));
    expect(after).toEqual([Number.POSITIVE_INFINITY, b]);
    const rest = await queryStepsPage(db, {}, 'endedAt', { limit: 5, after });
    expect(rest.rows.map((r) => r.id)).toEqual([a, c]);
  });

  it('rejects a page size that is not a positive integer', async () => {
    const db = freshDb();
    await expect(queryStepsPage(db, {}, 'startedAt', { limit: 0 })).rejects.toThrow('page.limit');
    await expect(queryStepsPage(db, {}, 'startedAt', { limit: 2.5 })).rejects.toThrow('page.limit');
  });
});

describe('queryStepsPage reads only what it returns', () => {
  /** 2,000 steps; only every 200th failed, only every 100th is a Task. */
  async function tracked() {
    const db = freshDb();
    const reads = trackReads(db);
    await db.steps.bulkAdd(
      Array.from({ length: 2000 }, (_, i) =>
        stepRow({
          startedAt: T0 + i * MINUTE,
          status: i % 200 === 0 ? 'Failed' : 'Completed',
          objectType: i % 100 === 0 ? 'Task' : 'Contact',
        }),
      ),
    );
    reads.clear();
    return { db, reads };
  }

  it('reads only rows of the filtered status, no more than the page needs', async () => {
    const { db, reads } = await tracked();
    const page = await queryStepsPage(db, { statuses: ['Failed'] }, 'startedAt', { limit: 4 });
    expect(page.rows).toHaveLength(4);
    const read = reads.rowsOf('steps') as StepRow[];
    expect(read.every((r) => r.status === 'Failed')).toBe(true);
    expect(read.length).toBeLessThanOrEqual(5);
    expect(reads.cursors).toEqual([]);
  });

  it('walks the status index when status and object type are both filtered', async () => {
    const { db, reads } = await tracked();
    const page = await queryStepsPage(db, { statuses: ['Failed'], objectTypes: ['Task'] }, 'endedAt', {
      limit: 50,
    });
    expect(page.rows).toHaveLength(10);
    const read = reads.rowsOf('steps') as StepRow[];
    expect(read.every((r) => r.status === 'Failed')).toBe(true);
    expect(read).toHaveLength(10);
  });

  it('reads no row outside the date range, in either sort', async () => {
    const { db, reads } = await tracked();
    const filter = { from: T0 + 550 * MINUTE, to: T0 + 1450 * MINUTE, objectTypes: ['Task' as const] };
    for (const sort of ['startedAt', 'endedAt'] as const) {
      reads.clear();
      const page = await queryStepsPage(db, filter, sort, { limit: 100 });
      // Tasks are steps 600, 700, …, 1400.
      expect(page.rows).toHaveLength(9);
      const read = reads.rowsOf('steps') as StepRow[];
      expect(read).toHaveLength(9);
      const key = (r: StepRow) => (sort === 'startedAt' ? r.startedAt : r.endSort);
      expect(read.every((r) => key(r) >= filter.from && key(r) <= filter.to && r.objectType === 'Task')).toBe(
        true,
      );
    }
  });

  it('reads one page plus one row without a filter', async () => {
    const { db, reads } = await tracked();
    await queryStepsPage(db, {}, 'startedAt', { limit: 25 });
    expect(reads.rowsOf('steps')).toHaveLength(26);
    expect(reads.queries.map((q) => q.index)).toEqual(['[startedAt+id]']);
  });
});

describe('index keys (checked here because the design depends on them)', () => {
  it('indexes the auto-increment id inside [startedAt+id] and a +Infinity endSort', async () => {
    const db = freshDb();
    const id = await startStep(db, { cycleId: 1, operation: 'Pull Updates', objectType: 'Person', at: T0 });
    expect(await db.steps.where('[startedAt+id]').equals([T0, id]).count()).toBe(1);
    expect(await db.steps.where('[endSort+id]').equals([Number.POSITIVE_INFINITY, id]).count()).toBe(1);
    expect(
      await db.steps
        .where('[status+endSort+id]')
        .equals(['In Process', Number.POSITIVE_INFINITY, id])
        .count(),
    ).toBe(1);
  });
});

describe('filter and cursor schemas', () => {
  it('accept what the popup sends and name the field that is wrong', () => {
    expect(stepFilterSchema.parse({ statuses: ['Failed'], from: 1, to: 2 })).toEqual({
      statuses: ['Failed'],
      from: 1,
      to: 2,
    });
    const bad = stepFilterSchema.safeParse({ objectTypes: ['Lead'] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['objectTypes', 0]);
    const reversed = stepFilterSchema.safeParse({ from: 5, to: 4 });
    expect(reversed.error?.issues[0]?.path).toEqual(['from']);
    expect(pageCursorSchema.safeParse(['x', 1]).success).toBe(false);
    expect(pageCursorSchema.parse([null, 3])).toEqual([Number.POSITIVE_INFINITY, 3]);
    expect(pageCursorSchema.parse([Number.POSITIVE_INFINITY, 3])).toEqual([Number.POSITIVE_INFINITY, 3]);
    expect(pageCursorSchema.safeParse([Number.NEGATIVE_INFINITY, 3]).success).toBe(false);
  });
});
