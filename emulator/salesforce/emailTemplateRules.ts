// EmailTemplate write rules (issue 20; docs/email-templates.md lists what is confirmed), applied by
// the DML path to API writes and control-API edits alike (access rules only to API writes):
// - DeveloperName is defaulted on create from Name, must be letters, digits and single underscores,
//   start with a letter and not end with "_" (object reference), and is unique
//   (DUPLICATE_DEVELOPER_NAME, Salesforce's code for unique names of setup objects; unconfirmed here);
// - FolderId is a Folder of Type Email, or a user id: the writer's own personal folder; a read-only
//   folder, another user's personal folder, or a hidden folder of another user refuses the write;
// - TemplateType html needs a letterhead (BrandTemplateId), visualforce its Markup (unconfirmed);
// - a merge field that does not end ("{!Contact.Name" with no "}") is refused per field with
//   FIELD_INTEGRITY_EXCEPTION; the HtmlValue wording is the one Salesforce returns (a recorded
//   answer on salesforce.stackexchange.com, question 9437), Body's and Subject's follow it.
// Lengths (HtmlValue, Body: 384 KB) are checked as for any field (STRING_TOO_LONG, dml.ts).
import { type DmlActor, DmlError } from './dml';
import type { SalesforceOrg } from './org';
import type { SfRecord } from './schema/types';

const UNIQUE_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*$/;
const UNIQUE_NAME_RULE =
  'The Template Unique Name can only contain underscores and alphanumeric characters. It must be unique, begin with a letter, not include spaces, not end with an underscore, and not contain two consecutive underscores.';

const MERGE_FIELD_TEXT =
  'Please check the format of all the merge fields to ensure they start with {! and end with }.';
const MERGE_FIELD_OWNERS: [string, string][] = [
  ['Subject', 'The Subject'],
  ['HtmlValue', 'The HTML Email Content'],
  ['Body', 'The Email Body'],
];

/** True when every "{!" is closed by a "}" before the next "{!" (and is not empty). */
export function mergeFieldsWellFormed(text: string): boolean {
  for (let at = text.indexOf('{!'); at >= 0; at = text.indexOf('{!', at + 2)) {
    const close = text.indexOf('}', at + 2);
    const next = text.indexOf('{!', at + 2);
    if (close < 0 || (next >= 0 && next < close) || close === at + 2) return false;
  }
  return true;
}

/** A DeveloperName made from a Name, as Salesforce defaults it: "Spring Promo!" → "Spring_Promo". */
function uniqueNameFrom(name: string, taken: (candidate: string) => boolean): string {
  let base = name
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 70);
  if (!/^[A-Za-z]/.test(base)) base = `X${base}`;
  let candidate = base;
  for (let n = 1; taken(candidate); n++) candidate = `${base}_${n}`;
  return candidate;
}

function templateWith(org: SalesforceOrg, field: string, value: string, except: unknown): string | undefined {
  const lower = value.toLowerCase();
  for (const row of org.store.table('EmailTemplate').records.values())
    if (row.IsDeleted !== true && row.Id !== except && String(row[field] ?? '').toLowerCase() === lower)
      return row.Id as string;
  return undefined;
}

function checkFolder(org: SalesforceOrg, folderId: string, actor: DmlActor): void {
  const refuse = (code: string, message: string): never => {
    throw new DmlError(code, message, ['FolderId']);
  };
  if (folderId.startsWith('005')) {
    // A personal folder: only its own user writes there.
    if (actor.enforce && folderId !== actor.user.id)
      refuse(
        'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
        `insufficient access rights on cross-reference id: ${folderId}`,
      );
    return;
  }
  const folder = org.store.get(folderId);
  if (!folder || folder.IsDeleted) throw refuse('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
  if (folder.Type !== 'Email')
    refuse('FIELD_INTEGRITY_EXCEPTION', `Folder ID: id value of incorrect type: ${folderId}`);
  const hiddenFromActor = folder.AccessType === 'Hidden' && folder.CreatedById !== actor.user.id;
  if (actor.enforce && (folder.IsReadonly === true || hiddenFromActor))
    refuse(
      'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
      `insufficient access rights on cross-reference id: ${folderId}`,
    );
}

/**
 * Checks (and, on create, completes) an EmailTemplate about to be saved: `record` is the whole
 * record as it will be, `values` the fields written (DeveloperName is added there when defaulted).
 */
export function beforeSave(
  org: SalesforceOrg,
  objectName: string,
  record: SfRecord,
  values: SfRecord,
  actor: DmlActor,
  creating: boolean,
): void {
  if (objectName !== 'EmailTemplate') return;
  if (creating && !record.DeveloperName) {
    const name = uniqueNameFrom(
      String(record.Name ?? 'Template'),
      (c) => !!templateWith(org, 'DeveloperName', c, null),
    );
    record.DeveloperName = name;
    values.DeveloperName = name;
  }
  const developerName = String(record.DeveloperName ?? '');
  if (!UNIQUE_NAME.test(developerName) || developerName.endsWith('_'))
    throw new DmlError('FIELD_INTEGRITY_EXCEPTION', UNIQUE_NAME_RULE, ['DeveloperName']);
  if ('DeveloperName' in values && templateWith(org, 'DeveloperName', developerName, record.Id))
    throw new DmlError(
      'DUPLICATE_DEVELOPER_NAME',
      'This unique name already exists or has been previously used. Please choose a different name.',
      ['DeveloperName'],
    );
  if ('FolderId' in values && typeof record.FolderId === 'string') checkFolder(org, record.FolderId, actor);
  if (record.TemplateType === 'html' && !record.BrandTemplateId)
    throw new DmlError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [BrandTemplateId]', [
      'BrandTemplateId',
    ]);
  if (record.TemplateType === 'visualforce' && !record.Markup)
    throw new DmlError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [Markup]', ['Markup']);
  for (const [field, what] of MERGE_FIELD_OWNERS) {
    const value = values[field];
    if (typeof value === 'string' && !mergeFieldsWellFormed(value))
      throw new DmlError(
        'FIELD_INTEGRITY_EXCEPTION',
        `${what} contains improperly formatted merge fields. ${MERGE_FIELD_TEXT}`,
        [field],
      );
  }
}
