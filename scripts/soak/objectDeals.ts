// The soak's deal actions (objects.ts): opportunities created, edited, moved to another account (or
// none) and deleted; contact roles created, edited, moved to another contact and deleted; accounts
// deleted (their opportunities and roles with them).
import { HOSTILE_TEXTS } from './actions';
import { at, attempt, dateFor, idOf, type Scene, STAGES, userValue } from './objectEdits';

const OPPORTUNITY_EDITS = [
  'Name',
  'StageName',
  'Amount',
  'CloseDate',
  'Probability',
  'Type',
  'LeadSource',
  'Description',
];

export function applyDealAction(op: string, s: Scene): string {
  const { emu, a } = s;
  const c = emu.control;
  const opportunity = idOf(at(s.opportunities, a.record));
  const role = idOf(at(s.roles, a.record));
  switch (op) {
    case 'opportunity.create': {
      const account = idOf(at(s.accounts, a.target));
      const name = `${HOSTILE_TEXTS[a.value % HOSTILE_TEXTS.length]!.slice(0, 60)} deal ${a.value}`;
      const fields = {
        Name: name,
        AccountId: account ?? null,
        StageName: STAGES[a.value % STAGES.length],
        CloseDate: dateFor(emu, a.value) ?? '2026-12-31',
        Amount: (a.value % 50) * 1000,
      };
      return attempt(`create opportunity "${name}" on account ${account}`, () =>
        c.sfCreate({ object: 'Opportunity', fields }),
      );
    }
    case 'opportunity.edit': {
      if (!opportunity) return 'opportunity.edit: none';
      const field = at(OPPORTUNITY_EDITS, a.target)!;
      const value =
        field === 'StageName'
          ? STAGES[a.value % STAGES.length]
          : userValue(emu, 'Opportunity', field, a.value, c.sfGet({ id: opportunity })?.[field]);
      return attempt(`opportunity ${opportunity}.${field} = ${JSON.stringify(value)}`, () =>
        c.sfUpdate({ id: opportunity, fields: { [field]: value } }),
      );
    }
    case 'opportunity.reparent': {
      if (!opportunity) return 'opportunity.reparent: none';
      // Now and then the opportunity loses its account instead.
      const to = a.value % 5 === 0 ? null : (idOf(at(s.accounts, a.target)) ?? null);
      return attempt(`opportunity ${opportunity} moves to account ${to}`, () =>
        c.sfUpdate({ id: opportunity, fields: { AccountId: to } }),
      );
    }
    case 'opportunity.delete':
      if (!opportunity) return 'opportunity.delete: none';
      return attempt(`delete opportunity ${opportunity} (its roles with it)`, () =>
        c.sfDelete({ id: opportunity }),
      );
    case 'role.create': {
      const contact = idOf(at(s.contacts, a.target));
      if (!opportunity || !contact) return 'role.create: no opportunity or contact';
      const fields = {
        OpportunityId: opportunity,
        ContactId: contact,
        Role: userValue(emu, 'OpportunityContactRole', 'Role', a.value, null),
        IsPrimary: a.value % 3 === 0,
      };
      return attempt(`role ${JSON.stringify(fields)}`, () =>
        c.sfCreate({ object: 'OpportunityContactRole', fields }),
      );
    }
    case 'role.edit': {
      if (!role) return 'role.edit: none';
      const fields =
        a.target % 2 === 0
          ? { Role: userValue(emu, 'OpportunityContactRole', 'Role', a.value, null) }
          : { IsPrimary: a.value % 2 === 0 };
      return attempt(`role ${role} = ${JSON.stringify(fields)}`, () => c.sfUpdate({ id: role, fields }));
    }
    case 'role.reparent': {
      const contact = idOf(at(s.contacts, a.target));
      if (!role || !contact) return 'role.reparent: none';
      return attempt(`role ${role} moves to contact ${contact}`, () =>
        c.sfUpdate({ id: role, fields: { ContactId: contact } }),
      );
    }
    case 'role.delete':
      if (!role) return 'role.delete: none';
      return attempt(`delete role ${role}`, () => c.sfDelete({ id: role }));
    case 'account.delete': {
      const account = idOf(at(s.accounts, a.record));
      if (!account) return 'account.delete: none';
      return attempt(`delete account ${account} (its opportunities with it)`, () =>
        c.sfDelete({ id: account }),
      );
    }
    default:
      throw new Error(`not a deal action: ${op}`);
  }
}
