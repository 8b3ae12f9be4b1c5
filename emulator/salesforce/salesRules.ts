// Opportunity and OpportunityContactRole rules (api-facts-objects E1, E4 items 6–7), applied by the
// DML path (dml.ts) to API writes and control-API edits alike:
// - one primary role per opportunity: a role saved with IsPrimary = true clears it on the others
//   (unconfirmed, E1 Unconfirmed 7: the usual org behaviour);
// - deleting an account deletes its opportunities (its contacts stay: docs/objects.md);
// - deleting an opportunity sends its roles to the Recycle Bin with it (queryAll shows them
//   IsDeleted, the deleted/ feed lists them) — the only way a role's IsDeleted turns true (E1);
// - a role deleted on its own never shows IsDeleted: it leaves queryAll at once, and only the
//   deleted/ feed lists it (E1: "IsDeleted only turns true when the parent opportunity goes to the
//   Recycle Bin"; whether getDeleted lists direct deletes is unconfirmed, E1 Unconfirmed 6);
// - deleting a contact deletes its roles the same way, and clears lookups to the deleted lead or
//   contact on custom objects (a lookup's default "clear the value of this field").
import type { SalesforceOrg } from './org';
import type { SfRecord } from './schema/types';

const live = (row: SfRecord) => row.IsDeleted !== true;

/** The live roles of an opportunity (or of a contact: field ContactId). */
export function rolesOf(org: SalesforceOrg, field: 'OpportunityId' | 'ContactId', id: unknown): SfRecord[] {
  const rows: SfRecord[] = [];
  for (const row of org.store.table('OpportunityContactRole').records.values())
    if (row[field] === id && live(row)) rows.push(row);
  return rows;
}

export function afterSave(
  org: SalesforceOrg,
  objectName: string,
  row: SfRecord,
  actorId: string,
  at: number,
) {
  if (objectName !== 'OpportunityContactRole' || row.IsPrimary !== true) return;
  for (const other of rolesOf(org, 'OpportunityId', row.OpportunityId))
    if (other.Id !== row.Id && other.IsPrimary === true)
      org.store.update(other.Id as string, { IsPrimary: false }, actorId, at);
}

/** A role deleted directly: in the delete log, but gone from queryAll (never IsDeleted). */
function deleteRoleDirectly(org: SalesforceOrg, id: string, actorId: string, at: number) {
  org.store.softDelete(id, actorId, at);
  org.store.purge(id);
}

export function afterDelete(
  org: SalesforceOrg,
  row: SfRecord,
  objectName: string,
  actorId: string,
  at: number,
) {
  if (objectName === 'OpportunityContactRole') {
    org.store.purge(row.Id as string);
    return;
  }
  if (objectName === 'Opportunity') {
    for (const role of rolesOf(org, 'OpportunityId', row.Id))
      org.store.softDelete(role.Id as string, actorId, at);
    return;
  }
  if (objectName === 'Account') {
    // Salesforce deletes an account's opportunities with it (and their roles with them).
    for (const opp of org.store.table('Opportunity').records.values()) {
      if (opp.AccountId !== row.Id || !live(opp)) continue;
      org.store.softDelete(opp.Id as string, actorId, at);
      afterDelete(org, opp, 'Opportunity', actorId, at);
    }
    return;
  }
  if (objectName !== 'Lead' && objectName !== 'Contact') return;
  if (objectName === 'Contact')
    for (const role of rolesOf(org, 'ContactId', row.Id))
      deleteRoleDirectly(org, role.Id as string, actorId, at);
  clearPersonLookups(org, row.Id as string, objectName, actorId, at);
}

/** Custom-object lookups to a deleted lead or contact are cleared (bumping the record's stamp). */
function clearPersonLookups(
  org: SalesforceOrg,
  personId: string,
  object: string,
  actorId: string,
  at: number,
) {
  for (const type of org.store.schema.all()) {
    if (!type.def.custom) continue;
    const lookups = type.fields.filter((f) => f.type === 'reference' && f.referenceTo?.includes(object));
    if (lookups.length === 0) continue;
    for (const record of org.store.table(type.name).records.values()) {
      if (!live(record)) continue;
      const cleared: SfRecord = {};
      for (const f of lookups) if (record[f.name] === personId) cleared[f.name] = null;
      if (Object.keys(cleared).length) org.store.update(record.Id as string, cleared, actorId, at);
    }
  }
}

/**
 * Merges contacts as Salesforce's merge does: the losers' roles and custom-object lookups move to
 * the master (each moved row is saved, so its SystemModstamp moves), then the losers are deleted
 * with MasterRecordId set (queryAll shows them so; the deleted/ feed lists them).
 */
export function mergeContacts(
  org: SalesforceOrg,
  master: string,
  losers: string[],
  actorId: string,
  at: number,
) {
  for (const loser of losers) {
    for (const role of rolesOf(org, 'ContactId', loser)) {
      const duplicate = rolesOf(org, 'OpportunityId', role.OpportunityId).some((r) => r.ContactId === master);
      if (duplicate) deleteRoleDirectly(org, role.Id as string, actorId, at);
      else org.store.update(role.Id as string, { ContactId: master }, actorId, at);
    }
    for (const type of org.store.schema.all()) {
      if (!type.def.custom) continue;
      const lookups = type.fields.filter((f) => f.type === 'reference' && f.referenceTo?.includes('Contact'));
      for (const record of org.store.table(type.name).records.values()) {
        const moved: SfRecord = {};
        for (const f of lookups) if (record[f.name] === loser && live(record)) moved[f.name] = master;
        if (Object.keys(moved).length) org.store.update(record.Id as string, moved, actorId, at);
      }
    }
    org.store.update(loser, { MasterRecordId: master }, actorId, at);
    org.store.softDelete(loser, actorId, at);
  }
}
