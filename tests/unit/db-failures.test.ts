import { describe, expect, it } from 'vitest';
import type { SyncLogDatabase } from '../../lib/db/database';
import { type FailureView, listFailures } from '../../lib/db/failures';
import { finishStep, startCycle, startStep } from '../../lib/db/lifecycle';
import type { StepFilter } from '../../lib/db/stepFilter';
import type { FailureRow, ObjectType, Outcome, PackedOutcome } from '../../lib/db/types';
import { writeBatch } from '../../lib/db/writeBatch';
import { toId18 } from '../../lib/salesforce/ids';
import { freshDb, MINUTE, trackReads } from './db-fixtures';

const T0 = Date.UTC(2026, 10, 20, 8, 0);
const id = (n: number) => toId18(`003RO${String(n).padStart(10, '0')}`);

function outcomes(from: number, kinds: Outcome[]): PackedOutcome[] {
  return kinds.map((kind, i) => ({
    sfId: id(from + i),
    name: `Contact ${from + i}`,
    outcome: kind,
    ...(kind === 'failed' && {
      error: { code: `E${from + i}`, message: 'bad value', fields: ['Email', 'Phone'] },
    }),
  }));
}

/** A finished step with the given batches; returns its id. */
async function step(db: SyncLogDatabase, at: number, objectType: ObjectType, batches: PackedOutcome[][]) {
  const cycleId = await startCycle(db, { trigger: 'schedule', at });
  const stepId = await startStep(db, { cycleId, operation: 'Pull Updates', objectType, at });
  for (const [i, batch] of batches.entries()) {
    await writeBatch(db, {
      cycleId,
      stepId,
      operation: 'Pull Updates',
      objectType,
      at: at + i,
      outcomes: batch,
    });
  }
  await finishStep(db, stepId, { status: 'Completed', at: at + MINUTE });
  return stepId;
}

async function collect(gen: AsyncGenerator<FailureView[]>) {
  const chunks: FailureView[][] = [];
  for await (const chunk of gen) chunks.push(chunk);
  return chunks;
}

describe('listFailures', () => {
  it('lists the failures of matching steps, newest step first, in chunks of the asked size', async () => {
    const db = freshDb();
    // Old step: 2 failed batches and a clean one. New step: 1 failed batch. A Task step is filtered out.
    await step(db, T0, 'Contact', [
      outcomes(0, ['failed', 'new', 'failed']),
      outcomes(10, ['new', 'skipped']),
      outcomes(20, ['failed', 'failed', 'updated', 'failed']),
    ]);
    await step(db, T0 + 10 * MINUTE, 'Task', [outcomes(100, ['failed'])]);
    await step(db, T0 + 20 * MINUTE, 'Contact', [outcomes(30, ['excluded', 'failed', 'failed'])]);

    const filter: StepFilter = { objectTypes: ['Contact'] };
    const chunks = await collect(listFailures(db, filter, { chunkSize: 3 }));
    expect(chunks.map((c) => c.length)).toEqual([3, 3, 1]);
    const all = chunks.flat();
    // Newest step first; within a step the newest batch first, in batch order inside it.
    expect(all.map((f) => f.sfId)).toEqual([31, 32, 20, 21, 23, 0, 2].map(id));
    expect(all[0]).toEqual({
      time: T0 + 20 * MINUTE,
      cycleId: 3,
      operation: 'Pull Updates',
      objectType: 'Contact',
      sfId: id(31),
      name: 'Contact 31',
      code: 'E31',
      message: 'bad value',
      fields: ['Email', 'Phone'],
      attempts: 1,
    });
  });

  it('yields nothing when nothing failed, and honours the date range of the filter', async () => {
    const db = freshDb();
    await step(db, T0, 'Contact', [outcomes(0, ['new', 'updated'])]);
    expect(await collect(listFailures(db, {}))).toEqual([]);
    await step(db, T0 + 60 * MINUTE, 'Contact', [outcomes(10, ['failed'])]);
    expect((await collect(listFailures(db, { to: T0 + 30 * MINUTE }))).flat()).toEqual([]);
    expect((await collect(listFailures(db, { from: T0 + 30 * MINUTE }))).flat().map((f) => f.sfId)).toEqual([
      id(10),
    ]);
  });

  it('pages through a step with many failed batches', async () => {
    const db = freshDb();
    // 45 batches of 10 failures: more than one read of batch rows per step.
    const batches = Array.from({ length: 45 }, (_, b) => outcomes(b * 10, Array(10).fill('failed')));
    await step(db, T0, 'Contact', batches);
    const chunks = await collect(listFailures(db, {}, { chunkSize: 100 }));
    expect(chunks.map((c) => c.length)).toEqual([100, 100, 100, 100, 50]);
    const ids = chunks.flat().map((f) => f.sfId);
    expect(new Set(ids).size).toBe(450);
    // Newest batch first.
    expect(ids.slice(0, 2)).toEqual([id(440), id(441)]);
  });

  it('reads only failure rows: no batch row, nor the rows of a step without failures', async () => {
    const db = freshDb();
    const reads = trackReads(db);
    await step(db, T0, 'Contact', [
      outcomes(0, ['new', 'new']),
      outcomes(10, ['failed']),
      outcomes(20, ['updated']),
    ]);
    await step(db, T0 + MINUTE, 'Contact', [outcomes(30, ['new']), outcomes(40, ['skipped'])]);
    reads.clear();
    const all = (await collect(listFailures(db, {}))).flat();
    expect(all.map((f) => f.sfId)).toEqual([id(10)]);
    expect(reads.rowsOf('recordEvents')).toHaveLength(0);
    const rowsRead = reads.rowsOf('failures') as FailureRow[];
    expect(rowsRead.map((r) => r.sfIds)).toEqual([[id(10)]]);
    // The one cursor is the key-only walk of the failures' `[stepId+id]` index (it returns no rows).
    expect(reads.cursors).toEqual(['failures']);
    expect(reads.rowsOf('steps')).toHaveLength(1);
  });
});
