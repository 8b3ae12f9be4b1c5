// Every operation module: the plan orders them by operation (plan.ts), and an operation's modules
// in this order. A new
// operation (Sync to Program, Update Activities…) is one more entry here.
import type { OperationModule } from '../plan';
import { followTasks } from './activities/followTasks';
import { pullActivityUpdates } from './activities/pullActivities';
import { updateActivities } from './activities/updateActivities';
import { pushNewEmailTemplates } from './emailTemplates/pushNew';
import { pushUpdateEmailTemplates } from './emailTemplates/pushUpdates';
import {
  customObjectFks,
  customObjectSchema,
  pullCustomDeletes,
  pullCustomObjects,
} from './objects/customSteps';
import { pullSalesDeletes } from './objects/deleteStep';
import { salesObjectFks } from './objects/fkStep';
import { pullSalesObjects, pullUsers } from './objects/pullStep';
import { salesObjectSchema } from './objects/schemaStep';
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
  // Users become sales persons before the persons they own are pulled (issue 19, objects/).
  pullUsers,
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
  // Opportunities, contact roles, users, account types (issue 19; docs/objects.md).
  salesObjectSchema,
  pullSalesDeletes,
  pullSalesObjects,
  salesObjectFks,
  // Custom objects, each a step per operation, after the sales objects.
  customObjectSchema,
  pullCustomDeletes,
  pullCustomObjects,
  customObjectFks,
  // Email templates from Marketo emails (issue 20; docs/email-templates.md).
  pushUpdateEmailTemplates,
  pushNewEmailTemplates,
  // Tasks and Events → Marketo activities (issue 20; docs/activities.md).
  pullActivityUpdates,
  followTasks,
  updateActivities,
];
