import { liveQuery } from 'dexie';
import type { LogDatabase } from '../lib/db/logPort';
import { loadStepRecords, type StepRecords } from '../lib/db/stepRecords';
import { readStepsWindow, type StepsWindow, type StepsWindowQuery } from '../lib/db/stepsWindow';
import type { SendMessage } from '../lib/messaging/client';
import { watchItem } from './storage/plainItem';
import { syncStateItem } from './storage/published';

// Where the popup's and the dashboard's step table read the log (issue 21, docs/service-mode.md):
// this browser's IndexedDB, live through Dexie's liveQuery, or — when the cycles run in a service —
// the background, which reads the service's status API with the token the page never sees, asked
// again every few seconds. The table's components take a StepsSource and do not know which.

/** Subscribes a query to the log's changes: its answers (or errors) go to the observer. */
export type LiveSubscribe = <T>(
  query: () => Promise<T>,
  observer: { next(value: T): void; error(error: unknown): void },
) => { unsubscribe(): void };

export interface StepsSource {
  window(query: StepsWindowQuery): Promise<StepsWindow>;
  records(query: { stepId: number; limit: number }): Promise<StepRecords>;
  live: LiveSubscribe;
}

export const dexieLive: LiveSubscribe = (query, observer) => liveQuery(query).subscribe(observer);

export const localSteps = (db: LogDatabase): StepsSource => ({
  window: (query) => readStepsWindow(db, query),
  records: ({ stepId, limit }) => loadStepRecords(db, stepId, limit),
  live: dexieLive,
});

/**
 * The service's log through the background, asked again as `live` says. A running step's Ended-At
 * key arrives as null (JSON); the table shows `endedAt`, never the key, so the rows are used as
 * they come.
 */
export const serviceSteps = (send: SendMessage, live: LiveSubscribe): StepsSource => ({
  window: (query) => send('getStepsWindow', query) as Promise<StepsWindow>,
  records: (query) => send('getStepRecords', query),
  live,
});

/**
 * The popup's way to follow the service: its header asks for the sync state every 5 s
 * (useBackground), and the background publishes each state the service answered, read-time
 * stamped (syncStateItem): the query runs again with each.
 */
export const onPublishedState: LiveSubscribe = (query, observer) => {
  const ask = () => void query().then(observer.next, observer.error);
  ask();
  return { unsubscribe: watchItem(syncStateItem, ask) };
};
