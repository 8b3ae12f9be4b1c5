// A person's owner as its Marketo sales person (issue 19): while User syncs, the person pull writes
// the lead's or contact's OwnerId into the person's `externalSalesPersonId` (Marketo then fills the
// person's owner fields from that sales person, api-facts E2.4). It rides the pull as one more mapped
// field, so it is hashed, skipped when unchanged and retried like the others. A lead owned by a
// queue (id prefix 00G) has no sales person: the link is emptied. Persons synced before User was
// enabled are linked by Update FKs User (objectFks.ts).
import type { SchemaRow } from '../../../db/types';
import type { StepContext } from '../../context';
import type { MappedField } from '../../mapping';

export const OWNER_LINK = 'externalSalesPersonId';

/** A user id (prefix 005), else null: queues and other owners are no sales persons. */
export const salesPersonOf = (owner: unknown) =>
  typeof owner === 'string' && owner.startsWith('005') ? owner : null;

export function ownerLink(
  ctx: StepContext,
  sobject: string,
  salesforce: SchemaRow,
  marketo: SchemaRow,
): MappedField | undefined {
  if (!ctx.settings.objects.User?.enabled || (sobject !== 'Lead' && sobject !== 'Contact')) return undefined;
  const owner = salesforce.fields.find((f) => f.name === 'OwnerId');
  const link = marketo.fields.find((f) => f.name === OWNER_LINK && f.updateable);
  if (!owner || !link) return undefined;
  return {
    sf: 'OwnerId',
    mk: OWNER_LINK,
    sfType: owner.type,
    mkType: link.type,
    both: false,
    derive: salesPersonOf,
  };
}
