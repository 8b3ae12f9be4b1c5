// Group commit (lib/sync/operations/commitQueue.ts): commits one at a time and in order; what is
// added while one is being written joins the one queued behind it, up to the cap.
import { describe, expect, it } from 'vitest';
import type { SyncState } from '../../lib/db/syncStateTypes';
import { CommitQueue, type GroupBatch, joinUpTo } from '../../lib/sync/operations/commitQueue';

const state = (marketoId: number): SyncState => ({ sobject: 'Lead', hashes: {}, marketoId });
const batch = (ids: string[], cursor?: string): GroupBatch => ({
  outcomes: ids.map((sfId) => ({ sfId, outcome: 'new' as const })),
  states: new Map(ids.map((id, i) => [id, state(i)])),
  ...(cursor && { cursor: { key: 'pull:Lead', value: cursor } }),
});

/** A log whose commits finish when the test says so. */
function slowLog() {
  const written: { ids: string[]; cursor?: string; states: Map<string, SyncState | null> }[] = [];
  const open: (() => void)[] = [];
  let running = 0;
  let peak = 0;
  const write = async (b: GroupBatch) => {
    peak = Math.max(peak, ++running);
    await new Promise<void>((done) => open.push(done));
    running--;
    written.push({ ids: b.outcomes.map((o) => o.sfId), cursor: b.cursor?.value, states: b.states });
  };
  const finishOne = async () => {
    while (!open.length) await new Promise((r) => setImmediate(r));
    open.shift()!();
    await new Promise((r) => setImmediate(r));
  };
  return { write, written, finishOne, peak: () => peak };
}

describe('group commits', () => {
  it('a batch added before the commit it would wait for starts joins it', async () => {
    const log = slowLog();
    const commits = new CommitQueue(log.write, joinUpTo());
    commits.add(batch(['a']));
    commits.add(batch(['b']));
    const drained = commits.drain();
    await log.finishOne();
    await drained;
    expect(log.written.map((w) => w.ids)).toEqual([['a', 'b']]);
  });

  it('groups what is added while a commit is written, in order, the later cursor and state winning', async () => {
    const log = slowLog();
    const commits = new CommitQueue(log.write, joinUpTo(5));
    commits.add(batch(['a', 'b'], 'c1'));
    await new Promise((r) => setImmediate(r)); // its commit is being written now
    commits.add(batch(['c'], 'c2'));
    commits.add(batch(['d', 'e'], 'c3'));
    const later = batch(['f', 'g'], 'c4'); // 5 outcomes with c, d, e: still fits
    later.states.set('c', null); // a later state of c: it wins
    commits.add(later);
    commits.add(batch(['h'])); // would make 6 > 5: a batch of its own behind
    const drained = commits.drain();
    for (let i = 0; i < 3; i++) await log.finishOne();
    await drained;
    expect(log.written.map((w) => w.ids)).toEqual([['a', 'b'], ['c', 'd', 'e', 'f', 'g'], ['h']]);
    expect(log.written.map((w) => w.cursor)).toEqual(['c1', 'c4', undefined]);
    expect(log.written[1]!.states.get('c')).toBeNull();
    expect(log.written[1]!.states.get('e')).toEqual(state(1));
    expect(log.peak()).toBe(1);
  });

  it('a batch added once the queue is written goes out on its own', async () => {
    const log = slowLog();
    const commits = new CommitQueue(log.write, joinUpTo());
    commits.add(batch(['a']));
    const first = commits.drain();
    await log.finishOne();
    await first;
    commits.add(batch(['b']));
    const second = commits.drain();
    await log.finishOne();
    await second;
    expect(log.written.map((w) => w.ids)).toEqual([['a'], ['b']]);
  });

  it('without join each batch is a commit of its own, in order (the object pulls: each carries the queue)', async () => {
    const log = slowLog();
    const commits = new CommitQueue(log.write);
    commits.add(batch(['a']));
    await new Promise((r) => setImmediate(r));
    commits.add(batch(['b'], 'c2'));
    commits.add(batch(['c'], 'c3'));
    const drained = commits.drain();
    for (let i = 0; i < 3; i++) await log.finishOne();
    await drained;
    expect(log.written.map((w) => w.ids)).toEqual([['a'], ['b'], ['c']]);
    expect(log.written.map((w) => w.cursor)).toEqual([undefined, 'c2', 'c3']);
  });

  it('a failed commit fails the ones behind it; drain throws it and failure says it', async () => {
    let calls = 0;
    const commits = new CommitQueue<GroupBatch>(async () => {
      calls++;
      throw new Error('disk full');
    }, joinUpTo());
    commits.add(batch(['a']));
    commits.add(batch(['b']));
    await expect(commits.drain()).rejects.toThrow('disk full');
    expect(commits.failure?.error).toBeInstanceOf(Error);
    expect(calls).toBe(1);
  });
});
