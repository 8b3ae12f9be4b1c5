// Where the Marketo feeds start (docs/engine-cursors.md, "Marketo feeds"): the whole second after a
// feed step first ran. The demo org's first sync writes persons Marketo already has (accounts'
// company fields, contacts taking over converted leads' persons), each change logging a Change
// Data Value activity; it takes under a second, so those echoes share the second the feed step ran
// in. Starting at that second made the first feed read page through all of them (56 reads); the
// next whole second puts them before the start. The clock stands still here during the cycle so
// that every write and the feed step fall in one second on any machine.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type SyncHarness, startSyncHarness } from './sync-harness';

const STANDING = Date.UTC(2026, 11, 7, 9, 30, 0, 400);
let h: SyncHarness;
let feedReads = 0;
let standing = false;

beforeAll(async () => {
  h = await startSyncHarness({ seed: 'demo' }, undefined, (url) => {
    if (standing) h.emu.core.clock.set(STANDING);
    if (new URL(url).pathname === '/rest/v1/activities.json') feedReads++;
  });
});
afterAll(async () => h.stop());

it('a first sync under a second: its own Change Data Value echoes are not read back by Push Updates', async () => {
  standing = true;
  h.emu.core.clock.set(STANDING);
  const report = await h.cycle({ trigger: 'schedule' });
  standing = false;
  expect(report.cycle?.status, h.logs.join('\n')).toBe('Completed');
  const second = Math.floor(STANDING / 1000);
  const echoes = h.emu.marketo.store.activities
    .all()
    .filter((a) => a.typeId === 13 && Math.floor(a.date / 1000) === second).length;
  // Enough echoes in that second to fill many feed pages (300 activities each).
  expect(echoes).toBeGreaterThan(10 * 300);
  // Push Updates' one read, and Push New's catch-up of the first cycle (its Task types only).
  expect(feedReads).toBeLessThanOrEqual(2);
  expect(await h.db.cursors.get('push:start')).toMatchObject({
    value: new Date(second * 1000 + 1000).toISOString(),
  });
}, 120_000);
