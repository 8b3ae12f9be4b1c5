// EmailTemplate and the Folder that holds it (issue 20; api-facts-objects "EmailTemplate", the
// object reference's EmailTemplate and Folder pages). A template lives in a Folder of Type Email,
// or in its owner's personal folder (FolderId = the user's id); the write rules are in
// ../emailTemplateRules.ts. HtmlValue and Body hold 384 KB ("Limit: 384 KB"; describe's length).
import { bool, field, lookup, picklist, systemFields, text } from './fields';
import type { ObjectDef } from './types';

export const EMAIL_TEMPLATE_TYPES = ['text', 'html', 'custom', 'visualforce'] as const;
/** Folder.Type values; "Email" holds classic email templates. */
export const FOLDER_TYPES = ['Email', 'EmailTemplate', 'Report', 'Dashboard', 'Document'] as const;
/** What an EmailTemplate's HtmlValue and Body hold at most (characters, as describe's length). */
export const EMAIL_BODY_LIMIT = 384_000;

export const Folder: ObjectDef = {
  name: 'Folder',
  label: 'Folder',
  labelPlural: 'Folders',
  keyPrefix: '00l',
  fields: [
    ...systemFields(),
    text('Name', 40, { nillable: false, required: true, nameField: true, label: 'Label' }),
    text('DeveloperName', 80, { label: 'Folder Unique Name' }),
    picklist('Type', FOLDER_TYPES, { nillable: false, required: true, restrictedPicklist: true }),
    picklist('AccessType', ['Hidden', 'Shared', 'Public', 'PublicInternal'], {
      restrictedPicklist: true,
      defaultValue: 'Public',
    }),
    bool('IsReadonly', { label: 'Read Only', createable: false, updateable: false }),
    lookup('ParentId', ['Folder'], 'Parent'),
  ],
};

export const EmailTemplate: ObjectDef = {
  name: 'EmailTemplate',
  label: 'Email Template',
  labelPlural: 'Email Templates',
  keyPrefix: '00X',
  fields: [
    ...systemFields({ owner: true }),
    text('Name', 80, { nillable: false, required: true, nameField: true, label: 'Email Template Name' }),
    // Defaulted on create (generated from Name) and unique: the rules check both.
    text('DeveloperName', 80, { nillable: false, label: 'Template Unique Name' }),
    lookup('FolderId', ['Folder', 'User'], 'Folder', { nillable: false, required: true, label: 'Folder ID' }),
    picklist('TemplateType', EMAIL_TEMPLATE_TYPES, {
      nillable: false,
      defaultValue: 'text',
      restrictedPicklist: true,
      label: 'Style',
    }),
    text('Subject', 255),
    field('HtmlValue', 'textarea', { length: EMAIL_BODY_LIMIT, label: 'HTML Value' }),
    field('Body', 'textarea', { length: EMAIL_BODY_LIMIT, label: 'Email Body' }),
    field('Markup', 'textarea', { length: 1_048_576 }),
    text('BrandTemplateId', 18, { label: 'Letterhead ID' }),
    bool('IsActive', { label: 'Available For Use', defaultValue: true }),
    text('Description', 4000),
    field('LastUsedDate', 'datetime', { createable: false, updateable: false }),
  ],
};
