// Campaign, CampaignMember and CampaignMemberStatus rules (api-facts-objects E1, E4 items 3–5),
// applied by the DML path (dml.ts) to API writes and control-API edits alike:
// - a new Campaign gets "Sent" (default) and "Responded" (responded) statuses;
// - a campaign always has exactly one default status and at least one responded status; labels
//   and SortOrders are unique per campaign; the default and a status members use cannot be deleted;
// - one member per (CampaignId, LeadId) or (CampaignId, ContactId): a second create answers
//   DUPLICATE_VALUE "Already a campaign member." (since API v16 create only inserts);
// - both LeadId and ContactId on one create keeps only ContactId;
// - an omitted Status takes the campaign's default; a Status that is not one of the campaign's
//   labels is refused (the error is our choice: Salesforce's wording is unconfirmed, E1/Unconfirmed 1);
// - HasResponded follows the Status through CampaignMemberStatus.HasResponded, and
//   FirstRespondedDate is set once, the first time a member reaches a responded status;
// - deleting a Campaign deletes its members and statuses (they cannot exist without it), and
//   deleting a Lead or Contact deletes its memberships.
import { DmlError } from './dml';
import type { SalesforceOrg } from './org';
import type { SfRecord } from './schema/types';

const live = (row: SfRecord) => row.IsDeleted !== true;

export function statusesOf(org: SalesforceOrg, campaignId: unknown): SfRecord[] {
  const rows: SfRecord[] = [];
  for (const row of org.store.table('CampaignMemberStatus').records.values())
    if (row.CampaignId === campaignId && live(row)) rows.push(row);
  return rows.sort((a, b) => Number(a.SortOrder ?? 0) - Number(b.SortOrder ?? 0));
}

export function membersOf(org: SalesforceOrg, campaignId: unknown): SfRecord[] {
  const rows: SfRecord[] = [];
  for (const row of org.store.table('CampaignMember').records.values())
    if (row.CampaignId === campaignId && live(row)) rows.push(row);
  return rows;
}

function dateOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** Fills a CampaignMember's derived fields from its Status (HasResponded, FirstRespondedDate). */
function deriveResponse(org: SalesforceOrg, merged: SfRecord, values: SfRecord, at: number) {
  const statuses = statusesOf(org, merged.CampaignId);
  const status = statuses.find((s) => s.Label === merged.Status);
  if (!status) {
    throw new DmlError(
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      `Status: bad value for restricted picklist field: ${String(merged.Status)}`,
      ['Status'],
    );
  }
  values.HasResponded = status.HasResponded === true;
  if (status.HasResponded === true && !merged.FirstRespondedDate) values.FirstRespondedDate = dateOf(at);
}

/** Checks and completes a record about to be inserted (values are changed in place). */
export function beforeInsert(org: SalesforceOrg, objectName: string, values: SfRecord, at: number): void {
  if (objectName === 'CampaignMember') {
    if (values.ContactId) values.LeadId = null;
    const person = values.ContactId ? 'ContactId' : 'LeadId';
    if (!values[person]) {
      throw new DmlError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [LeadId, ContactId]', [
        'LeadId',
        'ContactId',
      ]);
    }
    const taken = membersOf(org, values.CampaignId).some((m) => m[person] === values[person]);
    if (taken) throw new DmlError('DUPLICATE_VALUE', 'Already a campaign member.', []);
    if (!values.Status) {
      const fallback = statusesOf(org, values.CampaignId).find((s) => s.IsDefault === true);
      values.Status = (fallback?.Label as string | undefined) ?? null;
    }
    deriveResponse(org, values, values, at);
  } else if (objectName === 'CampaignMemberStatus') {
    const siblings = statusesOf(org, values.CampaignId);
    checkStatusUnique(siblings, values);
    if (values.SortOrder === null || values.SortOrder === undefined)
      values.SortOrder = Math.max(0, ...siblings.map((s) => Number(s.SortOrder ?? 0))) + 1;
    if (siblings.length === 0) values.IsDefault = true;
  }
}

function checkStatusUnique(siblings: SfRecord[], values: SfRecord, selfId?: unknown) {
  const others = siblings.filter((s) => s.Id !== selfId);
  if (typeof values.Label === 'string' && others.some((s) => s.Label === values.Label))
    throw new DmlError('DUPLICATE_VALUE', `duplicate value found: Label duplicates value ${values.Label}`, [
      'Label',
    ]);
  if (
    values.SortOrder !== undefined &&
    values.SortOrder !== null &&
    others.some((s) => s.SortOrder === values.SortOrder)
  )
    throw new DmlError(
      'DUPLICATE_VALUE',
      `duplicate value found: SortOrder duplicates value ${values.SortOrder}`,
      ['SortOrder'],
    );
}

/** After an insert: a new campaign gets its two standard statuses; a new default clears the old one. */
export function afterInsert(
  org: SalesforceOrg,
  objectName: string,
  row: SfRecord,
  actorId: string,
  at: number,
) {
  if (objectName === 'Campaign') {
    org.store.insert(
      'CampaignMemberStatus',
      { CampaignId: row.Id, Label: 'Sent', SortOrder: 1, IsDefault: true, HasResponded: false },
      actorId,
      at,
    );
    org.store.insert(
      'CampaignMemberStatus',
      { CampaignId: row.Id, Label: 'Responded', SortOrder: 2, IsDefault: false, HasResponded: true },
      actorId,
      at,
    );
  } else if (objectName === 'CampaignMemberStatus' && row.IsDefault === true) {
    clearOtherDefaults(org, row, actorId, at);
  }
}

function clearOtherDefaults(org: SalesforceOrg, row: SfRecord, actorId: string, at: number) {
  for (const other of statusesOf(org, row.CampaignId))
    if (other.Id !== row.Id && other.IsDefault === true)
      org.store.update(other.Id as string, { IsDefault: false }, actorId, at);
}

/** Checks an update (values are the changed fields; completed in place). */
export function beforeUpdate(
  org: SalesforceOrg,
  objectName: string,
  existing: SfRecord,
  values: SfRecord,
  at: number,
): void {
  if (objectName === 'CampaignMember' && 'Status' in values) {
    if (!values.Status) {
      throw new DmlError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [Status]', ['Status']);
    }
    deriveResponse(org, { ...existing, ...values }, values, at);
  } else if (objectName === 'CampaignMemberStatus') {
    const siblings = statusesOf(org, existing.CampaignId);
    checkStatusUnique(siblings, values, existing.Id);
    if (existing.IsDefault === true && values.IsDefault === false)
      throw new DmlError(
        'FIELD_INTEGRITY_EXCEPTION',
        'A campaign must have a default member status: make another status the default instead',
        ['IsDefault'],
      );
    const responded = siblings.filter((s) => s.HasResponded === true && s.Id !== existing.Id);
    if (existing.HasResponded === true && values.HasResponded === false && responded.length === 0)
      throw new DmlError('FIELD_INTEGRITY_EXCEPTION', 'A campaign must have at least one responded status', [
        'HasResponded',
      ]);
    if (typeof values.Label === 'string' && values.Label !== existing.Label && inUse(org, existing))
      throw new DmlError('FIELD_INTEGRITY_EXCEPTION', 'Members use this status: its label cannot change', [
        'Label',
      ]);
  }
}

export function afterUpdate(
  org: SalesforceOrg,
  objectName: string,
  row: SfRecord,
  actorId: string,
  at: number,
) {
  if (objectName === 'CampaignMemberStatus' && row.IsDefault === true)
    clearOtherDefaults(org, row, actorId, at);
}

function inUse(org: SalesforceOrg, status: SfRecord): boolean {
  return membersOf(org, status.CampaignId).some((m) => m.Status === status.Label);
}

/** Refuses deletes the rules forbid; a campaign takes its members and statuses with it. */
export function beforeDelete(org: SalesforceOrg, row: SfRecord, objectName: string): void {
  if (objectName !== 'CampaignMemberStatus') return;
  if (row.IsDefault === true)
    throw new DmlError('DELETE_FAILED', 'The default member status of a campaign cannot be deleted', []);
  if (inUse(org, row))
    throw new DmlError('DELETE_FAILED', 'Campaign members have this status: it cannot be deleted', []);
}

export function afterDelete(
  org: SalesforceOrg,
  row: SfRecord,
  objectName: string,
  actorId: string,
  at: number,
) {
  if (objectName === 'Lead' || objectName === 'Contact') {
    // A deleted lead or contact leaves its campaigns: its member rows are deleted with it.
    const field = objectName === 'Lead' ? 'LeadId' : 'ContactId';
    for (const member of org.store.table('CampaignMember').records.values())
      if (member[field] === row.Id && live(member)) org.store.softDelete(member.Id as string, actorId, at);
    return;
  }
  if (objectName !== 'Campaign') return;
  for (const member of membersOf(org, row.Id)) org.store.softDelete(member.Id as string, actorId, at);
  for (const status of statusesOf(org, row.Id)) org.store.softDelete(status.Id as string, actorId, at);
}
