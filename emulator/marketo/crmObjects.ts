// The lead-database objects Marketo fills from a CRM (api-facts E2.1–E2.5): opportunities,
// opportunity roles, companies and sales persons. One definition per object: its REST path, key
// fields, searchable fields and field catalogue (describe and schema/fields serve it). Field names
// the docs do not show (an opportunity's closed/won/close date, the company field fed by Account
// Type) are our choice, recorded in docs/objects.md; clients read describe and need not know them.

export type CrmDataType =
  | 'string'
  | 'text'
  | 'integer'
  | 'float'
  | 'currency'
  | 'boolean'
  | 'date'
  | 'datetime';

export interface CrmField {
  name: string;
  displayName: string;
  dataType: CrmDataType;
  length?: number;
}

export type CrmKind = 'opportunity' | 'opportunityRole' | 'company' | 'salesPerson';

export interface CrmObjectDef {
  kind: CrmKind;
  /** describe.json `name`. */
  name: string;
  displayName: string;
  /** Path below /rest/v1/, without `.json`. */
  path: string;
  /** marketoGUID (a string) for opportunities and roles, id (an integer) for the others. */
  idField: 'marketoGUID' | 'id';
  dedupeFields: string[];
  /** searchableFields as describe lists them (compound keys are one entry). */
  searchable: string[][];
  /** Fields an input may set (key fields included). */
  fields: CrmField[];
  /** Fields that must be present and non-empty on create. */
  required?: string[];
  /** Whether `/schema/fields.json` exists for it (opportunities and companies, E2.1). */
  schemaFields?: boolean;
}

const s = (name: string, displayName: string, length = 255): CrmField => ({
  name,
  displayName,
  dataType: 'string',
  length,
});
const t = (name: string, displayName: string, dataType: CrmDataType): CrmField => ({
  name,
  displayName,
  dataType,
});

export const OPPORTUNITY: CrmObjectDef = {
  kind: 'opportunity',
  name: 'opportunity',
  displayName: 'Opportunity',
  path: 'opportunities',
  idField: 'marketoGUID',
  dedupeFields: ['externalOpportunityId'],
  searchable: [['externalOpportunityId'], ['marketoGUID']],
  required: ['name'],
  schemaFields: true,
  fields: [
    { ...s('externalOpportunityId', 'SFDC Oppty Id', 50) },
    s('name', 'Name'),
    s('description', 'Description', 2000),
    s('type', 'Type'),
    s('stage', 'Stage'),
    t('amount', 'Amount', 'currency'),
    s('source', 'Source'),
    t('closeDate', 'Close Date', 'date'),
    t('isClosed', 'Closed', 'boolean'),
    t('isWon', 'Won', 'boolean'),
    t('probability', 'Probability', 'integer'),
    t('expectedRevenue', 'Expected Revenue', 'currency'),
    s('forecastCategoryName', 'Forecast Category'),
    s('nextStep', 'Next Step'),
    s('externalCompanyId', 'External Company Id', 100),
    s('externalSalesPersonId', 'External Sales Person Id'),
    t('externalCreatedDate', 'External Created Date', 'datetime'),
  ],
};

export const OPPORTUNITY_ROLE: CrmObjectDef = {
  kind: 'opportunityRole',
  name: 'opportunityRole',
  displayName: 'Opportunity Role',
  path: 'opportunities/roles',
  idField: 'marketoGUID',
  dedupeFields: ['externalOpportunityId', 'leadId', 'role'],
  searchable: [
    ['externalOpportunityId', 'leadId', 'role'],
    ['marketoGUID'],
    ['leadId'],
    ['externalOpportunityId'],
  ],
  fields: [
    s('externalOpportunityId', 'External Opportunity Id', 50),
    t('leadId', 'Lead Id', 'integer'),
    s('role', 'Role'),
    t('isPrimary', 'Is Primary', 'boolean'),
    t('externalCreatedDate', 'External Created Date', 'datetime'),
  ],
};

export const COMPANY: CrmObjectDef = {
  kind: 'company',
  name: 'Company',
  displayName: 'Company',
  path: 'companies',
  idField: 'id',
  dedupeFields: ['externalCompanyId'],
  searchable: [['externalCompanyId'], ['id'], ['company']],
  schemaFields: true,
  fields: [
    s('externalCompanyId', 'External Company Id', 100),
    s('company', 'Company Name'),
    s('site', 'Site'),
    s('website', 'Website'),
    s('mainPhone', 'Main Phone'),
    t('annualRevenue', 'Annual Revenue', 'currency'),
    t('numberOfEmployees', 'Num Employees', 'integer'),
    s('industry', 'Industry'),
    s('sicCode', 'SIC Code'),
    t('billingStreet', 'Billing Address', 'text'),
    s('billingCity', 'Billing City'),
    s('billingState', 'Billing State'),
    s('billingCountry', 'Billing Country'),
    s('billingPostalCode', 'Billing Postal Code'),
    // Salesforce's Account Type lands here (Marketo's native mapping calls it "SFDC Type" in the
    // account table; its REST name is unconfirmed, api-facts E1 Account.Type).
    s('accountType', 'Account Type'),
    s('externalSalesPersonId', 'External Sales Person Id'),
  ],
};

export const SALES_PERSON: CrmObjectDef = {
  kind: 'salesPerson',
  name: 'salesPerson',
  displayName: 'Sales Person',
  path: 'salespersons',
  idField: 'id',
  dedupeFields: ['externalSalesPersonId'],
  searchable: [['externalSalesPersonId'], ['id'], ['email']],
  fields: [
    s('externalSalesPersonId', 'External Sales Person Id'),
    s('email', 'Email'),
    s('firstName', 'First Name'),
    s('lastName', 'Last Name'),
    s('phone', 'Phone'),
    s('mobilePhone', 'Mobile Phone'),
    s('fax', 'Fax'),
    s('title', 'Title'),
  ],
};

export const CRM_OBJECTS: readonly CrmObjectDef[] = [OPPORTUNITY, OPPORTUNITY_ROLE, COMPANY, SALES_PERSON];

/** Fields every record has besides its own: the id field and the timestamps (read-only). */
export function systemFields(def: CrmObjectDef): (CrmField & { updateable: false })[] {
  const id: CrmField =
    def.idField === 'marketoGUID'
      ? { name: 'marketoGUID', displayName: 'Marketo GUID', dataType: 'string', length: 36 }
      : { name: 'id', displayName: 'Id', dataType: 'integer' };
  return [id, t('createdAt', 'Created At', 'datetime'), t('updatedAt', 'Updated At', 'datetime')].map(
    (f) => ({ ...f, updateable: false as const }),
  );
}

/** describe.json's field list: key fields are not updateable (E2.3: only isPrimary and the date on roles). */
export function describeFields(def: CrmObjectDef) {
  return [
    ...systemFields(def),
    ...def.fields.map((f) => ({ ...f, updateable: !def.dedupeFields.includes(f.name) })),
  ];
}
