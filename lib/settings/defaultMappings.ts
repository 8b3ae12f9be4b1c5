// Default field mappings, Salesforce API name ↔ Marketo REST field name (the names Marketo's
// describe.json returns, see emulator/marketo/fields.ts). They follow what Marketo's native sync
// maps out of the box, trimmed to fields an admin would expect to see: "sync only fields in use".

export type Direction = 'pull' | 'push' | 'both' | 'none';

export interface FieldMapping {
  salesforceField: string;
  marketoField: string;
  /** pull = Salesforce → Marketo, push = Marketo → Salesforce. */
  direction: Direction;
}

const map = (salesforceField: string, marketoField: string, direction: Direction): FieldMapping => ({
  salesforceField,
  marketoField,
  direction,
});

const PERSON_FIELDS: FieldMapping[] = [
  map('FirstName', 'firstName', 'both'),
  map('LastName', 'lastName', 'both'),
  map('Email', 'email', 'both'),
  map('Title', 'title', 'both'),
  map('Phone', 'phone', 'both'),
  map('MobilePhone', 'mobilePhone', 'both'),
  map('LeadSource', 'leadSource', 'both'),
  // The score lives in Marketo; the field is the one Marketo's managed package adds to Salesforce.
  map('mkto71_Lead_Score__c', 'leadScore', 'push'),
];

export const DEFAULT_LEAD_FIELDS: FieldMapping[] = [
  ...PERSON_FIELDS,
  map('Company', 'company', 'both'),
  map('Street', 'address', 'both'),
  map('City', 'city', 'both'),
  map('State', 'state', 'both'),
  map('PostalCode', 'postalCode', 'both'),
  map('Country', 'country', 'both'),
  map('Website', 'website', 'both'),
  map('Industry', 'industry', 'both'),
  map('NumberOfEmployees', 'numberOfEmployees', 'both'),
  map('AnnualRevenue', 'annualRevenue', 'both'),
  map('Status', 'leadStatus', 'pull'),
  map('Rating', 'rating', 'pull'),
];

export const DEFAULT_CONTACT_FIELDS: FieldMapping[] = [
  ...PERSON_FIELDS,
  map('MailingStreet', 'address', 'both'),
  map('MailingCity', 'city', 'both'),
  map('MailingState', 'state', 'both'),
  map('MailingPostalCode', 'postalCode', 'both'),
  map('MailingCountry', 'country', 'both'),
];

// A contact's company fields come from its account. Marketo treats them as read-only on persons
// linked to an account, so accounts only flow Salesforce → Marketo.
export const DEFAULT_ACCOUNT_FIELDS: FieldMapping[] = [
  map('Name', 'company', 'pull'),
  map('Website', 'website', 'pull'),
  map('Industry', 'industry', 'pull'),
  map('AnnualRevenue', 'annualRevenue', 'pull'),
  map('NumberOfEmployees', 'numberOfEmployees', 'pull'),
  map('Phone', 'mainPhone', 'pull'),
  map('Sic', 'sicCode', 'pull'),
  map('BillingStreet', 'billingStreet', 'pull'),
  map('BillingCity', 'billingCity', 'pull'),
  map('BillingState', 'billingState', 'pull'),
  map('BillingPostalCode', 'billingPostalCode', 'pull'),
  map('BillingCountry', 'billingCountry', 'pull'),
];
