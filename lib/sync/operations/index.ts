// Every operation module, in no particular order: the plan orders them (plan.ts). A new
// operation (Sync to Program, Update Activities…) is one more entry here.
import type { OperationModule } from '../plan';
import { pullUpdates } from './pullUpdates';
import { syncSchema } from './syncSchema';

export const OPERATION_MODULES: readonly OperationModule[] = [syncSchema, pullUpdates];
