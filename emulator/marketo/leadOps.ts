// Person mutations shared by the REST routes and the control API. Every mutation writes the
// activities Marketo would (api-facts C4): 12 New Lead, 13 Change Data Value per changed field
// (with Reason/Source), 37 Delete Lead, 32 Merge Leads.
import { ACTIVITY } from './activityTypes';
import { FIELD_BY_NAME } from './fields';
import type { Lead, LeadValue } from './leadStore';
import type { MarketoStore } from './store';

export interface ChangeOrigin {
  reason: string;
  source: string;
  /** "Source Type" of the New Lead activity. */
  sourceType: string;
}

export const API_ORIGIN: ChangeOrigin = {
  reason: 'Web service API',
  source: 'Web service API',
  sourceType: 'Web service API',
};

export const USER_ORIGIN: ChangeOrigin = {
  reason: 'Manual update',
  source: 'Person Detail Page',
  sourceType: 'New person',
};

export function fullName(lead: Lead): string {
  return [lead.values.firstName, lead.values.lastName].filter((v) => v !== null && v !== undefined).join(' ');
}

export function createLead(
  store: MarketoStore,
  values: Record<string, LeadValue>,
  origin: ChangeOrigin,
): Lead {
  const now = store.now();
  const clean: Record<string, LeadValue> = {};
  for (const [name, value] of Object.entries(values))
    if (value !== null && value !== undefined) clean[name] = value;
  const lead: Lead = { id: store.leads.allocateId(), createdAt: now, updatedAt: now, values: clean };
  store.leads.insert(lead);
  store.activities.append({
    leadId: lead.id,
    date: now,
    typeId: ACTIVITY.newLead,
    attributes: [
      { name: 'Source Type', value: origin.sourceType },
      ...(clean.sfdcType ? [{ name: 'SFDC Type', value: clean.sfdcType }] : []),
    ],
  });
  return lead;
}

/** Applies changes; returns the names of the fields whose value actually changed. */
export function updateLead(
  store: MarketoStore,
  lead: Lead,
  changes: Record<string, LeadValue>,
  origin: ChangeOrigin,
): string[] {
  const now = store.now();
  const changed: string[] = [];
  for (const [name, raw] of Object.entries(changes)) {
    const value = raw === undefined || raw === '' ? null : raw;
    const old = lead.values[name] ?? null;
    if (old === value) continue;
    store.leads.reindex(lead, name, old, value);
    if (value === null) delete lead.values[name];
    else lead.values[name] = value;
    changed.push(name);
    const field = FIELD_BY_NAME.get(name);
    store.activities.append({
      leadId: lead.id,
      date: now,
      typeId: ACTIVITY.changeDataValue,
      primaryAttributeValueId: field?.id ?? 0,
      primaryAttributeValue: field?.displayName ?? name,
      attributes: [
        { name: 'New Value', value },
        { name: 'Old Value', value: old },
        { name: 'Reason', value: origin.reason },
        { name: 'Source', value: origin.source },
      ],
      fields: [{ id: field?.id ?? 0, name, newValue: value, oldValue: old }],
    });
  }
  if (changed.length > 0) lead.updatedAt = now;
  return changed;
}

export function deleteLead(store: MarketoStore, id: number): boolean {
  const lead = store.leads.remove(id);
  if (!lead) return false;
  store.programs.removeLead(id);
  store.customObjects.removeLead(id);
  store.crm.removeLead(id);
  store.activities.append({
    leadId: id,
    date: store.now(),
    typeId: ACTIVITY.deleteLead,
    primaryAttributeValueId: id,
    primaryAttributeValue: fullName(lead),
    attributes: [],
  });
  return true;
}

const SFDC_LINK_FIELDS = [
  'sfdcType',
  'sfdcId',
  'sfdcLeadId',
  'sfdcContactId',
  'sfdcAccountId',
  'sfdcLeadOwnerId',
];

/**
 * Merges losers into the winner: the winner keeps its values unless they are empty; a CRM
 * Contact's linkage beats a Lead's (api-facts B5). Losers are removed.
 */
export function mergeLeads(
  store: MarketoStore,
  winner: Lead,
  losers: Lead[],
  origin: ChangeOrigin,
  mergeInCRM = false,
): void {
  const fills: Record<string, LeadValue> = {};
  for (const loser of losers) {
    const loserIsContact = loser.values.sfdcType === 'Contact' && winner.values.sfdcType !== 'Contact';
    for (const [name, value] of Object.entries(loser.values)) {
      if (value === null) continue;
      const empty = (winner.values[name] ?? null) === null && !(name in fills);
      if (empty || (loserIsContact && SFDC_LINK_FIELDS.includes(name))) fills[name] = value;
    }
  }
  for (const loser of losers) {
    store.leads.remove(loser.id);
    store.programs.mergeLead(winner.id, loser.id);
    store.crm.mergeLead(winner.id, loser.id, store.now());
    store.customObjects.mergeLead(winner.id, loser.id);
  }
  const changed = updateLead(store, winner, fills, { ...origin, reason: 'Merge Leads' });
  store.activities.append({
    leadId: winner.id,
    date: store.now(),
    typeId: ACTIVITY.mergeLeads,
    primaryAttributeValueId: winner.id,
    primaryAttributeValue: fullName(winner),
    attributes: [
      { name: 'Master Updated', value: changed.length > 0 },
      { name: 'Merge IDs', value: [winner.id, ...losers.map((l) => l.id)].join(',') },
      { name: 'Merge Source', value: origin.source },
      { name: 'Merged in Sales', value: mergeInCRM },
    ],
  });
  if (store.settings.mergeWritesDeleteActivity) {
    for (const loser of losers) {
      store.activities.append({
        leadId: loser.id,
        date: store.now(),
        typeId: ACTIVITY.deleteLead,
        primaryAttributeValueId: loser.id,
        primaryAttributeValue: fullName(loser),
        attributes: [],
      });
    }
  }
}
