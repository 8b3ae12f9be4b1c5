// The lead field catalogue served by describe.json, describe2.json and schema/fields (api-facts
// B5, B10, B11). SFDC linkage fields are system-managed in instances with native CRM sync; the
// emulator makes that a switch (crmManaged) because writability without native sync is unconfirmed.

export type LeadDataType =
  | 'integer'
  | 'string'
  | 'email'
  | 'text'
  | 'boolean'
  | 'datetime'
  | 'date'
  | 'float'
  | 'currency'
  | 'score'
  | 'phone'
  | 'url'
  | 'reference'
  | 'formula';

export interface LeadField {
  id: number;
  name: string;
  displayName: string;
  dataType: LeadDataType;
  length?: number;
  /** Never writable through the API (system fields). */
  system?: boolean;
  /** An SFDC linkage field: read-only when the instance is CRM-managed. */
  sfdc?: boolean;
  custom?: boolean;
}

type Row = [name: string, displayName: string, dataType: LeadDataType, extra?: Partial<LeadField>];

const ROWS: Row[] = [
  ['id', 'Id', 'integer', { system: true }],
  ['company', 'Company Name', 'string'],
  ['site', 'Site', 'string'],
  ['billingStreet', 'Billing Address', 'text'],
  ['billingCity', 'Billing City', 'string'],
  ['billingState', 'Billing State', 'string'],
  ['billingCountry', 'Billing Country', 'string'],
  ['billingPostalCode', 'Billing Postal Code', 'string'],
  ['website', 'Website', 'url'],
  ['mainPhone', 'Main Phone', 'phone'],
  ['annualRevenue', 'Annual Revenue', 'currency'],
  ['numberOfEmployees', 'Num Employees', 'integer'],
  ['industry', 'Industry', 'string'],
  ['sicCode', 'SIC Code', 'string'],
  ['externalCompanyId', 'External Company Id', 'string'],
  ['salutation', 'Salutation', 'string'],
  ['firstName', 'First Name', 'string'],
  ['middleName', 'Middle Name', 'string'],
  ['lastName', 'Last Name', 'string'],
  ['email', 'Email Address', 'email'],
  ['phone', 'Phone Number', 'phone'],
  ['mobilePhone', 'Mobile Phone Number', 'phone'],
  ['fax', 'Fax Number', 'phone'],
  ['title', 'Job Title', 'string'],
  ['contactCompany', 'Contact Company', 'reference', { system: true }],
  ['dateOfBirth', 'Date of Birth', 'date'],
  ['address', 'Address', 'text'],
  ['city', 'City', 'string'],
  ['state', 'State', 'string'],
  ['country', 'Country', 'string'],
  ['postalCode', 'Postal Code', 'string'],
  ['personTimeZone', 'Person Time Zone', 'string', { system: true }],
  ['originalSourceType', 'Original Source Type', 'string', { system: true }],
  ['originalSourceInfo', 'Original Source Info', 'string', { system: true }],
  ['registrationSourceType', 'Registration Source Type', 'string'],
  ['registrationSourceInfo', 'Registration Source Info', 'string'],
  ['emailInvalid', 'Email Invalid', 'boolean'],
  ['emailInvalidCause', 'Email Invalid Cause', 'string'],
  ['unsubscribed', 'Unsubscribed', 'boolean'],
  ['unsubscribedReason', 'Unsubscribed Reason', 'text'],
  ['doNotCall', 'Do Not Call', 'boolean'],
  ['doNotCallReason', 'Do Not Call Reason', 'string'],
  ['leadStatus', 'Lead Status', 'string'],
  ['leadSource', 'Lead Source', 'string'],
  ['leadRole', 'Role', 'string'],
  ['leadScore', 'Lead Score', 'integer'],
  ['urgency', 'Urgency', 'float'],
  ['priority', 'Priority', 'integer'],
  ['relativeScore', 'Relative Score', 'integer'],
  ['rating', 'Lead Rating', 'string'],
  ['leadPartitionId', 'Lead Partition Id', 'integer', { system: true }],
  ['acquisitionProgramId', 'Acquisition Program Id', 'string'],
  ['mktoAcquisitionDate', 'Acquisition Date', 'datetime'],
  ['mktoName', 'Full Name', 'string', { system: true }],
  ['isLead', 'Is Lead', 'boolean', { system: true }],
  ['personType', 'Person Type', 'string', { system: true }],
  ['isAnonymous', 'Anonymous', 'boolean', { system: true }],
  ['cookies', 'Cookies', 'string'],
  ['twitterId', 'Twitter Id', 'string'],
  ['facebookId', 'Facebook Id', 'string'],
  ['linkedInId', 'LinkedIn Id', 'string'],
  ['externalSalesPersonId', 'External Sales Person Id', 'string'],
  ['sfdcType', 'SFDC Type', 'string', { sfdc: true }],
  ['sfdcId', 'SFDC Id', 'string', { sfdc: true }],
  ['sfdcLeadId', 'SFDC Lead ID', 'string', { sfdc: true }],
  ['sfdcContactId', 'SFDC Contact ID', 'string', { sfdc: true }],
  ['sfdcAccountId', 'SFDC Account ID', 'string', { sfdc: true }],
  ['sfdcLeadOwnerId', 'SFDC Lead Owner ID', 'string', { sfdc: true }],
  ['sfdcOpptyId', 'SFDC Oppty ID', 'string', { sfdc: true }],
  ['sfdcIsDeleted', 'SFDC Is Deleted', 'boolean', { sfdc: true }],
  ['createdAt', 'Created At', 'datetime', { system: true }],
  ['updatedAt', 'Updated At', 'datetime', { system: true }],
  // Custom string fields: where an integration keeps Salesforce ids when the sfdc* fields are
  // CRM-managed (api-facts B10). Custom string fields are valid lookup fields.
  ['sfdcLeadIdCustom', 'SFDC Lead Id (custom)', 'string', { custom: true }],
  ['sfdcContactIdCustom', 'SFDC Contact Id (custom)', 'string', { custom: true }],
  ['sfdcAccountIdCustom', 'SFDC Account Id (custom)', 'string', { custom: true }],
  ['sfdcTypeCustom', 'SFDC Type (custom)', 'string', { custom: true }],
  ['productInterest', 'Product Interest', 'string', { custom: true }],
  ['syncNotes', 'Sync Notes', 'text', { custom: true }],
];

const LENGTHS: Partial<Record<LeadDataType, number>> = {
  string: 255,
  email: 255,
  phone: 255,
  url: 255,
  text: 65535,
  reference: 255,
};

export const LEAD_FIELDS: LeadField[] = ROWS.map(([name, displayName, dataType, extra], i) => ({
  id: name === 'id' ? 1 : i + 1,
  name,
  displayName,
  dataType,
  ...(LENGTHS[dataType] ? { length: LENGTHS[dataType] } : {}),
  ...extra,
}));

export const FIELD_BY_NAME = new Map(LEAD_FIELDS.map((f) => [f.name, f]));

/** Standard searchable fields (B5); custom string/email/integer fields are added to these. */
const STANDARD_SEARCHABLE = [
  'cookies',
  'email',
  'facebookId',
  'id',
  'leadPartitionId',
  'linkedInId',
  'sfdcAccountId',
  'sfdcContactId',
  'sfdcLeadId',
  'sfdcLeadOwnerId',
  'sfdcOpptyId',
  'twitterId',
];

const CUSTOM_KEY_TYPES = new Set<LeadDataType>(['string', 'email', 'integer']);

export const SEARCHABLE_FIELDS: string[] = [
  ...STANDARD_SEARCHABLE,
  ...LEAD_FIELDS.filter((f) => f.custom && CUSTOM_KEY_TYPES.has(f.dataType)).map((f) => f.name),
];

/** Allowed sync lookup fields: the searchable set minus leadPartitionId; id only for updateOnly. */
export const LOOKUP_FIELDS = new Set(SEARCHABLE_FIELDS.filter((f) => f !== 'leadPartitionId'));

export const DEFAULT_LEAD_FIELDS = ['id', 'email', 'updatedAt', 'createdAt', 'firstName', 'lastName'];

export function isWritable(field: LeadField, sfdcCrmManaged: boolean): boolean {
  if (field.system) return false;
  if (field.sfdc && sfdcCrmManaged) return false;
  return true;
}

export function describeField(field: LeadField, sfdcCrmManaged: boolean): Record<string, unknown> {
  const readOnly = !isWritable(field, sfdcCrmManaged);
  return {
    id: field.id,
    displayName: field.displayName,
    dataType: field.dataType,
    ...(field.length ? { length: field.length } : {}),
    rest: { name: field.name, readOnly },
    soap: { name: field.name.charAt(0).toUpperCase() + field.name.slice(1), readOnly },
  };
}

export function describe2Field(field: LeadField, sfdcCrmManaged: boolean): Record<string, unknown> {
  return {
    name: field.name,
    displayName: field.displayName,
    dataType: field.dataType,
    ...(field.length ? { length: field.length } : {}),
    updateable: isWritable(field, sfdcCrmManaged),
    crmManaged: Boolean(field.sfdc && sfdcCrmManaged),
  };
}

export function schemaField(field: LeadField): Record<string, unknown> {
  return {
    displayName: field.displayName,
    name: field.name,
    description: null,
    dataType: field.dataType,
    ...(field.length ? { length: field.length } : {}),
    isHidden: false,
    isHtmlEncodingInEmail: ['string', 'email', 'text', 'phone', 'url'].includes(field.dataType),
    isSensitive: false,
    isCustom: Boolean(field.custom),
  };
}
