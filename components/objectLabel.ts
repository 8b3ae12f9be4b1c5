import type { ObjectType } from '../lib/db/types';

export type PersonLabel = 'Lead' | 'Person';

/** The seed shows "Person"; admins may prefer "Lead" (a setting). */
export function objectLabel(objectType: ObjectType, personLabel: PersonLabel): string {
  return objectType === 'Person' ? personLabel : objectType;
}
