import type { RecordError } from '../db/types';
import { EMAIL_TEMPLATE_HINTS } from './emailTemplateHints';

// Plain-language fixes for the errors admins meet most (seed 001 "manage errors"). Most of them
// are fixed in Salesforce by the admin: the sync user's permissions or the record's data.
const HINTS: Record<string, string> = {
  FIELD_CUSTOM_VALIDATION_EXCEPTION:
    'A validation rule in Salesforce refused the value. Correct the field on the record (or in Marketo) so it passes the rule, or ask the rule owner to exempt the sync user.',
  INVALID_FIELD_FOR_INSERT_UPDATE:
    'The sync user may not update this field. Give the sync user edit access to it (field-level security), or set the field to pull-only in the mapping.',
  INVALID_FIELD:
    'The sync user cannot see this field. Grant read access to it in the sync user’s profile or permission set.',
  INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST:
    'The value is not one of the picklist’s values. Add it to the picklist in Salesforce or correct it in Marketo.',
  DUPLICATE_VALUE:
    'Another record already has this value in a unique field. Merge the duplicates or correct the value.',
  DUPLICATES_DETECTED:
    'A Salesforce duplicate rule blocked the save. Merge the duplicate records or adjust the rule for the sync user.',
  CANNOT_UPDATE_CONVERTED_LEAD:
    'This lead was converted; the sync now follows the contact it became. Nothing to do unless the contact is missing.',
  ENTITY_IS_DELETED: 'The record is in the Recycle Bin. Undelete it in Salesforce if it should keep syncing.',
  REQUIRED_FIELD_MISSING: 'A field Salesforce requires is empty. Fill it in Marketo or map a default value.',
  STRING_TOO_LONG: 'The value is longer than the Salesforce field allows. Shorten it in Marketo.',
  INSUFFICIENT_ACCESS_OR_READONLY:
    'The sync user may not edit this record (sharing). Give the sync user access to it.',
  REQUEST_LIMIT_EXCEEDED:
    'Salesforce’s daily API allowance is spent. The record is retried after the allowance recovers.',
  '606': 'Marketo’s rate limit was hit. The record is retried automatically.',
  '607': 'Marketo’s daily API quota is spent. The record is retried after midnight US Central.',
  INVALID_SESSION_ID:
    'The Salesforce session expired. Open Salesforce and log in again, or reconnect the sync user.',
  ...EMAIL_TEMPLATE_HINTS,
};

export function errorHint(error: RecordError): string {
  return (
    HINTS[error.code] ??
    'Check the message and the fields named; fix the record or the sync user’s permissions, and it is retried.'
  );
}
