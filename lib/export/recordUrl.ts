import type { ObjectType } from '../db/types';

// Links to a record in Salesforce Lightning: `{instanceUrl}/lightning/r/{Object}/{Id}/view`.
// The log stores the seed's object types ("Person", "Opportunity Contact Role"), not API names, so
// the API name comes from the id's key prefix first (a "Person" is a Lead (00Q) or a Contact (003)),
// then from the object type. A custom object's API name is not in the log: no link for it.

/** Key prefixes (the first three characters of an id) of the standard objects the sync handles. */
const KEY_PREFIXES: Record<string, string> = {
  '001': 'Account',
  '003': 'Contact',
  '005': 'User',
  '006': 'Opportunity',
  '00Q': 'Lead',
  '00T': 'Task',
  '00U': 'Event',
  '00X': 'EmailTemplate',
  '00k': 'OpportunityContactRole',
  '00v': 'CampaignMember',
  '701': 'Campaign',
};

const API_NAMES: Partial<Record<ObjectType, string>> = {
  Account: 'Account',
  Campaign: 'Campaign',
  'Campaign Member': 'CampaignMember',
  Contact: 'Contact',
  'Email Template': 'EmailTemplate',
  Event: 'Event',
  Opportunity: 'Opportunity',
  'Opportunity Contact Role': 'OpportunityContactRole',
  Task: 'Task',
  User: 'User',
};

/** The Salesforce API name of a logged record, or undefined when the log cannot tell. */
export function salesforceObjectOf(objectType: ObjectType, sfId: string): string | undefined {
  return KEY_PREFIXES[sfId.slice(0, 3)] ?? API_NAMES[objectType];
}

/**
 * The record's Lightning URL, or undefined without an instance URL (not connected yet) or when the
 * object's API name is unknown; the UI then shows the bare id.
 */
export function recordUrl(
  instanceUrl: string | undefined,
  objectType: ObjectType,
  sfId: string,
): string | undefined {
  const object = salesforceObjectOf(objectType, sfId);
  if (!instanceUrl || !object || !/^[A-Za-z0-9]{15,18}$/.test(sfId)) return undefined;
  return `${instanceUrl.replace(/\/+$/, '')}/lightning/r/${object}/${sfId}/view`;
}
