// Every operation module, in no particular order: the plan orders them (plan.ts). A new
// operation (Sync to Program, Update Activities…) is one more entry here.
import type { OperationModule } from '../plan';
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
];
