// Every operation module: the plan orders them by operation (plan.ts), and an operation's modules
// in this order. A new
// operation (Sync to Program, Update Activities…) is one more entry here.
import type { OperationModule } from '../plan';
import { campaignSchema } from './programs/campaignSchema';
import { initLinkToProgram } from './programs/initLink';
import { pullCampaigns } from './programs/pullCampaigns';
import { pullCampaignDeletes } from './programs/pullDeletes';
import { pullCampaignMembers } from './programs/pullMembers';
import { pushCampaignCosts } from './programs/pushCosts';
import { syncToProgram } from './programs/syncToProgram';
import { pullConversions } from './pullConversions';
import { pullDeletes } from './pullDeletes';
import { pullUpdates } from './pullUpdates';
import { pushNew } from './pushNew';
import { pushUpdates } from './pushUpdates';
import { reconcile } from './reconcile';
import { syncSchema } from './syncSchema';
import { updateFks } from './updateFks';

export const OPERATION_MODULES: readonly OperationModule[] = [
  syncSchema,
  pullDeletes,
  pullUpdates,
  pullConversions,
  updateFks,
  pushUpdates,
  pushNew,
  reconcile,
  // Campaign ⇄ program (issue 17); each runs after the person module of its operation.
  campaignSchema,
  pullCampaignDeletes,
  pullCampaigns,
  pullCampaignMembers,
  pushCampaignCosts,
  syncToProgram,
  initLinkToProgram,
];
