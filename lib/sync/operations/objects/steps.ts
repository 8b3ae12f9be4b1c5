// Which steps the objects of issue 19 contribute (one module per operation: schemaStep.ts,
// pullStep.ts, deleteStep.ts, fkStep.ts), in the plan's object order. Whole cycles only: Sync now
// on a record handles persons, accounts and campaign pairs (engine.ts RECORD_OBJECTS).
import type { Operation } from '../../../db/types';
import type { PlannedStep, PlanScope } from '../../plan';
import { accountTypeEnabled } from '../../probeTargets';

type Candidate = 'Opportunity' | 'OpportunityContactRole' | 'User' | 'AccountType';

const TYPES: Record<Candidate, PlannedStep['objectType']> = {
  Opportunity: 'Opportunity',
  OpportunityContactRole: 'Opportunity Contact Role',
  User: 'User',
  AccountType: 'Account Type',
};

const enabled = (scope: PlanScope, name: Candidate) =>
  name === 'AccountType' ? accountTypeEnabled(scope.settings) : !!scope.settings.objects[name]?.enabled;

/** The steps of `operation` for those of `candidates` that run under the settings, in that order. */
export function objectSteps(
  operation: Operation,
  scope: PlanScope,
  candidates: readonly Candidate[],
): PlannedStep[] {
  if (scope.record) return [];
  return candidates
    .filter((name) => enabled(scope, name))
    .map((name) => ({
      operation,
      objectType: TYPES[name],
      sobject: name === 'AccountType' ? 'Account' : name,
    }));
}

/** The custom objects that sync: switched on, with a Marketo object and a link field (settings). */
export function customObjectNames(settings: PlanScope['settings']): string[] {
  return Object.keys(settings.customObjects ?? {}).filter(
    (name) => settings.objects[name]?.enabled && (settings.customObjects[name]?.linkFields.length ?? 0) > 0,
  );
}

/** One step of `operation` per custom object that syncs (object type "Custom Objects"). */
export function customSteps(operation: Operation, scope: PlanScope): PlannedStep[] {
  if (scope.record) return [];
  return customObjectNames(scope.settings).map((sobject) => ({
    operation,
    objectType: 'Custom Objects',
    sobject,
  }));
}
