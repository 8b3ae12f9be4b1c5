// The cycle's plan: which step (operation × object type) runs, in the order of design §5. Each
// operation is a module that says which objects it handles under the current settings; adding an
// operation (Sync to Program, Update Activities…) or an object (Opportunity, custom objects…) is a
// new module or a longer `objects()` list, never a change to the runner.
import { type ObjectType, OPERATIONS, type Operation } from '../db/types';
import type { SyncSettings } from '../settings/schema';
import type { StepContext } from './context';

/**
 * Design §5: Sync Schema → Pull Deletes → Pull Updates → Pull Conversions → Update FKs → Push
 * Updates → Push New → … — the order the operations are listed in lib/db/types.ts.
 */
export const OPERATION_ORDER: readonly Operation[] = OPERATIONS;

/** One step of a plan: the dashboard's object type plus the Salesforce object behind it. */
export interface PlannedStep {
  operation: Operation;
  objectType: ObjectType;
  /** Salesforce API name ('Lead' for the dashboard's "Person"). */
  sobject: string;
}

export interface PlanScope {
  settings: SyncSettings;
  /** Set for a one-record cycle: only steps that can touch this record. */
  record?: { sobject: string; id: string };
  /** Reconcile runs in this cycle: asked for ('now'), or some object is due ('due'). */
  reconcile?: 'due' | 'now';
}

export interface OperationModule {
  operation: Operation;
  /** The steps this operation contributes, in their order within the operation. */
  steps(scope: PlanScope): PlannedStep[];
  run(step: StepContext): Promise<void>;
}

/** Dashboard object type of a Salesforce object. */
export function objectTypeOf(sobject: string): ObjectType {
  switch (sobject) {
    case 'Lead':
      return 'Person';
    case 'Contact':
    case 'Account':
    case 'Task':
    case 'Event':
    case 'Campaign':
    case 'Opportunity':
    case 'User':
      return sobject;
    case 'OpportunityContactRole':
      return 'Opportunity Contact Role';
    case 'CampaignMember':
      return 'Campaign Member';
    case 'CampaignMemberStatus':
      return 'Campaign Member Status';
    case 'EmailTemplate':
      return 'Email Template';
    default:
      return 'Custom Objects';
  }
}

export function buildPlan(
  modules: readonly OperationModule[],
  scope: PlanScope,
): { step: PlannedStep; module: OperationModule }[] {
  const plan: { step: PlannedStep; module: OperationModule }[] = [];
  // An operation may have several modules (persons, campaigns…): their steps run in module order.
  for (const operation of OPERATION_ORDER) {
    for (const module of modules) {
      if (module.operation !== operation) continue;
      for (const step of module.steps(scope)) plan.push({ step, module });
    }
  }
  return plan;
}

/** The enabled objects among `candidates`, in the candidates' order (the plan's object order). */
export function enabledObjects(scope: PlanScope, candidates: readonly string[]): string[] {
  return candidates.filter(
    (name) =>
      (scope.settings.objects[name]?.enabled ?? false) && (!scope.record || scope.record.sobject === name),
  );
}
