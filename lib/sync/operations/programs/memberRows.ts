// A CampaignMember row as the campaign ⇄ program steps read it, and the sync filter field applied
// to members through their person (settings syncFilterField, e.g. Do_Not_Sync_to_Marketo__c): a
// member whose lead or contact is excluded is not synced either way (outcome Excluded, with the
// reason), like the person itself (pullBatch.ts). The person's own checkbox is read with the member
// (`Lead.<field>`, `Contact.<field>`: no extra call), so a person excluded after it was synced, or
// one never synced, is known as such even before its own pull has run (a pair's Sync now runs no
// person step); without a member row (a Marketo-only membership) the person's sync state says
// (`excluded`, set by its pull).
import { z } from 'zod';
import type { SyncState } from '../../../db/syncStateTypes';
import type { StepContext } from '../../context';

/** A CampaignMember row as the sync reads it (memberFields). */
export const memberRowSchema = z.looseObject({
  Id: z.string(),
  CampaignId: z.string(),
  LeadId: z.string().nullable(),
  ContactId: z.string().nullable(),
  Status: z.string().nullable(),
  SystemModstamp: z.string().optional(),
});
export type MemberRow = z.output<typeof memberRowSchema>;

export const MEMBER_FIELDS = 'Id, CampaignId, LeadId, ContactId, Status, SystemModstamp';

export const personOf = (row: MemberRow) => row.ContactId ?? row.LeadId;

/** The person objects whose filter field is read with a member, when the field exists on them. */
const PERSONS = ['Lead', 'Contact'] as const;

/** The fields a member is read with: MEMBER_FIELDS and its person's sync filter field. */
export async function memberFields(ctx: StepContext): Promise<string> {
  const filter = ctx.settings.syncFilterField;
  if (!filter) return MEMBER_FIELDS;
  const extra: string[] = [];
  for (const sobject of PERSONS) {
    if (!ctx.settings.objects[sobject]?.enabled) continue;
    const schema = await ctx.schema.salesforce(sobject);
    if (schema.fields.some((f) => f.name === filter)) extra.push(`${sobject}.${filter}`);
  }
  return [MEMBER_FIELDS, ...extra].join(', ');
}

/** The member's person's filter checkbox as read with the member; undefined when not read. */
function filterValue(row: MemberRow, filter: string): boolean | undefined {
  const person = row[row.ContactId ? 'Contact' : 'Lead'];
  if (!person || typeof person !== 'object') return undefined;
  const value = (person as Record<string, unknown>)[filter];
  return typeof value === 'boolean' ? value : undefined;
}

/**
 * Why the member's person is excluded by the sync filter, or undefined when it is not: its
 * checkbox as read with the member, else its person's sync state.
 */
export function exclusionOf(
  ctx: StepContext,
  row: MemberRow | undefined,
  person: { sobject: string; state: SyncState | undefined },
): string | undefined {
  const filter = ctx.settings.syncFilterField;
  if (!filter) return undefined;
  const live = row ? filterValue(row, filter) : undefined;
  if (!(live ?? person.state?.excluded === true)) return undefined;
  const kind = person.sobject === 'Contact' ? 'contact' : 'lead';
  return `its ${kind} is excluded by the sync filter (${filter} is checked): the membership is not synced while it is`;
}
