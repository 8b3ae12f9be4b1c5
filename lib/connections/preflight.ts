import type { PreflightFinding } from '../messaging/connectionViews';
import type { DescribeSObject } from '../salesforce/schemas';
import type { SyncSettings } from '../settings/schema';

// The pre-flight check of the sync user's access (design §3: "the sync runs as a dedicated sync
// user; it can only see/write what that user may"). Salesforce's describe is answered from the
// caller's point of view: a field hidden by field-level security is simply absent, a field the
// user may read but not edit has `updateable: false`, and an object the user cannot read answers
// NOT_FOUND. So describing each enabled object *as the sync user* tells what the sync will be
// able to do, before a cycle fails on it record by record.

/** The describe of one object as the sync user sees it, or why it could not be read. */
export type DescribedObject = { ok: true; describe: DescribeSObject } | { ok: false; error: string };

const ASK_ADMIN = "ask your Salesforce admin to change the sync user's profile or permission set";

/** Objects whose records carry the sync filter checkbox. */
const FILTERED_OBJECTS = ['Lead', 'Contact'];

/** Checks every enabled object, its field mapping and the sync filter field. */
export function preflightFindings(
  settings: SyncSettings,
  described: ReadonlyMap<string, DescribedObject>,
): PreflightFinding[] {
  const findings: PreflightFinding[] = [];
  for (const [object, objectSettings] of Object.entries(settings.objects)) {
    if (!objectSettings.enabled) continue;
    const result = described.get(object);
    if (!result) continue;
    if (!result.ok || !result.describe.queryable) {
      findings.push({
        kind: 'object-unreadable',
        severity: 'error',
        object,
        message: `The sync user cannot read ${object} records${result.ok ? '' : ` (${result.error})`}.`,
        fix: `Give the sync user Read access to ${object} (${ASK_ADMIN}), or turn ${object} off below.`,
      });
      continue;
    }
    const describe = result.describe;
    const fields = new Map(describe.fields.map((f) => [f.name.toLowerCase(), f]));
    const writes = objectSettings.fields.some((m) => m.direction === 'push' || m.direction === 'both');
    if (writes && !describe.updateable) {
      findings.push({
        kind: 'object-read-only',
        severity: 'error',
        object,
        message: `The sync user cannot edit ${object} records, but fields are mapped Marketo → Salesforce.`,
        fix: `Give the sync user Edit access to ${object} (${ASK_ADMIN}), or set those fields to pull only.`,
      });
    }
    for (const mapping of objectSettings.fields) {
      if (mapping.direction === 'none') continue;
      const name = mapping.salesforceField;
      const field = fields.get(name.toLowerCase());
      const base = { object, field: name, direction: mapping.direction };
      if (!field) {
        findings.push({
          ...base,
          kind: 'field-unreadable',
          severity: 'error',
          message: `${object}.${name} is not visible to the sync user: it does not exist, or field-level security hides it.`,
          fix: `Make ${object}.${name} visible to the sync user (field-level security; ${ASK_ADMIN}), or remove it from the mapping.`,
        });
        continue;
      }
      if (field.calculated) {
        findings.push({
          ...base,
          kind: 'formula-field',
          severity: mapping.direction === 'pull' ? 'warning' : 'error',
          message: `${object}.${name} is a formula field: its changes do not update the record's timestamp, so the sync misses them${mapping.direction === 'pull' ? '' : ', and it cannot be written'}.`,
          fix: `Map the fields the formula is built from instead, or set ${name} to "none".`,
        });
        continue;
      }
      const pushes = mapping.direction === 'push' || mapping.direction === 'both';
      if (pushes && !field.updateable) {
        findings.push({
          ...base,
          kind: 'field-read-only',
          severity: 'error',
          message: `The sync user can read ${object}.${name} but not update it, and it is mapped Marketo → Salesforce.`,
          fix: `Give the sync user Edit access to ${object}.${name} (field-level security; ${ASK_ADMIN}), or set its direction to pull (Salesforce → Marketo).`,
        });
      }
    }
    findings.push(...filterFieldFindings(settings, object, describe));
  }
  return findings;
}

function filterFieldFindings(
  settings: SyncSettings,
  object: string,
  describe: DescribeSObject,
): PreflightFinding[] {
  const filter = settings.syncFilterField;
  if (!filter || !FILTERED_OBJECTS.includes(object)) return [];
  const field = describe.fields.find((f) => f.name.toLowerCase() === filter.toLowerCase());
  if (!field) {
    return [
      {
        kind: 'filter-field-missing',
        severity: 'error',
        object,
        field: filter,
        message: `The sync filter field ${object}.${filter} is not visible to the sync user, so no ${object} can be excluded.`,
        fix: `Create the checkbox on ${object} and make it visible to the sync user (${ASK_ADMIN}), or pick another filter field.`,
      },
    ];
  }
  if (field.type !== 'boolean') {
    return [
      {
        kind: 'filter-field-not-checkbox',
        severity: 'error',
        object,
        field: filter,
        message: `The sync filter field ${object}.${filter} is a ${field.type} field, not a checkbox.`,
        fix: 'Pick a checkbox field as the sync filter field.',
      },
    ];
  }
  return [];
}

/** Mapped Salesforce fields the sync user cannot see, per object (what the record panel warns about). */
export function hiddenFieldsByObject(findings: readonly PreflightFinding[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const f of findings) {
    if (f.kind !== 'field-unreadable' || !f.field) continue;
    out[f.object] = [...(out[f.object] ?? []), f.field];
  }
  return out;
}
