// Lead and Contact: the two person objects the sync moves. Both carry the fields the product
// must cope with: a formula field, a field hidden from the sync user (FLS), a field the sync
// user may read but not edit, the "Do Not Sync to Marketo" filter checkbox, a restricted
// picklist, a unique external id, and a validation rule on the state field.
import { bool, field, formula, lookup, picklist, systemFields, text } from './fields';
import type { FieldDef, ObjectDef, SfRecord, ValidationRule } from './types';

export const LEAD_STATUSES = [
  'Open - Not Contacted',
  'Working - Contacted',
  'Closed - Converted',
  'Closed - Not Converted',
];
export const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
const SALUTATIONS = ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.'];
export const PRODUCT_INTERESTS = ['Analytics', 'Automation', 'Integration', 'Support'];
const readOnly = { createable: false, updateable: false };

const fullName = (r: SfRecord): string =>
  [r.Salutation, r.FirstName, r.LastName].filter((v) => typeof v === 'string' && v !== '').join(' ');

const emailDomain = (r: SfRecord) =>
  typeof r.Email === 'string' && r.Email.includes('@') ? r.Email.split('@')[1]! : null;

/** Custom fields shared by Lead and Contact. */
function personCustomFields(): FieldDef[] {
  return [
    // The field Marketo's managed package adds to Lead and Contact (namespace mkto71).
    field('mkto71_Lead_Score__c', 'double', { precision: 18, scale: 0, label: 'Lead Score' }),
    bool('Do_Not_Sync_to_Marketo__c', { label: 'Do Not Sync to Marketo' }),
    formula(
      'Email_Domain__c',
      'string',
      "IF(CONTAINS(Email, '@'), MID(Email, FIND('@', Email) + 1, 255), NULL)",
      emailDomain,
    ),
    text('Internal_Notes__c', 255, { label: 'Internal Notes' }),
    text('Territory__c', 80, { label: 'Territory' }),
    picklist('Product_Interest__c', PRODUCT_INTERESTS, {
      restrictedPicklist: true,
      label: 'Product Interest',
    }),
    text('External_Id__c', 50, { unique: true, externalId: true, label: 'External ID' }),
  ];
}

/** Fields the default sync user's profile cannot read, and can read but not edit. */
export const PERSON_HIDDEN_FIELDS = ['Internal_Notes__c'];
export const PERSON_READ_ONLY_FIELDS = ['Territory__c'];

/** Two-letter codes ("CA") are rejected: the org wants full state names ("California"). */
function stateRule(fieldName: string): ValidationRule {
  return {
    name: `Full_State_Name_${fieldName}`,
    field: fieldName,
    message: 'Use the full state name (for example California), not a two-letter code.',
    fails: (r) => typeof r[fieldName] === 'string' && /^[A-Za-z]{2}$/.test(r[fieldName] as string),
  };
}

export const Lead: ObjectDef = {
  name: 'Lead',
  label: 'Lead',
  labelPlural: 'Leads',
  keyPrefix: '00Q',
  fields: [
    ...systemFields({ owner: true }),
    lookup('MasterRecordId', ['Lead'], 'MasterRecord', readOnly),
    picklist('Salutation', SALUTATIONS),
    text('FirstName', 40),
    text('LastName', 80, { nillable: false, required: true }),
    text('Name', 121, { ...readOnly, nameField: true, label: 'Full Name', derive: fullName }),
    text('Title', 128),
    text('Company', 255, { nillable: false, required: true }),
    field('Email', 'email', { length: 80 }),
    field('Phone', 'phone', { length: 40 }),
    field('MobilePhone', 'phone', { length: 40 }),
    field('Street', 'textarea', { length: 255 }),
    text('City', 40),
    text('State', 80, { label: 'State/Province' }),
    text('PostalCode', 20),
    text('Country', 80),
    field('Website', 'url', { length: 255 }),
    picklist('Industry', ['Technology', 'Finance', 'Healthcare', 'Manufacturing', 'Retail', 'Education']),
    picklist('LeadSource', LEAD_SOURCES),
    picklist('Status', LEAD_STATUSES, { nillable: false, defaultValue: 'Open - Not Contacted' }),
    picklist('Rating', ['Hot', 'Warm', 'Cold']),
    field('NumberOfEmployees', 'int', { precision: 8 }),
    field('AnnualRevenue', 'currency', { precision: 18, scale: 0 }),
    field('Description', 'textarea', { length: 32000 }),
    bool('HasOptedOutOfEmail', { label: 'Email Opt Out' }),
    bool('IsConverted', { ...readOnly, label: 'Converted' }),
    field('ConvertedDate', 'date', readOnly),
    lookup('ConvertedAccountId', ['Account'], 'ConvertedAccount', readOnly),
    lookup('ConvertedContactId', ['Contact'], 'ConvertedContact', readOnly),
    lookup('ConvertedOpportunityId', ['Opportunity'], 'ConvertedOpportunity', readOnly),
    field('LastActivityDate', 'date', readOnly),
    ...personCustomFields(),
  ],
  validationRules: [stateRule('State')],
};

export const Contact: ObjectDef = {
  name: 'Contact',
  label: 'Contact',
  labelPlural: 'Contacts',
  keyPrefix: '003',
  fields: [
    ...systemFields({ owner: true }),
    lookup('MasterRecordId', ['Contact'], 'MasterRecord', readOnly),
    lookup('AccountId', ['Account'], 'Account'),
    picklist('Salutation', SALUTATIONS),
    text('FirstName', 40),
    text('LastName', 80, { nillable: false, required: true }),
    text('Name', 121, { ...readOnly, nameField: true, label: 'Full Name', derive: fullName }),
    text('Title', 128),
    text('Department', 80),
    field('Email', 'email', { length: 80 }),
    field('Phone', 'phone', { length: 40 }),
    field('MobilePhone', 'phone', { length: 40 }),
    field('MailingStreet', 'textarea', { length: 255 }),
    text('MailingCity', 40),
    text('MailingState', 80, { label: 'Mailing State/Province' }),
    text('MailingPostalCode', 20),
    text('MailingCountry', 80),
    picklist('LeadSource', LEAD_SOURCES),
    field('Birthdate', 'date'),
    lookup('ReportsToId', ['Contact'], 'ReportsTo'),
    field('Description', 'textarea', { length: 32000 }),
    bool('HasOptedOutOfEmail', { label: 'Email Opt Out' }),
    field('LastActivityDate', 'date', readOnly),
    ...personCustomFields(),
  ],
  validationRules: [stateRule('MailingState')],
};
