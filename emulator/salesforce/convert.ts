// Lead conversion (api-facts A11). REST has no convertLead resource, so this is the control
// API's hook: it creates (or reuses) the Account and Contact, optionally an Opportunity, moves
// campaign memberships to the contact and sets IsConverted, ConvertedDate (a date) and the
// Converted*Id fields. Whether the lead's SystemModstamp moves is configurable (part D.1).
import { moveActivitiesOnConvert } from './activityRules';
import type { SalesforceOrg } from './org';
import type { SfRecord } from './schema/types';

export interface ConvertLeadInput {
  leadId: string;
  accountId?: string;
  contactId?: string;
  createOpportunity?: boolean;
  opportunityName?: string;
  convertedStatus?: string;
}

export interface ConvertLeadResult {
  leadId: string;
  accountId: string;
  contactId: string;
  opportunityId: string | null;
}

const COPY_TO_CONTACT: [string, string][] = [
  ['Salutation', 'Salutation'],
  ['FirstName', 'FirstName'],
  ['LastName', 'LastName'],
  ['Title', 'Title'],
  ['Email', 'Email'],
  ['Phone', 'Phone'],
  ['City', 'MailingCity'],
  ['State', 'MailingState'],
  ['PostalCode', 'MailingPostalCode'],
  ['Country', 'MailingCountry'],
  ['LeadSource', 'LeadSource'],
  ['Description', 'Description'],
  ['HasOptedOutOfEmail', 'HasOptedOutOfEmail'],
  ['mkto71_Lead_Score__c', 'mkto71_Lead_Score__c'],
  ['Do_Not_Sync_to_Marketo__c', 'Do_Not_Sync_to_Marketo__c'],
  ['Product_Interest__c', 'Product_Interest__c'],
  ['Internal_Notes__c', 'Internal_Notes__c'],
  ['Territory__c', 'Territory__c'],
];

function pick(row: SfRecord, pairs: [string, string][]): SfRecord {
  const out: SfRecord = {};
  for (const [from, to] of pairs) if (row[from] !== null && row[from] !== undefined) out[to] = row[from]!;
  return out;
}

export function convertLead(
  org: SalesforceOrg,
  input: ConvertLeadInput,
  actorId: string,
  at = org.store.now(),
): ConvertLeadResult {
  const { store } = org;
  const lead = store.get(input.leadId);
  if (!lead || !String(lead.Id).startsWith('00Q') || lead.IsDeleted)
    throw new Error(`No live lead ${input.leadId}`);
  if (lead.IsConverted) throw new Error(`Lead ${input.leadId} is already converted`);
  return store.transaction(() => {
    const accountId =
      input.accountId ??
      (store.insert(
        'Account',
        {
          Name: lead.Company,
          BillingCity: lead.City,
          BillingState: lead.State,
          BillingCountry: lead.Country,
          Industry: lead.Industry,
          Website: lead.Website,
          Phone: lead.Phone,
          NumberOfEmployees: lead.NumberOfEmployees,
          AnnualRevenue: lead.AnnualRevenue,
          OwnerId: lead.OwnerId,
        },
        actorId,
        at,
      ).Id as string);
    const contactId =
      input.contactId ??
      (store.insert(
        'Contact',
        { ...pick(lead, COPY_TO_CONTACT), AccountId: accountId, OwnerId: lead.OwnerId },
        actorId,
        at,
      ).Id as string);
    const opportunityId = input.createOpportunity
      ? (store.insert(
          'Opportunity',
          {
            Name: input.opportunityName ?? `${lead.Company}-`,
            AccountId: accountId,
            StageName: 'Prospecting',
            CloseDate: new Date(at + 30 * 86_400_000).toISOString().slice(0, 10),
            LeadSource: lead.LeadSource,
            OwnerId: lead.OwnerId,
          },
          actorId,
          at,
        ).Id as string)
      : null;
    // Salesforce gives the new opportunity the contact as its primary contact role.
    if (opportunityId)
      store.insert(
        'OpportunityContactRole',
        { OpportunityId: opportunityId, ContactId: contactId, IsPrimary: true },
        actorId,
        at,
      );
    for (const member of store.table('CampaignMember').records.values()) {
      if (member.LeadId === lead.Id && !member.IsDeleted && !member.ContactId) {
        store.update(member.Id as string, { ContactId: contactId }, actorId, at);
      }
    }
    moveActivitiesOnConvert(org, lead.Id as string, contactId, actorId, at);
    store.update(
      lead.Id as string,
      {
        IsConverted: true,
        ConvertedDate: new Date(at).toISOString().slice(0, 10),
        ConvertedAccountId: accountId,
        ConvertedContactId: contactId,
        ConvertedOpportunityId: opportunityId,
        Status: input.convertedStatus ?? 'Closed - Converted',
      },
      actorId,
      at,
      org.options.conversionBumpsModstamp,
    );
    return { commit: true, value: { leadId: lead.Id as string, accountId, contactId, opportunityId } };
  });
}
