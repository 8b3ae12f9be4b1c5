// The soak's people actions (objects.ts): custom object records created, edited, moved to another
// lead or contact (or none) and deleted; contacts merged; a lead converted into a new deal; records
// handed to another owner; users edited and created.
import type { Emulator } from '../../emulator/index';
import { HOSTILE_TEXTS } from './actions';
import { at, attempt, idOf, live, type Row, type Scene, userValue } from './objectEdits';

const CUSTOM_EDITS = ['Product__c', 'Status__c', 'Start_Date__c', 'Name'];
const USER_EDITS = ['Title', 'Phone', 'MobilePhone', 'FirstName'];

export function applyPeopleAction(op: string, s: Scene, object: string): string {
  const { emu, a, filter, contacts, leads, users } = s;
  const c = emu.control;
  const custom = idOf(at(s.customs, a.record));
  switch (op) {
    case 'custom.create': {
      const fields = {
        Name: `SOAK-${a.value}`,
        ...personFields(contacts, leads, a.target),
        Product__c: 'Analytics',
      };
      return attempt(`create ${object} ${JSON.stringify(fields)}`, () => c.sfCreate({ object, fields }));
    }
    case 'custom.edit': {
      if (!custom) return 'custom.edit: none';
      const field = at(CUSTOM_EDITS, a.target)!;
      const value = userValue(emu, object, field, a.value, c.sfGet({ id: custom })?.[field]);
      return attempt(`${custom}.${field} = ${JSON.stringify(value)}`, () =>
        c.sfUpdate({ id: custom, fields: { [field]: value } }),
      );
    }
    case 'custom.reparent': {
      if (!custom) return 'custom.reparent: none';
      const fields = personFields(contacts, leads, a.target, a.value);
      return attempt(`${custom} moves to ${JSON.stringify(fields)}`, () =>
        c.sfUpdate({ id: custom, fields }),
      );
    }
    case 'custom.delete':
      if (!custom) return 'custom.delete: none';
      return attempt(`delete ${custom}`, () => c.sfDelete({ id: custom }));
    case 'contact.merge': {
      const synced = contacts.filter((r) => !(filter && r[filter] === true));
      const master = idOf(at(synced, a.record));
      const loser = idOf(at(synced, a.target));
      if (!master || !loser || master === loser) return 'contact.merge: no two contacts';
      return attempt(`merge contact ${loser} into ${master}`, () =>
        c.sfMergeContacts({ master, losers: [loser] }),
      );
    }
    case 'lead.convertWithDeal': {
      const lead = idOf(
        at(
          leads.filter((r) => !(filter && r[filter] === true)),
          a.record,
        ),
      );
      if (!lead) return 'lead.convertWithDeal: no lead';
      const result = c.convertLead({ leadId: lead, createOpportunity: true });
      return `convert lead ${lead} → contact ${result.contactId}, opportunity ${result.opportunityId}`;
    }
    case 'owner.change': {
      const object = at(['Lead', 'Contact', 'Opportunity', 'Account'], a.value)!;
      const record = idOf(at(live(emu, object, filter), a.record));
      const user = idOf(at(users, a.target));
      if (!record || !user) return 'owner.change: none';
      return attempt(`${object} ${record} now owned by ${user}`, () =>
        c.sfUpdate({ id: record, fields: { OwnerId: user } }),
      );
    }
    case 'user.edit': {
      const user = idOf(at(users, a.record));
      if (!user) return 'user.edit: none';
      const field = at(USER_EDITS, a.target)!;
      const value = userValue(emu, 'User', field, a.value, c.sfGet({ id: user })?.[field]);
      return attempt(`user ${user}.${field} = ${JSON.stringify(value)}`, () =>
        c.sfUpdate({ id: user, fields: { [field]: value } }),
      );
    }
    case 'user.create':
      return createUser(emu, a.value);

    default:
      throw new Error(`not a people action: ${op}`);
  }
}

/** The link fields of a custom record pointing at a contact or a lead (`clear`: now and then at nobody). */
function personFields(
  contacts: Row[],
  leads: Row[],
  n: number,
  clear?: number,
): Record<string, string | null> {
  if (clear !== undefined && clear % 9 === 0) return { Contact__c: null, Lead__c: null };
  const onLead = n % 3 === 0;
  const person = idOf(at(onLead ? leads : contacts, Math.floor(n / 3)));
  return onLead
    ? { Contact__c: null, Lead__c: person ?? null }
    : { Contact__c: person ?? null, Lead__c: null };
}

/** A new sales rep, made by an admin (owners are picked among the active users). */
function createUser(emu: Emulator, n: number): string {
  const login = `rep.${n}.${emu.core.clock.now()}@emulator.example`;
  return attempt(`create user ${login}`, () =>
    emu.control.sfCreate({
      object: 'User',
      fields: {
        Username: login,
        FirstName: HOSTILE_TEXTS[n % HOSTILE_TEXTS.length]!.slice(0, 40),
        LastName: `Rep ${n}`,
        Alias: `rep${n % 1000}`,
        Email: login,
        IsActive: true,
        TimeZoneSidKey: 'Europe/Amsterdam',
        LocaleSidKey: 'en_US',
        LanguageLocaleKey: 'en_US',
        ProfileId: emu.salesforce.principals.standardProfileId,
        UserType: 'Standard',
      },
    }),
  );
}
