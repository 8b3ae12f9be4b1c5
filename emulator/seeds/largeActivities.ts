// Tasks and Events in bulk (the `large` seed's activities, for scale tests and the bench): N Tasks
// and M Events on the org's live leads and contacts, round robin, all stamped in ONE second (an
// import, as design §4.1 expects: thousands of rows sharing one SystemModstamp). Built straight
// into the store, like large.ts, so tens of thousands take well under a second.
import type { SalesforceOrg } from '../salesforce/org';

export interface ActivitySeed {
  tasks?: number;
  events?: number;
  /** The Type of every row (default Call for Tasks, Meeting for Events). */
  taskType?: string;
  eventType?: string;
  /** Their persons: these ids, else every live, unconverted lead and contact. */
  whoIds?: string[];
  /** CreatedDate and SystemModstamp of every row (default: now, to the second). */
  at?: number;
}

export function seedActivities(
  org: SalesforceOrg,
  seed: ActivitySeed,
): { tasks: string[]; events: string[] } {
  const { store } = org;
  const at = seed.at ?? store.now();
  const owner = org.principals.standardUserId;
  const who =
    seed.whoIds ??
    ['Lead', 'Contact'].flatMap((o) =>
      [...store.table(o).records.values()]
        .filter((r) => r.IsDeleted !== true && r.IsConverted !== true)
        .map((r) => r.Id as string),
    );
  if (who.length === 0) throw new Error('No lead or contact to relate the activities to');
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const tasks = Array.from({ length: seed.tasks ?? 0 }, (_, i) =>
    String(
      store.insert(
        'Task',
        {
          Subject: `Call ${i + 1}`,
          Status: i % 3 === 0 ? 'Completed' : 'Not Started',
          Priority: 'Normal',
          Type: seed.taskType ?? 'Call',
          WhoId: who[i % who.length]!,
          ActivityDate: day(at + (i % 14) * 86_400_000),
          OwnerId: owner,
        },
        owner,
        at,
      ).Id,
    ),
  );
  const events = Array.from({ length: seed.events ?? 0 }, (_, i) => {
    const start = at + (1 + (i % 10)) * 86_400_000;
    return String(
      store.insert(
        'Event',
        {
          Subject: `Meeting ${i + 1}`,
          Type: seed.eventType ?? 'Meeting',
          StartDateTime: start,
          EndDateTime: start + 1_800_000,
          ActivityDateTime: start,
          ActivityDate: day(start),
          DurationInMinutes: 30,
          WhoId: who[i % who.length]!,
          OwnerId: owner,
        },
        owner,
        at,
      ).Id,
    );
  });
  return { tasks, events };
}
