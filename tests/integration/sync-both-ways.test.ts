// Both directions against the emulator, starting from an empty org: incremental edits on both
// sides, no echo after a push, deletes, conversions (relink and merge), exclusions, conflicts,
// Push New, validation-rule and field-permission failures then success after the fix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SyncHarness, startSyncHarness, stepOf } from './sync-harness';

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness({ seed: 'empty' });
});
afterAll(async () => h.stop());

const lead = (fields: Record<string, unknown>) =>
  h.emu.control.sfCreate({ object: 'Lead', fields: { Company: 'Acme', LastName: 'Doe', ...fields } }).id;
const person = (sfId: string) =>
  (h.emu.marketo.snapshot().leads as Record<string, unknown>[]).find(
    (p) => p.sfdcLeadIdCustom === sfId || p.sfdcContactIdCustom === sfId,
  );
const sf = (id: string) => h.emu.control.sfGet({ id })!;
async function next() {
  h.advance();
  return h.cycle();
}

describe('pull and push', () => {
  let a: string;
  let b: string;
  it('creates persons for new leads, then skips them', async () => {
    a = lead({ FirstName: 'Ann', Email: 'ann@example.com', Title: 'CTO' });
    b = lead({ FirstName: 'Bob', Email: 'bob@example.com', Do_Not_Sync_to_Marketo__c: true });
    const first = await h.cycle();
    expect(first.cycle?.status, h.logs.join('\n')).toBe('Completed');
    expect(stepOf(first, 'Pull Updates', 'Person')).toMatchObject({ new: 1, excluded: 1 });
    expect(person(a)).toMatchObject({ firstName: 'Ann', title: 'CTO', sfdcTypeCustom: 'Lead' });
    expect(person(b)).toBeUndefined();
    const second = await next();
    expect(
      stepOf(second, 'Pull Updates', 'Person').new + stepOf(second, 'Pull Updates', 'Person').updated,
    ).toBe(0);
  });

  it('pulls a Salesforce edit and pushes a Marketo edit, without echo', async () => {
    h.emu.control.sfUpdate({ id: a, fields: { Title: 'CEO' } });
    const pulled = await next();
    expect(stepOf(pulled, 'Pull Updates', 'Person').updated).toBe(1);
    expect(person(a)?.title).toBe('CEO');
    // The change we just wrote comes back in Marketo's feed: skipped, not pushed back.
    expect(stepOf(pulled, 'Push Updates', 'Person').updated).toBe(0);

    h.emu.control.mkUpdateLead({ id: person(a)!.id as number, fields: { phone: '+1 555 0100' } });
    const pushed = await next();
    expect(stepOf(pushed, 'Push Updates', 'Person').updated).toBe(1);
    expect(sf(a).Phone).toBe('+1 555 0100');
    // Our push bumps the lead's SystemModstamp: the next pull sees it and skips it by hash.
    const echo = await next();
    const pull = stepOf(echo, 'Pull Updates', 'Person');
    expect(pull.updated + pull.new).toBe(0);
    expect(pull.skipped).toBeGreaterThanOrEqual(1);
    expect(stepOf(echo, 'Push Updates', 'Person').updated).toBe(0);
  });

  it('resolves a conflict for Salesforce by default and for Marketo when set', async () => {
    h.emu.control.sfUpdate({ id: a, fields: { Title: 'Chair' } });
    h.emu.control.mkUpdateLead({ id: person(a)!.id as number, fields: { title: 'Founder' } });
    await next();
    await next();
    expect(sf(a).Title).toBe('Chair');
    expect(person(a)?.title).toBe('Chair');

    h.settings.objects.Lead!.conflictWinner = 'marketo';
    h.emu.control.sfUpdate({ id: a, fields: { Title: 'President' } });
    h.emu.control.mkUpdateLead({ id: person(a)!.id as number, fields: { title: 'Owner' } });
    await next();
    await next();
    h.settings.objects.Lead!.conflictWinner = 'salesforce';
    expect(sf(a).Title).toBe('Owner');
    expect(person(a)?.title).toBe('Owner');
  });

  it('includes a record once its filter is cleared', async () => {
    h.emu.control.sfUpdate({ id: b, fields: { Do_Not_Sync_to_Marketo__c: false } });
    const report = await next();
    expect(stepOf(report, 'Pull Updates', 'Person').new).toBe(1);
    expect(person(b)?.firstName).toBe('Bob');
  });

  it('turns configured Marketo activities into Tasks on the linked lead', async () => {
    h.emu.marketo.store.activities.append({
      leadId: person(a)!.id as number,
      date: h.clock.now(),
      typeId: 2,
      primaryAttributeValueId: 1001,
      primaryAttributeValue: 'Contact Us Form',
      attributes: [{ name: 'Client IP Address', value: '10.0.0.1' }],
    });
    h.emu.marketo.store.activities.append({
      leadId: person(a)!.id as number,
      date: h.clock.now(),
      typeId: 1,
      primaryAttributeValueId: 71,
      primaryAttributeValue: 'www.example.com/pricing',
      attributes: [],
    });
    const report = await next();
    expect(stepOf(report, 'Push New', 'Task').new).toBe(1);
    const tasks = (h.emu.control.snapshot().salesforce.Task ?? []).filter((t) => t.WhoId === a);
    expect(tasks.map((t) => t.Subject)).toEqual([expect.stringContaining('Fill Out Form: Contact Us Form')]);
  });

  it('deletes the person of a deleted lead', async () => {
    h.emu.control.sfDelete({ id: b });
    const report = await next();
    expect(stepOf(report, 'Pull Deletes', 'Person').deleted).toBe(1);
    expect(person(b)).toBeUndefined();
  });
});

describe('conversions', () => {
  it('relinks the lead’s person to the new contact', async () => {
    const c = lead({ FirstName: 'Cem', Email: 'cem@example.com' });
    await next();
    const before = person(c)!;
    const converted = h.emu.control.convertLead({ leadId: c });
    const relinked = await next();
    expect(stepOf(relinked, 'Pull Conversions', 'Person').updated).toBe(1);
    const after = (h.emu.marketo.snapshot().leads as Record<string, unknown>[]).find(
      (p) => p.id === before.id,
    )!;
    expect(after).toMatchObject({ sfdcContactIdCustom: converted.contactId, sfdcTypeCustom: 'Contact' });
    const persons = (h.emu.marketo.snapshot().leads as Record<string, unknown>[]).filter(
      (p) => p.sfdcContactIdCustom === converted.contactId,
    );
    expect(persons).toHaveLength(1);
  });

  it('ends with one person per converted contact when the contact was pulled first', async () => {
    const e = lead({ FirstName: 'Eva', Email: 'eva@example.com' });
    await next();
    const converted = h.emu.control.convertLead({ leadId: e });
    const report = await next();
    expect(stepOf(report, 'Pull Conversions', 'Person').updated).toBe(1);
    const linked = (h.emu.marketo.snapshot().leads as Record<string, unknown>[]).filter(
      (p) => p.sfdcContactIdCustom === converted.contactId || p.sfdcLeadIdCustom === e,
    );
    expect(linked).toHaveLength(1);
    expect(linked[0]).toMatchObject({ sfdcContactIdCustom: converted.contactId, firstName: 'Eva' });
  });

  it('merges the lead’s person into the contact’s existing person', async () => {
    const account = h.emu.control.sfCreate({ object: 'Account', fields: { Name: 'Globex' } }).id;
    const contact = h.emu.control.sfCreate({
      object: 'Contact',
      fields: { LastName: 'Dee', Email: 'dee@globex.com', AccountId: account },
    }).id;
    const d = lead({ LastName: 'Dee', Email: 'dee2@globex.com' });
    await next();
    const leadPerson = person(d)!.id;
    const contactPerson = person(contact)!.id;
    h.emu.control.convertLead({ leadId: d, contactId: contact, accountId: account });
    const report = await next();
    expect(stepOf(report, 'Pull Conversions', 'Person').updated).toBe(1);
    const ids = (h.emu.marketo.snapshot().leads as Record<string, unknown>[]).map((p) => p.id);
    expect(ids).toContain(contactPerson);
    expect(ids).not.toContain(leadPerson);
  });
});
