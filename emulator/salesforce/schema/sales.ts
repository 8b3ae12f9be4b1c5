// Account, Opportunity and OpportunityContactRole.
import { bool, field, lookup, picklist, systemFields, text } from './fields';
import { LEAD_SOURCES } from './leadContact';
import type { ObjectDef, SfRecord } from './types';

const readOnly = { createable: false, updateable: false };
export const ACCOUNT_TYPES = ['Prospect', 'Customer - Direct', 'Customer - Channel', 'Partner', 'Other'];
export const OPPORTUNITY_STAGES = [
  'Prospecting',
  'Qualification',
  'Needs Analysis',
  'Proposal/Price Quote',
  'Negotiation/Review',
  'Closed Won',
  'Closed Lost',
];

export const Account: ObjectDef = {
  name: 'Account',
  label: 'Account',
  labelPlural: 'Accounts',
  keyPrefix: '001',
  fields: [
    ...systemFields({ owner: true }),
    lookup('MasterRecordId', ['Account'], 'MasterRecord', readOnly),
    text('Name', 255, { nillable: false, required: true, nameField: true, label: 'Account Name' }),
    picklist('Type', ACCOUNT_TYPES, { label: 'Account Type' }),
    picklist('Industry', ['Technology', 'Finance', 'Healthcare', 'Manufacturing', 'Retail', 'Education']),
    field('Website', 'url', { length: 255 }),
    field('Phone', 'phone', { length: 40 }),
    field('BillingStreet', 'textarea', { length: 255 }),
    text('BillingCity', 40),
    text('BillingState', 80),
    text('BillingPostalCode', 20),
    text('BillingCountry', 80),
    text('Sic', 20, { label: 'SIC Code' }),
    field('NumberOfEmployees', 'int', { precision: 8 }),
    field('AnnualRevenue', 'currency', { precision: 18, scale: 0 }),
    lookup('ParentId', ['Account'], 'Parent'),
    field('Description', 'textarea', { length: 32000 }),
  ],
};

const stageIsClosed = (r: SfRecord) => typeof r.StageName === 'string' && r.StageName.startsWith('Closed');

export const Opportunity: ObjectDef = {
  name: 'Opportunity',
  label: 'Opportunity',
  labelPlural: 'Opportunities',
  keyPrefix: '006',
  fields: [
    ...systemFields({ owner: true }),
    text('Name', 120, { nillable: false, required: true, nameField: true }),
    lookup('AccountId', ['Account'], 'Account'),
    picklist('StageName', OPPORTUNITY_STAGES, { nillable: false, required: true, label: 'Stage' }),
    field('CloseDate', 'date', { nillable: false, required: true }),
    field('Amount', 'currency', { precision: 18, scale: 2 }),
    field('Probability', 'percent', { precision: 3, scale: 0 }),
    picklist('Type', ['New Business', 'Existing Business']),
    picklist('LeadSource', LEAD_SOURCES),
    lookup('CampaignId', ['Campaign'], 'Campaign'),
    bool('IsClosed', { ...readOnly, derive: stageIsClosed }),
    bool('IsWon', { ...readOnly, derive: (r) => r.StageName === 'Closed Won' }),
    field('Description', 'textarea', { length: 32000 }),
  ],
};

export const OpportunityContactRole: ObjectDef = {
  name: 'OpportunityContactRole',
  label: 'Opportunity Contact Role',
  labelPlural: 'Opportunity Contact Role',
  keyPrefix: '00K',
  fields: [
    ...systemFields(),
    lookup('OpportunityId', ['Opportunity'], 'Opportunity', {
      nillable: false,
      required: true,
      updateable: false,
    }),
    lookup('ContactId', ['Contact'], 'Contact', { nillable: false, required: true }),
    picklist('Role', ['Decision Maker', 'Economic Buyer', 'Evaluator', 'Influencer', 'Other']),
    bool('IsPrimary', { label: 'Primary' }),
  ],
};
