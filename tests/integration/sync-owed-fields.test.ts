// Owed fields (issue 14): a change the other side refused stays owed, field by field, until it is
// written or its source changes — a later success on other fields of the record does not make the
// sync forget it. And values are compared exactly: a whitespace-only edit is an edit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRecordStatus } from '../../lib/db/recordStatus';
import { recordStatusView } from '../../lib/records/statusView';
import { type SyncHarness, startSyncHarness, stepOf } from './sync-harness';

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness({ seed: 'empty' });
});
afterAll(async () => h.stop());

const persons = () => h.emu.marketo.snapshot().leads as Record<string, unknown>[];
const person = (sfId: string) => persons().find((p) => p.sfdcLeadIdCustom === sfId)!;
const lead = (fields: Record<string, unknown>) =>
  h.emu.control.sfCreate({ object: 'Lead', fields: { Company: 'Acme', LastName: 'Doe', ...fields } }).id;
const sf = (id: string) => h.emu.control.sfGet({ id })!;
const shown = async (id: string) => recordStatusView('Lead', await getRecordStatus(h.db, id));
const pendingOf = async (id: string) => (await h.db.records.get(id))?.pending ?? {};
/** Less than the retry backoff (1 minute in these settings): no retry is due. */
const soon = () => h.advance(20_000);
/** Past any backoff the tests reach. */
const later = () => h.advance(30 * 60_000);

describe('a refused push stays owed when other fields of the record push fine', () => {
  it('keeps State owed after Title syncs, and syncs it once the validation rule is relaxed', async () => {
    const id = lead({ FirstName: 'Sam', State: 'California' });
    await h.cycle();
    const mktoId = person(id).id as number;

    soon();
    h.emu.control.mkUpdateLead({ id: mktoId, fields: { state: 'CA' } });
    const refused = await h.cycle();
    expect(stepOf(refused, 'Push Updates', 'Person').failed).toBe(1);
    expect((await shown(id)).state).toBe('failed');

    soon();
    h.emu.control.mkUpdateLead({ id: mktoId, fields: { title: 'VP Sales' } });
    const other = await h.cycle();
    expect(stepOf(other, 'Push Updates', 'Person').updated).toBe(1);
    expect(sf(id).Title).toBe('VP Sales');
    expect(sf(id).State).toBe('California');
    // The Title success does not settle State: still Failed, owing State, with the rule's error.
    const failing = await shown(id);
    expect(failing.state).toBe('failed');
    expect((await pendingOf(id))['Push Updates']?.owed).toEqual({ State: 'CA' });
    expect(failing.lastError?.code).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
    expect(failing.owedFields).toEqual([
      expect.objectContaining({ operation: 'Push Updates', field: 'State', value: 'CA' }),
    ]);

    // Still refused on the retry: still owed.
    later();
    await h.cycle();
    expect((await shown(id)).state).toBe('failed');
    expect(sf(id).State).toBe('California');

    h.emu.control.setValidationRule({ object: 'Lead', rule: 'Full_State_Name_State', active: false });
    later();
    await h.cycle();
    h.emu.control.setValidationRule({ object: 'Lead', rule: 'Full_State_Name_State', active: true });
    expect(sf(id).State).toBe('CA');
    const synced = await shown(id);
    expect(synced.state).toBe('synced');
    expect(synced.owedFields ?? []).toEqual([]);
    expect(await pendingOf(id)).toEqual({});
    // Nothing owed any more: quiet cycles leave the record alone.
    later();
    await h.cycle();
    expect((await shown(id)).state).toBe('synced');
  });

  it('a new source value replaces the owed one; going back to the synced value owes nothing', async () => {
    const id = lead({ FirstName: 'Lou', State: 'Oregon' });
    soon();
    await h.cycle();
    const mktoId = person(id).id as number;
    soon();
    h.emu.control.mkUpdateLead({ id: mktoId, fields: { state: 'OR' } });
    await h.cycle();
    expect((await pendingOf(id))['Push Updates']?.owed).toEqual({ State: 'OR' });
    soon();
    h.emu.control.mkUpdateLead({ id: mktoId, fields: { state: 'Oregon' } });
    await h.cycle();
    expect(await pendingOf(id)).toEqual({});
    expect((await shown(id)).state).not.toBe('failed');
    expect(sf(id).State).toBe('Oregon');
  });
});

describe('Sync now writes what a record owes', () => {
  it('does not wait for the backoff: the owed State is written at once', async () => {
    const id = lead({ FirstName: 'Nat', State: 'Nevada' });
    soon();
    await h.cycle();
    const mktoId = person(id).id as number;
    soon();
    h.emu.control.mkUpdateLead({ id: mktoId, fields: { state: 'NV' } });
    await h.cycle();
    expect((await shown(id)).state).toBe('failed');
    h.emu.control.setValidationRule({ object: 'Lead', rule: 'Full_State_Name_State', active: false });
    soon(); // the retry is not due yet
    await h.cycle();
    expect(sf(id).State).toBe('Nevada');
    await h.cycle({ trigger: 'record', record: { objectType: 'Lead', id } });
    h.emu.control.setValidationRule({ object: 'Lead', rule: 'Full_State_Name_State', active: true });
    expect(sf(id).State).toBe('NV');
    expect((await shown(id)).state).toBe('synced');
  });
});

describe('a refused pull stays owed when other fields of the record pull fine', () => {
  it('keeps Email owed while Title reaches Marketo, and syncs it when the value is fixed', async () => {
    const id = lead({ FirstName: 'Eve', Email: 'eve@example.com' });
    soon();
    await h.cycle();
    soon();
    // Marketo takes ASCII email addresses only (emulator leads.md): this one is refused.
    h.emu.control.sfUpdate({ id, fields: { Email: 'eve@exämple.com' } });
    const refused = await h.cycle();
    expect(stepOf(refused, 'Pull Updates', 'Person').failed).toBe(1);
    expect((await shown(id)).state).toBe('failed');

    soon();
    h.emu.control.sfUpdate({ id, fields: { Title: 'CFO' } });
    const other = await h.cycle();
    expect(stepOf(other, 'Pull Updates', 'Person').updated).toBe(1);
    expect(person(id).title).toBe('CFO');
    expect(person(id).email).toBe('eve@example.com');
    const failing = await shown(id);
    expect(failing.state).toBe('failed');
    expect((await pendingOf(id))['Pull Updates']?.owed).toEqual({ Email: 'eve@exämple.com' });
    expect(failing.owedFields).toEqual([
      expect.objectContaining({ operation: 'Pull Updates', field: 'Email', value: 'eve@exämple.com' }),
    ]);

    later();
    await h.cycle(); // the retry: still refused
    expect((await shown(id)).state).toBe('failed');

    soon();
    h.emu.control.sfUpdate({ id, fields: { Email: 'eve@example.org' } });
    await h.cycle();
    expect(person(id).email).toBe('eve@example.org');
    expect((await shown(id)).state).toBe('synced');
    expect(await pendingOf(id)).toEqual({});
  });
});

describe('values are compared exactly', () => {
  // Salesforce trims text on save (lib/sync/hash.ts), so a whitespace edit Salesforce keeps is one
  // with a non-breaking space; Marketo keeps any whitespace.
  it('a whitespace-only edit in Salesforce reaches Marketo, and its echo is skipped', async () => {
    const id = lead({ FirstName: 'Ann', Title: 'Analyst' });
    soon();
    await h.cycle();
    soon();
    h.emu.control.sfUpdate({ id, fields: { Title: 'Analyst\u00a0' } });
    const pulled = await h.cycle();
    expect(stepOf(pulled, 'Pull Updates', 'Person').updated).toBe(1);
    expect(person(id).title).toBe('Analyst\u00a0');
    expect(stepOf(pulled, 'Push Updates', 'Person').updated).toBe(0);
    soon();
    const echo = await h.cycle();
    expect(stepOf(echo, 'Push Updates', 'Person').updated).toBe(0);
    expect(sf(id).Title).toBe('Analyst\u00a0');
  });

  it('a whitespace-only edit in Marketo reaches Salesforce, and its echo is skipped', async () => {
    const id = lead({ FirstName: 'Bo', Title: 'Buyer' });
    soon();
    await h.cycle();
    const mktoId = person(id).id as number;
    soon();
    h.emu.control.mkUpdateLead({ id: mktoId, fields: { title: '\u00a0Buyer' } });
    const pushed = await h.cycle();
    expect(stepOf(pushed, 'Push Updates', 'Person').updated).toBe(1);
    expect(sf(id).Title).toBe('\u00a0Buyer');
    soon();
    const echo = await h.cycle();
    expect(stepOf(echo, 'Pull Updates', 'Person').updated).toBe(0);
    expect(person(id).title).toBe('\u00a0Buyer');
  });

  it('spaces Salesforce trims on save: the push writes, the echo is skipped, nothing ping-pongs', async () => {
    const id = lead({ FirstName: 'Cy', Title: 'Chef' });
    soon();
    await h.cycle();
    const mktoId = person(id).id as number;
    soon();
    h.emu.control.mkUpdateLead({ id: mktoId, fields: { title: ' Head Chef ' } });
    const pushed = await h.cycle();
    expect(stepOf(pushed, 'Push Updates', 'Person').updated).toBe(1);
    expect(sf(id).Title).toBe('Head Chef');
    soon();
    const echo = await h.cycle();
    expect(stepOf(echo, 'Pull Updates', 'Person').updated).toBe(0);
    expect(stepOf(echo, 'Push Updates', 'Person').updated).toBe(0);
  });
});
