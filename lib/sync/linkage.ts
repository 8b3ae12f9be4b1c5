// How a Marketo person points at its Salesforce lead/contact (api-facts B10): the sfdcLeadId /
// sfdcContactId / sfdcAccountId / sfdcType fields. In instances with Marketo's native CRM sync
// those are CRM-managed and read-only over REST, so an integration keeps the ids in custom string
// fields instead (custom string fields are valid lookup fields). Which set is used is decided from
// Marketo's describe at run time: the standard fields when writable, else the custom mirrors.
import type { SchemaRow } from '../db/types';

export interface LinkFields {
  lead: string;
  contact: string;
  account: string;
  type: string;
}

export const STANDARD_LINKS: LinkFields = {
  lead: 'sfdcLeadId',
  contact: 'sfdcContactId',
  account: 'sfdcAccountId',
  type: 'sfdcType',
};

export const CUSTOM_LINKS: LinkFields = {
  lead: 'sfdcLeadIdCustom',
  contact: 'sfdcContactIdCustom',
  account: 'sfdcAccountIdCustom',
  type: 'sfdcTypeCustom',
};

export class LinkageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LinkageError';
  }
}

/** `preferred` (from the engine's options) wins; otherwise the first writable set. */
export function resolveLinkFields(marketo: SchemaRow, preferred?: LinkFields): LinkFields {
  const fields = new Map(marketo.fields.map((f) => [f.name, f]));
  const writable = (set: LinkFields) =>
    Object.values(set).every((name) => fields.get(name)?.updateable === true);
  for (const candidate of [preferred, STANDARD_LINKS, CUSTOM_LINKS]) {
    if (candidate && writable(candidate)) return candidate;
  }
  throw new LinkageError(
    'Marketo has no writable Salesforce link fields: sfdcLeadId/sfdcContactId/sfdcAccountId/sfdcType are ' +
      'CRM-managed and no custom string fields sfdcLeadIdCustom/sfdcContactIdCustom/sfdcAccountIdCustom/' +
      'sfdcTypeCustom exist. Create those custom fields in Marketo.',
  );
}

/** The link field that identifies a person of this Salesforce object. */
export function ownLink(links: LinkFields, sobject: string): string {
  return sobject === 'Contact' ? links.contact : links.lead;
}

/** Link values of a person linked to a Salesforce lead or contact. */
export function linkValues(
  links: LinkFields,
  sobject: 'Lead' | 'Contact',
  sfId: string,
  accountId?: string | null,
): Record<string, unknown> {
  return {
    [ownLink(links, sobject)]: sfId,
    [links.type]: sobject,
    ...(sobject === 'Contact' ? { [links.account]: accountId ?? null } : {}),
  };
}

/** The Salesforce record a Marketo person is linked to, read from its link fields. */
export function linkedRecord(
  links: LinkFields,
  person: Record<string, unknown>,
): { sobject: 'Lead' | 'Contact'; sfId: string } | undefined {
  const contactId = person[links.contact];
  if (typeof contactId === 'string' && contactId) return { sobject: 'Contact', sfId: contactId };
  const leadId = person[links.lead];
  if (typeof leadId === 'string' && leadId) return { sobject: 'Lead', sfId: leadId };
  return undefined;
}
