// Sync Schema for Opportunity, Opportunity Contact Role and User (issue 19): the Salesforce describe
// as the sync user (like the persons', syncSchema.ts: reused while fresh, re-read on manual cycles)
// and the describe of the Marketo object it writes (opportunities, opportunity roles, sales
// persons). With Marketo's own CRM sync on, the opportunity role describe answers 1018: the step
// Fails with the plain reason (failureReason.ts) instead of the pulls failing later. Mapped fields
// either side lacks are logged, as for persons.
import type { MarketoCrmObject } from '../../../marketo';
import type { StepContext } from '../../context';
import { resolveMapping } from '../../mapping';
import type { OperationModule } from '../../plan';
import { SCHEMA_MAX_AGE_MS } from '../syncSchema';
import { objectSteps } from './steps';

function targetOf(ctx: StepContext): MarketoCrmObject {
  const { objectType } = ctx.step;
  if (objectType === 'Opportunity') return ctx.marketo.opportunities;
  if (objectType === 'Opportunity Contact Role') return ctx.marketo.opportunityRoles;
  return ctx.marketo.salesPersons;
}

export const salesObjectSchema: OperationModule = {
  operation: 'Sync Schema',
  steps: (scope) => objectSteps('Sync Schema', scope, ['Opportunity', 'OpportunityContactRole', 'User']),
  async run(ctx) {
    const { sobject } = ctx.step;
    const now = ctx.clock.now();
    const stale = (checkedAt: number | undefined) =>
      checkedAt === undefined || now - checkedAt >= SCHEMA_MAX_AGE_MS || ctx.notes.trigger === 'manual';
    const target = targetOf(ctx);
    let salesforce = await ctx.schema.stored(sobject);
    if (stale(salesforce?.checkedAt)) {
      ctx.budget.check();
      salesforce = await ctx.schema.refreshSalesforce(sobject);
    }
    let marketo = await ctx.schema.stored(`Marketo:${target.path}`);
    if (stale(marketo?.checkedAt)) {
      ctx.budget.check();
      marketo = await ctx.schema.refreshMarketoObject(target.path, () => target.describe());
    }
    if (!salesforce || !marketo) return;
    for (const issue of resolveMapping(ctx.settings.objects[sobject], salesforce, marketo).issues)
      ctx.log(`Sync Schema ${sobject}.${issue.field}: ${issue.reason}`);
  },
};
