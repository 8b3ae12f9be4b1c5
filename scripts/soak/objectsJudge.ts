// The soak's judge for the objects of issue 19 (objects.ts acts on them): what Marketo holds must be
// exactly what Salesforce says, read straight from both emulator stores.
// - Users: each user is a sales person with its fields; each synced person, opportunity and
//   company names its owner's sales person.
// - Opportunities: each live one once in Marketo, fields, company and owner agreeing; a deleted
//   one gone (lost when it stays: its deletion was lost).
// - Contact roles and custom records (objectsJudgeChildren.ts): each live role of a synced (not excluded) contact is one Marketo role on the
//   contact's person, (opportunity, person, role) with its primary flag; a Marketo role no
//   Salesforce role explains (left on a former contact, a deleted one) is drifted (lost if its
//   opportunity is gone).
// - Custom records (Subscription__c): each live record whose person is synced is one Marketo record
//   on that person with its mapped fields; one with no person, or an excluded one, is not kept in
//   Marketo on somebody else; a deleted one is gone.
// - Companies (Account Type): each live account's, with its name, type and owner. Companies of
//   deleted accounts are not judged: nothing deletes them (docs/objects.md).
// A disagreement is allowed only when the record's panel shows Failed with the reason, and a
// record that agrees must be shown Synced (every flagged record, a sample of the others).
import type { Emulator } from '../../emulator/index';
import { OPPORTUNITY } from '../../emulator/marketo/crmObjects';
import type { RecordStatusView } from '../../lib/messaging/views';
import type { SyncSettings } from '../../lib/settings/schema';
import { OPPORTUNITY_FIELDS } from '../../lib/sync/operations/objects/opportunities';
import { salesPersonOf } from '../../lib/sync/operations/objects/ownerLink';
import { USER_FIELDS } from '../../lib/sync/operations/objects/users';
import { accountTypeEnabled } from '../../lib/sync/probeTargets';
import { personsBySfId } from './actions';
import { SOAK_CUSTOM_OBJECT } from './objects';
import { judgeCustom, judgeRoles } from './objectsJudgeChildren';
import type { Verdict } from './oracle';

type Row = Record<string, unknown>;
export interface PanelLook {
  shown: (object: string, id: string) => Promise<RecordStatusView>;
  needsLook: (id: string) => boolean;
}

/** Values as both APIs store them: empty text and null alike, numbers by value. */
function same(sf: unknown, mk: unknown): boolean {
  const empty = (v: unknown) => v === null || v === undefined || v === '';
  if (empty(sf) || empty(mk)) return empty(sf) && empty(mk);
  if (typeof sf === 'number' || typeof mk === 'number') return Number(sf) === Number(mk);
  return String(sf) === String(mk);
}

/**
 * A Salesforce value as Marketo's opportunity field can hold it: a number written into an integer
 * field (Probability: Salesforce keeps 3.5 from the API, lib/sync/mapping.ts rounds it) rounded.
 */
const INTEGER_FIELDS = new Set(OPPORTUNITY.fields.filter((f) => f.dataType === 'integer').map((f) => f.name));
const asMarketoStores = (field: string, value: unknown) =>
  INTEGER_FIELDS.has(field) && typeof value === 'number' ? Math.round(value) : value;

export const diff = (field: string, sf: unknown, mk: unknown) =>
  same(sf, mk) ? [] : [`${field} ${JSON.stringify(sf ?? null)} ≠ ${JSON.stringify(mk ?? null)}`];

/** What both halves of the judge use (this file's and objectsJudgeChildren.ts). */
export interface JudgeKit {
  emu: Emulator;
  settings: SyncSettings;
  since: number;
  v: Verdict;
  rows: (object: string) => Row[];
  crm: (kind: 'opportunity' | 'opportunityRole' | 'company' | 'salesPerson') => Row[];
  personOf: (id: unknown) => { leadId?: number; excluded: boolean };
  judgeRecord: (object: string, id: string, diffs: string[], missing?: boolean) => Promise<void>;
}

export async function judgeObjects(
  emu: Emulator,
  settings: SyncSettings,
  since: number,
  v: Verdict,
  panel: PanelLook,
): Promise<void> {
  const store = emu.salesforce.store;
  const rows = (object: string) => [...(store.tables.get(object)?.records.values() ?? [])];
  const crm = (kind: 'opportunity' | 'opportunityRole' | 'company' | 'salesPerson') =>
    emu.control.mkCrmRecords({ kind });
  const filter = settings.syncFilterField;
  const persons = personsBySfId(emu);
  const usersOn = !!settings.objects.User?.enabled;
  /** A lead's or contact's Marketo person (a converted lead's is its contact's), unless excluded. */
  const personOf = (id: unknown): { leadId?: number; excluded: boolean } => {
    let row = typeof id === 'string' ? store.get(id) : undefined;
    if (row?.IsConverted) row = store.get(String(row.ConvertedContactId));
    if (!row || row.IsDeleted) return { excluded: false };
    return { leadId: persons.get(String(row.Id))?.[0], excluded: !!filter && row[filter] === true };
  };
  const owner = (row: Row) => (usersOn ? salesPersonOf(row.OwnerId) : null);

  /** Records the judge found disagreeing, by object: the panel decides between failed and drifted. */
  const judgeRecord = async (object: string, id: string, diffs: string[], missing = false) => {
    if (!diffs.length && !missing && !panel.needsLook(id)) return;
    const view = await panel.shown(object, id);
    const failed = view.state === 'failed' && !!view.lastError?.message;
    const what = `${object} ${id}`;
    if (missing) {
      if (failed) v.failed.push(`${what} not in Marketo: ${view.lastError?.message}`);
      else v.lost.push(`${what} is not in Marketo (shown ${view.state})`);
    } else if (diffs.length && failed)
      v.failed.push(`${what} (${view.lastError?.message}): ${diffs.join('; ')}`);
    else if (diffs.length) v.drifted.push(`${what} shown ${view.state}: ${diffs.join('; ')}`);
    else if (view.state === 'failed' && !failed) v.drifted.push(`${what} shown Failed without a reason`);
    else if (view.state !== 'synced' && !failed) v.drifted.push(`${what} agrees but is shown ${view.state}`);
  };

  if (usersOn) {
    const salesPersons = new Map(crm('salesPerson').map((p) => [String(p.externalSalesPersonId), p]));
    for (const user of rows('User')) {
      v.records += 1;
      const mk = salesPersons.get(String(user.Id));
      const diffs = mk ? USER_FIELDS.flatMap(([sf, m]) => diff(sf, user[sf], mk[m])) : [];
      await judgeRecord('User', String(user.Id), diffs, !mk);
    }
    // Each synced person names its owner's sales person (the person judge counted the record).
    for (const object of ['Lead', 'Contact'] as const)
      for (const row of rows(object)) {
        if (row.IsDeleted || row.IsConverted || (filter && row[filter] === true)) continue;
        const leadId = persons.get(String(row.Id))?.[0];
        if (leadId === undefined) continue;
        const mk = emu.marketo.store.leads.get(leadId)?.values.externalSalesPersonId;
        const diffs = diff('owner', owner(row), mk);
        if (diffs.length) await judgeRecord(object, String(row.Id), diffs);
      }
  }

  if (accountTypeEnabled(settings)) {
    const companies = new Map(crm('company').map((c) => [String(c.externalCompanyId), c]));
    for (const account of rows('Account')) {
      if (account.IsDeleted) continue;
      const mk = companies.get(String(account.Id));
      const diffs = mk
        ? [
            ...diff('company Name', account.Name, mk.company),
            ...diff('company Type', account.Type, mk.accountType),
            ...diff('company owner', owner(account), mk.externalSalesPersonId),
          ]
        : [];
      if (diffs.length || !mk) await judgeRecord('Account', String(account.Id), diffs, !mk);
    }
  }

  const opportunitiesOn = !!settings.objects.Opportunity?.enabled;
  if (opportunitiesOn) {
    const schema = store.schema.get('Opportunity');
    const fields = OPPORTUNITY_FIELDS.filter(([sf]) => schema?.field(sf));
    const mkOpps = groupBy(crm('opportunity'), 'externalOpportunityId');
    const sfOpps = new Set<string>();
    for (const opp of rows('Opportunity')) {
      const id = String(opp.Id);
      sfOpps.add(id);
      const mk = mkOpps.get(id) ?? [];
      if (opp.IsDeleted) {
        if (mk.length && Number(opp.SystemModstamp) >= since)
          v.lost.push(`Opportunity ${id} deleted, still in Marketo`);
        continue;
      }
      v.records += 1;
      if (mk.length > 1) v.duplicated.push(`Opportunity ${id}: ${mk.length} Marketo opportunities`);
      const m = mk[0];
      const diffs = m
        ? [
            ...fields.flatMap(([sf, f]) => diff(sf, asMarketoStores(f, opp[sf]), m[f])),
            ...diff('AccountId', opp.AccountId, m.externalCompanyId),
            ...diff('OwnerId', owner(opp), m.externalSalesPersonId),
          ]
        : [];
      await judgeRecord('Opportunity', id, diffs, !m);
    }
    for (const id of mkOpps.keys())
      if (!sfOpps.has(id)) v.lost.push(`Marketo opportunity ${id}: no such opportunity in Salesforce`);
  }

  const kit: JudgeKit = { emu, settings, since, v, rows, crm, personOf, judgeRecord };
  if (opportunitiesOn && settings.objects.OpportunityContactRole?.enabled) await judgeRoles(kit);
  if (settings.objects[SOAK_CUSTOM_OBJECT]?.enabled && settings.customObjects[SOAK_CUSTOM_OBJECT])
    await judgeCustom(kit);
}

export function groupBy(records: Row[], by: string | ((r: Row) => string)): Map<string, Row[]> {
  const out = new Map<string, Row[]>();
  for (const r of records) {
    const k = typeof by === 'string' ? String(r[by]) : by(r);
    out.set(k, [...(out.get(k) ?? []), r]);
  }
  return out;
}
