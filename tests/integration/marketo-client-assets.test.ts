import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MarketoProgram } from '../../lib/marketo';
import { type MarketoFixture, people, startMarketoFixture } from './marketo-client.harness';

let fx: MarketoFixture;
beforeEach(async () => {
  fx = await startMarketoFixture();
});
afterEach(async () => {
  await fx.close();
});

async function all<T>(pages: AsyncGenerator<T[]>): Promise<T[]> {
  const items: T[] = [];
  for await (const page of pages) items.push(...page);
  return items;
}

describe('programs and program members through the Marketo client', () => {
  it('browses programs by offset until Marketo has no more, and parses asset datetimes', async () => {
    for (let i = 0; i < 7; i++) {
      fx.marketo.control.createProgram({ name: `Extra ${i}`, type: 'Default', channel: 'Content' });
    }
    const programs = await all(fx.client.programs.browse({ maxReturn: 3 }));
    expect(programs).toHaveLength(11); // 4 seeded + 7
    expect(new Set(programs.map((p) => p.id)).size).toBe(11);
    // 11 programs in pages of 3: 3+3+3+2, the short page ends it.
    expect(fx.counter.snapshot()['marketo GET /rest/asset/v1/programs.json']).toBe(4);
    expect(programs[0]!.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);

    const none = await all(fx.client.programs.browse({ filterType: 'id', filterValues: [999_999] }));
    expect(none).toEqual([]);
  });

  it('gets a program by id and by name; a missing one is null', async () => {
    const [webinar] = (await all(fx.client.programs.browse())) as MarketoProgram[];
    expect(await fx.client.programs.get(webinar!.id)).toMatchObject({ id: webinar!.id, name: webinar!.name });
    expect(await fx.client.programs.getByName(webinar!.name)).toMatchObject({ id: webinar!.id });
    expect(await fx.client.programs.get(999_999)).toBeNull();
    expect(await fx.client.programs.getByName('No such program')).toBeNull();
  });

  it('describes, adds, queries, updates and removes members with per-record outcomes', async () => {
    const described = await fx.client.programs.describeMembers();
    expect(described.dedupeFields).toEqual(['leadId', 'programId']);
    const program = (await fx.client.programs.getByName('Spring Webinar 2026'))!;
    const leadIds = (await fx.client.leads.sync({ action: 'createOnly', input: people(320) })).map(
      (o) => o.id as number,
    );
    const added = await fx.client.programs.setMemberStatus(program.id, 'Registered', [...leadIds, 999_999]);
    expect(added).toHaveLength(321);
    expect(added.slice(0, 320).every((o) => o.status === 'created' && o.id !== undefined)).toBe(true);
    expect(added[320]).toMatchObject({ status: 'skipped', reasons: [{ code: '1004' }] });
    expect(fx.counter.snapshot()['marketo POST /rest/v1/programs/{id}/members/status.json']).toBe(2);

    const again = await fx.client.programs.setMemberStatus(program.id, 'Invited', leadIds.slice(0, 2));
    expect(again.map((o) => o.reasons[0]?.code)).toEqual(['1037', '1037']);

    const members = await all(
      fx.client.programs.members(program.id, {
        filterType: 'leadId',
        filterValues: leadIds,
        fields: ['leadId', 'statusName'],
        batchSize: 100,
      }),
    );
    expect(members).toHaveLength(320);
    expect(members[0]).toMatchObject({ statusName: 'Registered' });

    const data = await fx.client.programs.updateMemberData(program.id, [
      { leadId: leadIds[0]!, attendeeNotes: 'front row' },
      { leadId: 999_999, attendeeNotes: 'nobody' },
    ]);
    expect(data.map((o) => o.status)).toEqual(['updated', 'skipped']);
    expect(data[1]!.reasons[0]).toMatchObject({ code: '1013' });

    const removed = await fx.client.programs.removeMembers(program.id, [leadIds[0]!, 999_999]);
    expect(removed.map((o) => o.status)).toEqual(['deleted', 'skipped']);

    const badStatus = await fx.client.programs
      .setMemberStatus(program.id, 'Nope', [leadIds[1]!])
      .catch((e) => e);
    expect(badStatus).toMatchObject({ name: 'MarketoApiError', code: '1025' });
  });
});

describe('custom objects through the Marketo client', () => {
  it('lists and describes types', async () => {
    const types = await fx.client.customObjects.list();
    expect(types.map((t) => t.name)).toContain('subscription_c');
    const described = await fx.client.customObjects.describe('subscription_c');
    expect(described).toMatchObject({ idField: 'marketoGUID', dedupeFields: ['subscriptionId'] });
    expect(described.fields?.map((f) => f.name)).toContain('productName');
  });

  it('syncs in batches of 300 with ordered outcomes, queries by dedupe key and searchable field, deletes', async () => {
    const input = Array.from({ length: 305 }, (_, i) => ({
      subscriptionId: `SUB-${i}`,
      productName: i % 2 ? 'Pro' : 'Basic',
      amount: 10 + i,
    }));
    const created = await fx.client.customObjects.sync('subscription_c', { action: 'createOrUpdate', input });
    expect(created).toHaveLength(305);
    expect(created.every((o) => o.status === 'created' && typeof o.id === 'string')).toBe(true);
    expect(fx.counter.snapshot()['marketo POST /rest/v1/customobjects/{name}.json']).toBe(2);

    const mixed = await fx.client.customObjects.sync('subscription_c', {
      action: 'createOnly',
      input: [
        { subscriptionId: 'SUB-1' },
        { subscriptionId: 'SUB-NEW' },
        { subscriptionId: 'SUB-X', amount: 'lots' },
      ],
    });
    expect(mixed.map((o) => [o.status, o.reasons[0]?.code])).toEqual([
      ['skipped', '1017'],
      ['created', undefined],
      ['skipped', '1001'],
    ]);

    const byKey = await all(
      fx.client.customObjects.query('subscription_c', {
        filterType: 'dedupeFields',
        filterValues: input.map((r) => r.subscriptionId),
        fields: ['marketoGUID', 'subscriptionId', 'amount'],
        batchSize: 200,
      }),
    );
    expect(byKey).toHaveLength(305);
    expect(byKey.find((r) => r.subscriptionId === 'SUB-7')).toMatchObject({
      amount: 17,
      marketoGUID: created[7]!.id,
    });

    const compound = await all(
      fx.client.customObjects.query('subscription_c', {
        filterType: 'dedupeFields',
        input: [{ subscriptionId: 'SUB-3' }, { subscriptionId: 'SUB-4' }],
        fields: ['marketoGUID', 'subscriptionId'],
      }),
    );
    expect(compound.map((r) => r.subscriptionId)).toEqual(['SUB-3', 'SUB-4']);

    const deleted = await fx.client.customObjects.delete('subscription_c', {
      deleteBy: 'idField',
      input: [{ marketoGUID: created[0]!.id }],
    });
    expect(deleted).toEqual([{ status: 'deleted', id: created[0]!.id, reasons: [] }]);
  });

  it('reports custom objects switched off as a typed error (1026)', async () => {
    fx.marketo.control.setCustomObjectsEnabled(false);
    const error = await fx.client.customObjects.list().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'MarketoApiError', code: '1026', retryable: false });
  });
});
