import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MarketoApiError } from '../../lib/marketo';
import { type MarketoFixture, people, startMarketoFixture } from './marketo-client.harness';

let fx: MarketoFixture;
beforeEach(async () => {
  fx = await startMarketoFixture();
});
afterEach(async () => {
  await fx.close();
});

describe('leads through the Marketo client', () => {
  it('describes leads with describe2 (searchable fields, updateable, crmManaged)', async () => {
    const described = await fx.client.leads.describe();
    expect(described.source).toBe('describe2');
    expect(described.searchableFields).toContainEqual(['email']);
    const email = described.fields.find((f) => f.name === 'email');
    expect(email).toMatchObject({ dataType: 'email', updateable: true });
    expect(described.fields.find((f) => f.name === 'sfdcLeadId')).toMatchObject({
      updateable: false,
      crmManaged: true,
    });
    expect(fx.counter.snapshot()).toMatchObject({ 'marketo GET /rest/v1/leads/describe2.json': 1 });
  });

  it('syncs 650 records in three calls of at most 300, one ordered outcome per input', async () => {
    const input = people(650);
    const outcomes = await fx.client.leads.sync({ action: 'createOnly', lookupField: 'email', input });
    expect(outcomes).toHaveLength(650);
    expect(outcomes.every((o) => o.status === 'created' && typeof o.id === 'number')).toBe(true);
    expect(fx.counter.snapshot()['marketo POST /rest/v1/leads.json']).toBe(3);
    // The ids really belong to the inputs at the same positions.
    const lead = await fx.client.leads.getById(outcomes[437]!.id as number, ['email', 'firstName']);
    expect(lead).toMatchObject({ email: 'person437@example.com', firstName: 'First437' });
  });

  it('maps per-record skips to typed outcomes with reasons, in input order', async () => {
    await fx.client.leads.sync({ action: 'createOnly', input: people(2) });
    const outcomes = await fx.client.leads.sync({
      action: 'createOnly',
      lookupField: 'email',
      input: [
        { email: 'person0@example.com' }, // exists → 1005
        { email: 'new@example.com', firstName: 'New' },
        { email: 'bad@example.com', noSuchField: 'x' }, // 1006
        { email: 'linked@example.com', sfdcLeadId: '00Q000000000001AAA' }, // crmManaged → 1003
      ],
    });
    expect(outcomes.map((o) => o.status)).toEqual(['skipped', 'created', 'skipped', 'skipped']);
    expect(outcomes[0]).toEqual({
      status: 'skipped',
      reasons: [{ code: '1005', message: 'Lead already exists' }],
    });
    expect(outcomes[2]!.reasons[0]).toMatchObject({ code: '1006' });
    expect(outcomes[3]!.reasons[0]).toMatchObject({ code: '1003' });
    const updates = await fx.client.leads.sync({
      action: 'updateOnly',
      lookupField: 'email',
      input: [{ email: 'person1@example.com', lastName: 'Changed' }, { email: 'nobody@example.com' }],
    });
    expect(updates[0]).toMatchObject({ status: 'updated', reasons: [] });
    expect(updates[1]).toMatchObject({
      status: 'skipped',
      reasons: [{ code: '1004', message: 'Lead not found' }],
    });
  });

  it('refuses a request-level error with a typed MarketoApiError (bad lookupField → 1011)', async () => {
    const error = await fx.client.leads
      .sync({ action: 'createOrUpdate', lookupField: 'firstName', input: people(1) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MarketoApiError);
    expect(error).toMatchObject({
      code: '1011',
      retryable: false,
      kind: 'request',
      endpoint: 'POST /rest/v1/leads.json',
    });
  });

  it('gets by filter: 700 values in chunks of 300, every page followed, fields honoured', async () => {
    await fx.client.leads.sync({ action: 'createOnly', input: people(700) });
    const emails = people(700).map((p) => p.email as string);
    const leads = await fx.client.leads.getByFilter({
      filterType: 'email',
      filterValues: emails,
      fields: ['email', 'lastName'],
      batchSize: 100,
    });
    expect(leads).toHaveLength(700);
    expect(new Set(leads.map((l) => l.email)).size).toBe(700);
    expect(leads[0]).toHaveProperty('lastName');
    expect(leads[0]).not.toHaveProperty('firstName');
    // 3 chunks (300, 300, 100) in pages of 100 → 3 + 3 + 1 calls.
    expect(fx.counter.snapshot()['marketo GET /rest/v1/leads.json']).toBe(7);
    expect(
      await fx.client.leads.getByFilter({ filterType: 'email', filterValues: ['none@example.com'] }),
    ).toEqual([]);
  });

  it('sends a long filter list as POST ?_method=GET with a form body', async () => {
    const input = people(300, 'a-rather-long-address-prefix-to-pass-eight-kilobytes-');
    await fx.client.leads.sync({ action: 'createOnly', input });
    const leads = await fx.client.leads.getByFilter({
      filterType: 'email',
      filterValues: input.map((p) => p.email as string),
    });
    expect(leads).toHaveLength(300);
    expect(fx.wire.requests.filter((r) => r === 'POST /rest/v1/leads.json')).toHaveLength(2);
    expect(fx.wire.statuses.get(414)).toBeUndefined();
  });

  it('resends as POST ?_method=GET when Marketo answers 414', async () => {
    await fx.close();
    fx = await startMarketoFixture({ client: { maxUrlLength: Number.POSITIVE_INFINITY } });
    // Between 8 KB (Marketo's limit) and 16 KB (Node's header limit, which answers 431 instead).
    const input = people(150, 'a-long-address-prefix-to-pass-eight-kilobytes-');
    await fx.client.leads.sync({ action: 'createOnly', input });
    const leads = await fx.client.leads.getByFilter({
      filterType: 'email',
      filterValues: input.map((p) => p.email as string),
    });
    expect(leads).toHaveLength(150);
    expect(fx.wire.statuses.get(414)).toBe(1);
  });

  it('deletes (deleted or skipped per id) and merges', async () => {
    const ids = (await fx.client.leads.sync({ action: 'createOnly', input: people(4) })).map(
      (o) => o.id as number,
    );
    const deleted = await fx.client.leads.delete([ids[0]!, 999_999]);
    expect(deleted).toEqual([
      { status: 'deleted', id: ids[0], reasons: [] },
      { status: 'skipped', id: 999_999, reasons: [{ code: '1004', message: 'Lead not found' }] },
    ]);
    expect(await fx.client.leads.getById(ids[0]!)).toBeNull();
    await fx.client.leads.merge(ids[1]!, [ids[2]!, ids[3]!]);
    expect(await fx.client.leads.getById(ids[2]!)).toBeNull();
    expect(await fx.client.leads.getById(ids[1]!)).toMatchObject({ id: ids[1] });
    const error = await fx.client.leads.merge(ids[1]!, [123_456]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: '1004', retryable: false });
  });

  it('keeps outcomes positional when one batch names the same id twice (deleted, then skipped)', async () => {
    const [first] = await fx.client.leads.sync({ action: 'createOnly', input: people(1) });
    const outcomes = await fx.client.leads.delete([first!.id as number, first!.id as number]);
    expect(outcomes.map((o) => o.status)).toEqual(['deleted', 'skipped']);
    expect(outcomes[1]!.reasons[0]).toMatchObject({ code: '1004' });
  });
});
