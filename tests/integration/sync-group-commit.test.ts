// Pull Updates when the log is slower than Marketo's answers (personWriter.ts: group commit, and the
// next page not waiting for the commits under way): 6,000 leads of one import second — three query
// pages — with every read-write transaction of the log slowed down. What the calls answer while a
// commit is written joins the commit queued behind it; every lead is still written once, logged
// once and linked, batch rows keep the stream's order and stay within a page's worth, and the
// cursor ends at the last lead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowOutcomes } from '../../lib/db/eventRowBody';
import type { LogDatabase } from '../../lib/db/logPort';
import { loadStates } from '../../lib/db/syncState';
import { parsePullCursor, parseSalesforceDate } from '../../lib/sync/cursors';
import { createLeadsInOneSecond } from '../support/leadsInOneSecond';
import { personsPerLead } from '../support/personsPerRecord';
import { type SyncHarness, startSyncHarness, stepOf } from './sync-harness';

const LEADS = 6_000;
const LEADS_WRITE = /\/rest\/v1\/leads\.json$/;
let h: SyncHarness;
let writes = 0;
let leads: string[];

/** The same log, each read-write transaction starting `ms` late (a busy database). */
function slowWrites(db: LogDatabase, ms: number): LogDatabase {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'transaction')
        return async (...args: Parameters<LogDatabase['transaction']>) => {
          if (args[0] === 'rw') await new Promise((done) => setTimeout(done, ms));
          return target.transaction(...args);
        };
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

beforeAll(async () => {
  h = await startSyncHarness({ seed: 'empty' }, undefined, (url, init) => {
    if (init?.method === 'POST' && LEADS_WRITE.test(new URL(url).pathname)) writes++;
  });
  leads = createLeadsInOneSecond(h.emu.control, LEADS, (i) => `Acme ${i % 50}`);
  h.advance();
}, 120_000);
afterAll(async () => h?.stop());

describe('Pull Updates on a log slower than Marketo', () => {
  it('groups what is answered meanwhile into the queued commit; each lead once, in order, cursor at the last', async () => {
    h.engine = h.engineOn(slowWrites(h.db, 60), 'test-worker');
    const report = await h.cycle();
    const pull = stepOf(report, 'Pull Updates', 'Person');
    expect(pull).toMatchObject({ status: 'Completed', new: LEADS, failed: 0 });
    expect(writes).toBe(LEADS / 300);

    const rows = (await h.db.recordEvents.where('stepId').equals(pull.id).toArray()).sort(
      (a, b) => a.id - b.id,
    );
    const logged = rows.map((row) => rowOutcomes(row));
    // Grouped: fewer rows than calls, none larger than a page.
    expect(logged.length).toBeLessThan(LEADS / 300);
    expect(Math.max(...logged.map((o) => o.length))).toBeGreaterThan(300);
    expect(Math.max(...logged.map((o) => o.length))).toBeLessThanOrEqual(2000);
    // Each lead once, in the stream's order (the leads were created in that order in one second).
    expect(logged.flat().map((o) => o.sfId)).toEqual([...leads].sort());

    const personsOf = personsPerLead(h.emu.marketo.snapshot().leads as Record<string, unknown>[]);
    const states = await loadStates(h.db, leads);
    for (const id of leads) {
      expect(personsOf.get(id), id).toHaveLength(1);
      expect(states.get(id)?.marketoId, id).toBe(personsOf.get(id)![0]!.id);
    }
    const stamp = parseSalesforceDate(h.emu.control.sfGet({ id: leads.at(-1)! })!.SystemModstamp as string);
    expect(parsePullCursor((await h.db.cursors.get('pull:Lead'))?.value)).toMatchObject({ at: stamp });
  });
});
