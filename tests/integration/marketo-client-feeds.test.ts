import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FeedPage, MarketoActivity } from '../../lib/marketo';
import { type MarketoFixture, people, startMarketoFixture } from './marketo-client.harness';

let fx: MarketoFixture;
let since: Date;
beforeEach(async () => {
  fx = await startMarketoFixture();
  since = new Date(fx.clock.now() - 60_000);
});
afterEach(async () => {
  await fx.close();
});

async function collect<T>(pages: AsyncGenerator<FeedPage<T>, string>) {
  const items: T[] = [];
  const seen: FeedPage<T>[] = [];
  let result = await pages.next();
  while (!result.done) {
    seen.push(result.value);
    items.push(...result.value.items);
    result = await pages.next();
  }
  return { items, pages: seen, finalToken: result.value };
}

describe('activity feeds through the Marketo client', () => {
  it('reads activity types once and caches them', async () => {
    const types = await fx.client.activities.activityTypes();
    expect(types.find((t) => t.id === 12)).toMatchObject({ name: 'New Lead' });
    expect(types.find((t) => t.id === 13)?.attributes.length).toBeGreaterThan(0);
    await fx.client.activities.activityTypes();
    expect(fx.counter.snapshot()['marketo GET /rest/v1/activities/types.json']).toBe(1);
    await fx.client.activities.activityTypes({ refresh: true });
    expect(fx.counter.snapshot()['marketo GET /rest/v1/activities/types.json']).toBe(2);
  });

  it('pages through 700 activities, stops on moreResult:false, and resumes from the final token', async () => {
    fx.marketo.control.setSettings({ activityPageSize: 50 });
    await fx.client.leads.sync({ action: 'createOnly', input: people(700) });
    const token = await fx.client.activities.pagingToken(since);
    const first = await collect(
      fx.client.activities.activities({ nextPageToken: token, activityTypeIds: [12] }),
    );
    expect(first.items).toHaveLength(700);
    expect(new Set(first.items.map((a) => a.id)).size).toBe(700);
    expect(first.pages.length).toBeGreaterThanOrEqual(14);
    expect(first.pages.at(-1)!.moreResult).toBe(false);
    expect(first.finalToken).toBe(first.pages.at(-1)!.nextPageToken);
    expect(first.items[0]).toMatchObject({ activityTypeId: 12, leadId: expect.any(Number) });
    expect(first.items[0]!.activityDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);

    // Nothing new: one call, no items, and the checkpoint holds.
    const idle = await collect(
      fx.client.activities.activities({ nextPageToken: first.finalToken, activityTypeIds: [12] }),
    );
    expect(idle.items).toEqual([]);
    expect(idle.pages).toHaveLength(1);
    // New work after the checkpoint shows up, and only it.
    await fx.client.leads.sync({ action: 'createOnly', input: people(5, 'later') });
    const later = await collect(
      fx.client.activities.activities({ nextPageToken: idle.finalToken, activityTypeIds: [12] }),
    );
    expect(later.items.map((a: MarketoActivity) => a.leadId)).toHaveLength(5);
  });

  it('follows short and empty pages that still have moreResult:true', async () => {
    fx.marketo.control.setSettings({ activityScanLimit: 100 });
    const ids = (await fx.client.leads.sync({ action: 'createOnly', input: people(500) })).map(
      (o) => o.id as number,
    );
    fx.marketo.control.updateLead(ids[10]!, { lastName: 'Moved' });
    fx.marketo.control.updateLead(ids[20]!, { firstName: 'Renamed' });
    fx.marketo.control.updateLead(ids[30]!, { lastName: 'Again' });
    const token = await fx.client.activities.pagingToken(since);
    const changes = await collect(
      fx.client.activities.leadChanges({ nextPageToken: token, fields: ['lastName'] }),
    );
    const changed = changes.items.filter((c) => c.activityTypeId === 13);
    expect(changed.map((c) => c.leadId)).toEqual([ids[10], ids[30]]);
    expect(changed[0]!.fields).toEqual([
      expect.objectContaining({ name: 'lastName', newValue: 'Moved', oldValue: 'Last10' }),
    ]);
    expect(changes.items.filter((c) => c.activityTypeId === 12)).toHaveLength(500);
    // 503 scanned rows at 100 per call: the feed had to keep going past short pages.
    expect(changes.pages.length).toBeGreaterThanOrEqual(6);
    expect(changes.pages.slice(0, -1).every((p) => p.moreResult)).toBe(true);

    const onlyChanges = await collect(
      fx.client.activities.activities({ nextPageToken: token, activityTypeIds: [13] }),
    );
    expect(onlyChanges.items).toHaveLength(3);
  });

  it('reads deleted leads from their own feed', async () => {
    const ids = (await fx.client.leads.sync({ action: 'createOnly', input: people(4) })).map(
      (o) => o.id as number,
    );
    await fx.client.leads.delete([ids[1]!, ids[3]!]);
    const token = await fx.client.activities.pagingToken(since);
    const deleted = await collect(fx.client.activities.deletedLeads({ nextPageToken: token }));
    expect(deleted.items.map((a) => [a.activityTypeId, a.leadId])).toEqual([
      [37, ids[1]],
      [37, ids[3]],
    ]);
  });

  it('refuses feed options Marketo would refuse, before spending a call', () => {
    const ids = Array.from({ length: 11 }, (_, i) => i + 1);
    expect(() => fx.client.activities.activities({ nextPageToken: 'X', activityTypeIds: ids })).toThrow(
      RangeError,
    );
    expect(() => fx.client.activities.leadChanges({ nextPageToken: 'X', fields: [] })).toThrow(RangeError);
    expect(fx.counter.total()).toBe(0);
  });

  it('surfaces a bad paging token as a typed request error', async () => {
    const error = await collect(
      fx.client.activities.activities({ nextPageToken: 'NOT-A-TOKEN', activityTypeIds: [12] }),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'MarketoApiError', code: '1003', retryable: false });
  });
});
