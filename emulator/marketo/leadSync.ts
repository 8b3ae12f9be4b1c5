// Sync Leads (POST /rest/v1/leads.json) and Push (POST /leads/push.json): the four actions, the
// lookupField rules, the 300-record cap, per-record created/updated/skipped with Marketo's reason
// codes (api-facts B4, B5).
import { MarketoRequestError } from './envelope';
import { FIELD_BY_NAME, isWritable, LOOKUP_FIELDS } from './fields';
import { type ChangeOrigin, createLead, updateLead } from './leadOps';
import type { Lead, LeadValue } from './leadStore';
import { coerceLeadValue } from './leadValues';
import type { MarketoStore } from './store';

export const MAX_BATCH = 300;
export const SYNC_ACTIONS = ['createOnly', 'updateOnly', 'createOrUpdate', 'createDuplicate'] as const;
export type SyncAction = (typeof SYNC_ACTIONS)[number];

export interface Reason {
  code: string;
  message: string;
}

export type SyncResult =
  | { id: number; status: 'created' | 'updated' }
  | { status: 'skipped'; reasons: Reason[] };

const skip = (code: string, message: string): SyncResult => ({
  status: 'skipped',
  reasons: [{ code, message }],
});

/** Validates the request-level parameters shared by sync and push; throws response-level errors. */
export function syncParameters(body: Record<string, unknown>): {
  action: SyncAction;
  lookupField: string;
  input: unknown[];
} {
  const action = (body.action ?? 'createOrUpdate') as SyncAction;
  if (!SYNC_ACTIONS.includes(action))
    throw new MarketoRequestError('1003', `Invalid action '${String(action)}'`);
  const lookupField = typeof body.lookupField === 'string' && body.lookupField ? body.lookupField : 'email';
  if (!LOOKUP_FIELDS.has(lookupField) || (lookupField === 'id' && action !== 'updateOnly')) {
    throw new MarketoRequestError('1011', `Field '${lookupField}' not supported`);
  }
  const input = body.input;
  if (!Array.isArray(input) || input.length === 0)
    throw new MarketoRequestError('701', 'input cannot be blank');
  if (input.length > MAX_BATCH) {
    throw new MarketoRequestError('1003', `Batch size exceeds the limit of ${MAX_BATCH} records`);
  }
  return { action, lookupField, input };
}

interface Prepared {
  values: Record<string, LeadValue>;
  /** The lookup key from the record, even when the lookup field itself is read-only. */
  key: LeadValue | undefined;
  /** Read-only fields the record sets (besides a read-only lookup field used as key). */
  readOnly: string[];
}

/** Turns one input record into typed values, or the reason it is skipped. */
function prepare(
  store: MarketoStore,
  record: unknown,
  action: SyncAction,
  lookupField: string,
): Prepared | { skipped: SyncResult } {
  if (!record || typeof record !== 'object' || Array.isArray(record)) {
    return { skipped: skip('1003', 'Invalid data') };
  }
  const prepared: Prepared = { values: {}, key: undefined, readOnly: [] };
  for (const [name, raw] of Object.entries(record)) {
    if (name === 'id') {
      // id is system-managed: only usable as the key of updateOnly.
      if (action !== 'updateOnly') return { skipped: skip('1003', 'Invalid data') };
      if (lookupField === 'id') prepared.key = raw as LeadValue;
      continue;
    }
    const field = FIELD_BY_NAME.get(name);
    if (!field) return { skipped: skip('1006', `Field '${name}' not found`) };
    const coerced = coerceLeadValue(field, raw);
    if (!coerced.ok) return { skipped: skip('1001', coerced.message) };
    if (name === lookupField) prepared.key = coerced.value;
    if (isWritable(field, store.settings.sfdcFieldsCrmManaged)) prepared.values[name] = coerced.value;
    else prepared.readOnly.push(name);
  }
  return prepared;
}

/**
 * Read-only fields (system or CRM-managed) are refused with 1003 or silently dropped, per the
 * `crmManagedWrites` setting. A read-only lookup field still works as the match key; it is only
 * a write when the record would be created.
 */
function refusedField(store: MarketoStore, prepared: Prepared, lookupField: string, creating: boolean) {
  if (store.settings.crmManagedWrites === 'ignore') return undefined;
  return prepared.readOnly.find((name) => creating || name !== lookupField);
}

export function syncRecord(
  store: MarketoStore,
  record: unknown,
  action: SyncAction,
  lookupField: string,
  origin: ChangeOrigin,
  onWritten?: (lead: Lead) => void,
): SyncResult {
  const prepared = prepare(store, record, action, lookupField);
  if ('skipped' in prepared) return prepared.skipped;
  const { values, key } = prepared;
  const hasKey = key !== undefined && key !== null;
  const matches = action === 'createDuplicate' || !hasKey ? [] : store.leads.find(lookupField, key);
  const creating =
    action === 'createDuplicate' ||
    ((action === 'createOnly' || action === 'createOrUpdate') && !matches.length);
  const refused = refusedField(store, prepared, lookupField, creating);
  if (refused && (creating || matches.length === 1)) {
    return skip('1003', `Field '${refused}' is not updateable`);
  }
  if (creating) {
    const lead = createLead(store, values, origin);
    onWritten?.(lead);
    return { id: lead.id, status: 'created' };
  }
  if (action === 'createOnly') return skip('1005', 'Lead already exists');
  if (matches.length === 0) return skip('1004', 'Lead not found');
  if (matches.length > 1) return skip('1007', 'Multiple leads match the lookup criteria');
  const lead = store.leads.get(matches[0]!)!;
  updateLead(store, lead, values, origin);
  onWritten?.(lead);
  return { id: lead.id, status: 'updated' };
}
