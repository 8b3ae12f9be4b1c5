// Sync Schema for Campaign, Campaign Member and Campaign Member Status (issue 17): the same
// describe as for persons (syncSchema.ts), for the objects the campaign ⇄ program sync reads and
// writes, while the Campaign object is enabled and a pair is configured.
import type { OperationModule, PlannedStep } from '../../plan';
import { syncSchema } from '../syncSchema';
import { configuredPairs } from './pairs';

export const campaignSchema: OperationModule = {
  operation: 'Sync Schema',
  steps: (scope) => {
    if (configuredPairs(scope.settings).length === 0 || scope.record) return [];
    const steps: PlannedStep[] = [
      { operation: 'Sync Schema', objectType: 'Campaign', sobject: 'Campaign' },
      { operation: 'Sync Schema', objectType: 'Campaign Member', sobject: 'CampaignMember' },
      { operation: 'Sync Schema', objectType: 'Campaign Member Status', sobject: 'CampaignMemberStatus' },
    ];
    return steps;
  },
  run: (ctx) => syncSchema.run(ctx),
};
