// Campaign, CampaignMember and CampaignMemberStatus (EmailTemplate: emailTemplates.ts).
import { bool, field, lookup, picklist, systemFields, text } from './fields';
import type { ObjectDef } from './types';

const readOnly = { createable: false, updateable: false };

export const Campaign: ObjectDef = {
  name: 'Campaign',
  label: 'Campaign',
  labelPlural: 'Campaigns',
  keyPrefix: '701',
  fields: [
    ...systemFields({ owner: true }),
    text('Name', 80, { nillable: false, required: true, nameField: true }),
    picklist('Type', ['Conference', 'Webinar', 'Email', 'Advertisement', 'Partners', 'Other']),
    picklist('Status', ['Planned', 'In Progress', 'Completed', 'Aborted']),
    bool('IsActive', { label: 'Active' }),
    field('StartDate', 'date'),
    field('EndDate', 'date'),
    lookup('ParentId', ['Campaign'], 'Parent'),
    field('Description', 'textarea', { length: 32000 }),
    field('ActualCost', 'currency', { precision: 18, scale: 2, label: 'Actual Cost in Campaign' }),
    field('BudgetedCost', 'currency', { precision: 18, scale: 2, label: 'Budgeted Cost in Campaign' }),
    field('NumberOfLeads', 'int', { ...readOnly, precision: 9 }),
    field('NumberOfContacts', 'int', { ...readOnly, precision: 9 }),
  ],
};

export const CampaignMember: ObjectDef = {
  name: 'CampaignMember',
  label: 'Campaign Member',
  labelPlural: 'Campaign Members',
  keyPrefix: '00v',
  fields: [
    ...systemFields(),
    lookup('CampaignId', ['Campaign'], 'Campaign', { nillable: false, required: true, updateable: false }),
    lookup('LeadId', ['Lead'], 'Lead', { updateable: false }),
    lookup('ContactId', ['Contact'], 'Contact', { updateable: false }),
    text('Status', 40, { label: 'Status' }),
    bool('HasResponded', { ...readOnly, label: 'Responded' }),
    field('FirstRespondedDate', 'date', readOnly),
  ],
};

export const CampaignMemberStatus: ObjectDef = {
  name: 'CampaignMemberStatus',
  label: 'Campaign Member Status',
  labelPlural: 'Campaign Member Statuses',
  keyPrefix: '01Y',
  fields: [
    ...systemFields(),
    lookup('CampaignId', ['Campaign'], 'Campaign', { nillable: false, required: true, updateable: false }),
    text('Label', 765, { nillable: false, required: true, nameField: true }),
    field('SortOrder', 'int', { precision: 9 }),
    bool('IsDefault', { label: 'Default' }),
    bool('HasResponded', { label: 'Responded' }),
  ],
};
