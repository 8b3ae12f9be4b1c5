// Pull Updates for the objects of issue 19 (objectPull.ts reads and commits; each object's writer
// says what to write): users first — before the persons, whose owners they are, and before the
// opportunities, which Marketo refuses to link to an unknown sales person (718) — then account
// types (the companies opportunities name), opportunities, and their contact roles last (a role
// needs its opportunity and its contact's person).
import type { OperationModule } from '../../plan';
import { accountTypePull } from './accountTypes';
import { pullObject } from './objectPull';
import { opportunityPull } from './opportunities';
import { rolePull } from './roles';
import { objectSteps } from './steps';
import { userPull } from './users';

export const pullUsers: OperationModule = {
  operation: 'Pull Updates',
  steps: (scope) => objectSteps('Pull Updates', scope, ['User']),
  run: async (ctx) => pullObject(ctx, await userPull(ctx)),
};

export const pullSalesObjects: OperationModule = {
  operation: 'Pull Updates',
  steps: (scope) =>
    objectSteps('Pull Updates', scope, ['AccountType', 'Opportunity', 'OpportunityContactRole']),
  async run(ctx) {
    const { objectType } = ctx.step;
    const spec =
      objectType === 'Account Type'
        ? await accountTypePull(ctx)
        : objectType === 'Opportunity'
          ? await opportunityPull(ctx)
          : rolePull(ctx);
    if (spec) await pullObject(ctx, spec);
  },
};
