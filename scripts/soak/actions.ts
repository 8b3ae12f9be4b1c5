// What happens to the two systems between (and during) the soak's cycles: users editing records on
// both sides — with hostile values, whitespace-only changes, the same field on both sides, bulk
// inserts in one SystemModstamp second, deletes, conversions, form fills — and faults on any route
// of either API. An action names its record and value by plain numbers (an index into the
// candidates at the time it is applied), so fast-check can shrink them and a PRNG can draw them.

import type { FaultSpec } from '../../emulator/faults';
import type { Emulator } from '../../emulator/index';
import type { FieldMapping } from '../../lib/settings/defaultMappings';
import type { SyncSettings } from '../../lib/settings/schema';
import { type ActivityAction, applyActivityAction } from './activities';
import { applyEmailAction, type EmailAction } from './emails';
import { applyMemberAction, type MemberAction } from './members';
import { applyObjectAction, type ObjectAction } from './objects';
import type { CycleStop } from './world';

export type EditedObject = 'Lead' | 'Contact' | 'Account';

export type SoakAction =
  /** A user edits a mapped field: in Salesforce, in Marketo, or both sides before the next cycle. */
  | {
      kind: 'edit';
      side: 'salesforce' | 'marketo' | 'both';
      object: EditedObject;
      record: number;
      field: number;
      value: number;
      /** The Marketo side's value when both sides edit. */
      otherValue: number;
    }
  /** A data import: `count` new leads in one SystemModstamp second. */
  | { kind: 'bulkInsert'; count: number }
  | { kind: 'delete'; object: 'Lead' | 'Contact'; record: number }
  | { kind: 'convert'; record: number }
  /** A known person fills out a form (a Task-worthy activity). */
  | { kind: 'activity'; record: number }
  | { kind: 'fault'; side: 'salesforce' | 'marketo'; route: number; fault: number; times: number }
  /** Sessions/tokens expire: Salesforce's access token (refreshed by OAuth), Marketo's token. */
  | { kind: 'expire'; side: 'salesforce' | 'marketo' }
  | { kind: 'cycle'; stop?: CycleStop; advanceMs: number }
  /** A campaign member added, moved or removed on either side (members.ts). */
  | MemberAction
  /** A marketer's email written, approved, unapproved, moved or deleted (emails.ts). */
  | EmailAction
  /** A Task or Event logged, edited or deleted in Salesforce (activities.ts). */
  | ActivityAction
  /** Opportunities, roles, users, a custom object's records, merges (objects.ts). */
  | ObjectAction;

/** Whitespace, unicode, quotes, backslashes, long and code-like texts users really type. */
export const HOSTILE_TEXTS: readonly string[] = [
  'Zoë Ångström-Łukasz',
  '山田 太郎',
  'Launch 🚀 team',
  `O'Brien "The Rock"`,
  'C:\\Users\\ops\\ back\\\\slash',
  'e\u0301te\u0301 (combining accents)',
  '\u200bzero-width',
  '<b>bold</b> & "co"',
  '=HYPERLINK("x")',
  '007',
  '42.0',
  'null',
  'line one\nline two',
  'A'.repeat(80),
  'Ü'.repeat(300),
  'VP Sales',
  'Director',
  // Two-letter states: the org's validation rule refuses them when the sync pushes them.
  'CA',
  'ny',
];
const NUMBERS: readonly number[] = [0, 1, 42, 250, 1_000_000, 3.5, -7];
export const INVALID_PICKLIST = 'Not On The List';

/** The Salesforce field mappings a side may edit: the fields that flow from that side. */
export function editableMappings(
  settings: SyncSettings,
  object: EditedObject,
  side: 'salesforce' | 'marketo',
): FieldMapping[] {
  const from = side === 'salesforce' ? ['both', 'pull'] : ['both', 'push'];
  return (settings.objects[object]?.fields ?? []).filter(
    // Email is how Marketo finds people; a user retyping it is another test (merges).
    (f) => from.includes(f.direction) && f.salesforceField !== 'Email',
  );
}

/** Live, synced Salesforce ids of an object, in a stable order. */
export function candidates(emu: Emulator, object: EditedObject, filterField: string | null): string[] {
  const table = emu.salesforce.store.tables.get(object);
  if (!table) return [];
  const out: string[] = [];
  for (const [id, row] of table.records) {
    if (row.IsDeleted || row.IsConverted) continue;
    if (filterField && row[filterField] === true) continue;
    out.push(id);
  }
  return out;
}

/** Marketo persons by the Salesforce lead/contact they are linked to (custom link fields). */
export function personsBySfId(emu: Emulator): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const lead of emu.marketo.store.leads.byId.values()) {
    const sfId = (lead.values.sfdcContactIdCustom || lead.values.sfdcLeadIdCustom) as string | undefined;
    if (!sfId) continue;
    out.set(sfId, [...(out.get(sfId) ?? []), lead.id]);
  }
  return out;
}

interface FieldShape {
  type: string;
  picklist?: readonly string[];
}

function fieldShape(emu: Emulator, object: string, field: string): FieldShape {
  const def = emu.salesforce.store.schema.get(object)?.field(field);
  return { type: def?.type ?? 'string', ...(def?.picklist && { picklist: def.picklist }) };
}

const NUMERIC = new Set(['int', 'double', 'currency', 'percent']);

/**
 * The value a user types for choice `n`: for text, a hostile text, the current value with a space
 * added (a whitespace-only change) or nothing; for numbers a number; for picklists a listed value
 * (Marketo users can also type one Salesforce does not list).
 */
export function valueFor(shape: FieldShape, n: number, current: unknown, side: 'salesforce' | 'marketo') {
  if (NUMERIC.has(shape.type)) {
    const options = [...NUMBERS, null];
    return options[n % options.length];
  }
  if (shape.picklist) {
    const options: (string | null)[] = [...shape.picklist, null];
    if (side === 'marketo') options.push(INVALID_PICKLIST);
    return options[n % options.length];
  }
  const padded =
    typeof current === 'string' && current ? [` ${current}`, `${current} `, `${current}  `] : [' '];
  const options: (string | null)[] = [...HOSTILE_TEXTS, ...padded, null];
  return options[n % options.length];
}

/** Applies one non-cycle action; returns a line for the soak's log (what a user did). */
export function applyAction(emu: Emulator, settings: SyncSettings, action: SoakAction): string {
  const filter = settings.syncFilterField;
  switch (action.kind) {
    case 'edit':
      return applyEdit(emu, settings, action);
    case 'bulkInsert': {
      const base = emu.salesforce.store.tables.get('Lead')?.records.size ?? 0;
      for (let i = 0; i < action.count; i++)
        emu.control.sfCreate({
          object: 'Lead',
          fields: {
            FirstName: `Bulk${i}`,
            LastName: `Import ${base + i}`,
            Company: 'Imported Co',
            Email: `import.${base + i}.${emu.core.clock.now()}@bulk.example.com`,
            State: 'Texas',
          },
        });
      return `bulk insert of ${action.count} leads in one second`;
    }
    case 'delete': {
      const ids = candidates(emu, action.object, filter);
      const id = ids[action.record % Math.max(1, ids.length)];
      if (!id) return 'delete: nothing to delete';
      emu.control.sfDelete({ id });
      return `delete ${action.object} ${id}`;
    }
    case 'convert': {
      const ids = candidates(emu, 'Lead', filter);
      const id = ids[action.record % Math.max(1, ids.length)];
      if (!id) return 'convert: no lead';
      const result = emu.control.convertLead({ leadId: id });
      return `convert lead ${id} → contact ${result.contactId}`;
    }
    case 'activity': {
      const persons = [...personsBySfId(emu).values()].flat();
      const leadId = persons[action.record % Math.max(1, persons.length)];
      if (leadId === undefined) return 'activity: no person';
      emu.marketo.control.logActivity({
        leadId,
        typeId: 2,
        primaryAttributeValueId: 1001,
        primaryAttributeValue: 'Contact Us',
      });
      return `form fill by person ${leadId}`;
    }
    case 'fault': {
      const spec = faultSpec(action);
      emu.control.injectFault(spec);
      return `fault ${JSON.stringify(spec)}`;
    }
    case 'expire':
      if (action.side === 'salesforce') emu.control.expireSessions({});
      else emu.control.mkExpireTokens();
      return `${action.side} sessions expire`;
    case 'member':
      return applyMemberAction(emu, settings, action);
    case 'object':
      return applyObjectAction(emu, settings, action);
    case 'email':
      return applyEmailAction(emu, settings, action);
    case 'salesforceActivity':
      return applyActivityAction(emu, settings, action);
    case 'cycle':
      throw new Error('cycles are run by the world, not applied');
  }
}

function applyEdit(emu: Emulator, settings: SyncSettings, a: Extract<SoakAction, { kind: 'edit' }>): string {
  const side = a.object === 'Account' ? 'salesforce' : a.side;
  const ids = candidates(emu, a.object, settings.syncFilterField);
  const id = ids[a.record % Math.max(1, ids.length)];
  if (!id) return `edit: no ${a.object}`;
  const lines: string[] = [];
  const sfSide = side === 'marketo' ? 'marketo' : 'salesforce';
  const fields = editableMappings(settings, a.object, sfSide);
  const mapping = fields[a.field % Math.max(1, fields.length)];
  if (!mapping) return `edit: no field of ${a.object}`;
  const shape = fieldShape(emu, a.object, mapping.salesforceField);
  if (side !== 'marketo') {
    const current = emu.salesforce.store.get(id)?.[mapping.salesforceField];
    const value = valueFor(shape, a.value, current, 'salesforce');
    try {
      emu.control.sfUpdate({ id, fields: { [mapping.salesforceField]: value } });
      lines.push(`Salesforce ${id}.${mapping.salesforceField} = ${JSON.stringify(value)}`);
    } catch (error) {
      // Salesforce's own UI refuses it too (a required field emptied…): the user gives up.
      lines.push(`Salesforce refused ${id}.${mapping.salesforceField}: ${(error as Error).message}`);
    }
  }
  if (side !== 'salesforce' && mapping.direction !== 'pull') {
    const person = personsBySfId(emu).get(id)?.[0];
    if (person === undefined) return [...lines, `edit: ${id} has no person yet`].join('; ');
    const current = emu.marketo.store.leads.get(person)?.values[mapping.marketoField];
    const value = valueFor(shape, side === 'both' ? a.otherValue : a.value, current, 'marketo');
    try {
      emu.control.mkUpdateLead({ id: person, fields: { [mapping.marketoField]: value } });
      lines.push(`Marketo ${person} (${id}).${mapping.marketoField} = ${JSON.stringify(value)}`);
    } catch (error) {
      lines.push(`Marketo refused ${person}.${mapping.marketoField}: ${(error as Error).message}`);
    }
  }
  return lines.join('; ');
}

const SALESFORCE_ROUTES = [
  undefined,
  '/services/data/v62.0/query',
  '/services/data/v62.0/composite',
  '/services/data/v62.0/sobjects',
  '/services/oauth2/token',
];
const MARKETO_ROUTES = [
  undefined,
  '/rest/v1/leads.json',
  '/rest/v1/activities.json',
  '/rest/v1/activities/pagingtoken.json',
  '/rest/v1/leads/describe',
  '/rest/asset/v1/email',
  '/identity/oauth/token',
  // Issue 19's objects: opportunities (and their roles), sales persons, companies, custom objects.
  ...['/rest/v1/opportunities', '/rest/v1/salespersons', '/rest/v1/companies', '/rest/v1/customobjects'],
  '/rest/v1/activities/external',
];
type FaultShape = Omit<FaultSpec, 'side' | 'route' | 'times'>;
const COMMON: FaultShape[] = [
  { kind: 'drop' },
  { kind: 'dropAfter' },
  { kind: 'hang' },
  { kind: 'malformed' },
  { kind: 'schema' },
  { kind: 'latency', latencyMs: 50 },
];
const SALESFORCE_FAULTS: FaultShape[] = [
  ...COMMON,
  { kind: 'error', status: 500 },
  { kind: 'error', status: 503, retryAfterSeconds: 1 },
  { kind: 'error', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
  { kind: 'error', errorCode: 'INVALID_SESSION_ID' },
  { kind: 'error', errorCode: 'UNKNOWN_EXCEPTION' },
];
const MARKETO_FAULTS: FaultShape[] = [
  ...COMMON,
  { kind: 'error', status: 502 },
  { kind: 'error', status: 503 },
  ...['601', '602', '604', '606', '607', '611', '615'].map(
    (code): FaultShape => ({ kind: 'error', errorCode: code }),
  ),
];
/** How many kinds of fault each side can get (for drawing `fault`). */
export const FAULT_KINDS = { salesforce: SALESFORCE_FAULTS.length, marketo: MARKETO_FAULTS.length };
export const FAULT_ROUTES = { salesforce: SALESFORCE_ROUTES.length, marketo: MARKETO_ROUTES.length };

export function faultSpec(a: Extract<SoakAction, { kind: 'fault' }>): FaultSpec {
  const shapes = a.side === 'salesforce' ? SALESFORCE_FAULTS : MARKETO_FAULTS;
  const routes = a.side === 'salesforce' ? SALESFORCE_ROUTES : MARKETO_ROUTES;
  const shape = shapes[a.fault % shapes.length]!;
  let route = routes[a.route % routes.length];
  // API error bodies come from the API: the OAuth/identity endpoints answer errors in their own
  // shape (`{error, error_description}`), so an API error is only injected on the API's routes.
  // (Salesforce's error faults are all API-shaped; Marketo's HTTP-only ones are its web tier's.)
  if (
    shape.kind === 'error' &&
    (a.side === 'salesforce' || shape.errorCode) &&
    (!route || /oauth/.test(route))
  )
    route = a.side === 'salesforce' ? '/services/data' : '/rest';
  return { side: a.side, ...shape, ...(route && { route }), times: a.times };
}
