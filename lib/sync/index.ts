// lib/sync: the engine. The background and the CLI use createSyncEngine; the rest is internal.
export {
  type CycleReport,
  type CycleRequest,
  createSyncEngine,
  type SyncEngine,
  type SyncEngineDeps,
} from './engine';
export { acquireLease, releaseLease, renewLease } from './lease';
export type { LinkFields } from './linkage';
