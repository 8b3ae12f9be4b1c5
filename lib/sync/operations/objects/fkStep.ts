// Update FKs for the objects of issue 19 (design §2: re-resolve foreign keys when the parent
// changes without the child's own SystemModstamp moving — a child whose stamp moves is re-written
// by its Pull Updates, which re-reads every link):
// - Opportunity → account: an opportunity that outlives its deleted account (Salesforce deletes them
//   together; an org where that did not run) has its company link cleared. The accounts come from
//   `fk:opportunity-accounts`, written by Pull Deletes Account with its deletions (pullDeletes.ts).
// - Opportunity Contact Role → the contact's person: when a person was relinked this cycle (a lead
//   converted into the contact, persons merged) or the step resumes, the roles whose contact now has
//   another Marketo person are read again and written (roles.ts moves a role whose key changed).
// - User → sales person: users that became sales persons after persons were synced (`fk:salespersons`,
//   written by Pull Updates User): the persons and opportunities they own are linked to them.
import type { OperationModule } from '../../plan';
import { clearDeletedAccounts } from './fkAccounts';
import { relinkOwners } from './fkOwners';
import { relinkRoles } from './fkRoles';
import { objectSteps } from './steps';

export const salesObjectFks: OperationModule = {
  operation: 'Update FKs',
  steps: (scope) => objectSteps('Update FKs', scope, ['Opportunity', 'OpportunityContactRole', 'User']),
  async run(ctx) {
    if (ctx.step.objectType === 'Opportunity') await clearDeletedAccounts(ctx);
    else if (ctx.step.objectType === 'Opportunity Contact Role') await relinkRoles(ctx);
    else await relinkOwners(ctx);
  },
};
