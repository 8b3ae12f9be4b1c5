// The objects of issue 19 in the soak (docs/objects.md): users create, edit, re-parent and delete
// opportunities, contact roles and one custom object's records (Subscription__c), merge contacts,
// convert leads into a new deal, edit users and hand records to other owners, delete accounts.
// objectsJudge.ts checks that Marketo ends up holding exactly what Salesforce says. An action names
// its records by plain numbers (an index into the live candidates when it is applied), so
// fast-check can shrink them and a PRNG can draw them.
import type { Emulator } from '../../emulator/index';
import type { SyncSettings } from '../../lib/settings/schema';
import { applyDealAction } from './objectDeals';
import { sceneOf } from './objectEdits';
import { applyPeopleAction } from './objectPeople';

export const SOAK_CUSTOM_OBJECT = 'Subscription__c';

/** What a user does; `record`, `target` and `value` pick among what is there when it is applied. */
export interface ObjectAction {
  kind: 'object';
  op: number;
  record: number;
  target: number;
  value: number;
}

const OPS = [
  'opportunity.create',
  'opportunity.edit',
  'opportunity.edit',
  'opportunity.reparent',
  'opportunity.delete',
  'role.create',
  'role.edit',
  'role.reparent',
  'role.delete',
  'custom.create',
  'custom.edit',
  'custom.reparent',
  'custom.delete',
  'contact.merge',
  'lead.convertWithDeal',
  'owner.change',
  'user.edit',
  'user.create',
  'account.delete',
] as const;
type Op = (typeof OPS)[number];

/** The objects switched on for the soak: opportunities, roles, users (with Account: account types), one custom object. */
export function enableSoakObjects(settings: SyncSettings): void {
  for (const o of ['Opportunity', 'OpportunityContactRole', 'User'] as const)
    settings.objects[o]!.enabled = true;
  const pull = (salesforceField: string, marketoField: string) => ({
    salesforceField,
    marketoField,
    direction: 'pull' as const,
  });
  settings.objects[SOAK_CUSTOM_OBJECT] = {
    enabled: true,
    conflictWinner: 'salesforce',
    fields: [
      pull('Product__c', 'productName'),
      pull('Status__c', 'status'),
      pull('Start_Date__c', 'startDate'),
    ],
  };
  settings.customObjects = {
    ...settings.customObjects,
    [SOAK_CUSTOM_OBJECT]: { marketoObject: 'subscription_c', linkFields: ['Contact__c', 'Lead__c'] },
  };
}

/** Up to five object actions for one soak round. */
export function drawObjectActions(rng: () => number): ObjectAction[] {
  const int = (n: number) => Math.floor(rng() * n);
  return Array.from({ length: int(6) }, () => ({
    kind: 'object' as const,
    op: int(OPS.length),
    record: int(1e9),
    target: int(1e9),
    value: int(1e3),
  }));
}

export function applyObjectAction(emu: Emulator, settings: SyncSettings, a: ObjectAction): string {
  const op: Op = OPS[a.op % OPS.length]!;
  const scene = sceneOf(emu, settings, a, SOAK_CUSTOM_OBJECT);
  return /^(opportunity|role|account)\./.test(op)
    ? applyDealAction(op, scene)
    : applyPeopleAction(op, scene, SOAK_CUSTOM_OBJECT);
}

/** A deal for a world seeded empty (the property test): an opportunity with two roles, two records. */
export function seedObjects(emu: Emulator, account: string, contacts: string[], leads: string[]): void {
  const c = emu.control;
  const { id: opportunity } = c.sfCreate({
    object: 'Opportunity',
    fields: { Name: 'Acme expansion', AccountId: account, StageName: 'Prospecting', CloseDate: '2026-12-31' },
  });
  for (const [n, ContactId] of contacts.entries())
    c.sfCreate({
      object: 'OpportunityContactRole',
      fields: {
        OpportunityId: opportunity,
        ContactId,
        Role: n ? 'Evaluator' : 'Decision Maker',
        IsPrimary: !n,
      },
    });
  c.sfCreate({
    object: SOAK_CUSTOM_OBJECT,
    fields: { Name: 'S1', Contact__c: contacts[0], Product__c: 'Support' },
  });
  c.sfCreate({ object: SOAK_CUSTOM_OBJECT, fields: { Name: 'S2', Lead__c: leads[0], Status__c: 'Trial' } });
}
