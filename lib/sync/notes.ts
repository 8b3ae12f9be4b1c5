// What the steps of one cycle tell each other (design §10: "no step decides for another that there
// is nothing to do"). Every field names who writes it and who reads it, so a dependency between
// steps is visible here and in the types. Nothing here outlives the cycle: a step's own backlog
// lives in its cursors (lib/sync/cursors.ts), never only in a note.
import type { Operation } from '../db/types';
import type { FailingIds } from '../db/writeBatch';
import type { MarketoActivity } from '../marketo';
import type { ObjectChanges } from './changes';
import type { LinkFields } from './linkage';
import type { EmailScan } from './operations/emailTemplates/scan';
import type { ReplayNote } from './replay';

export interface CycleNotes {
  /** Written by the engine; read by Sync Schema (a manual cycle re-describes). */
  readonly trigger: 'schedule' | 'manual' | 'record';
  /** Written by the engine; read by the change probe (changes.ts): targets probed in one call (probeTargets.ts). */
  readonly probeObjects: readonly string[];
  /** Written by the engine (its options); read by every step that resolves link fields. */
  readonly linkFields: LinkFields | undefined;
  /** Written by the engine; read by Reconcile: 'now' = asked for, 'due' = only objects that are due. */
  readonly reconcile: 'due' | 'now' | undefined;
  /**
   * Written by the engine from the request ("Retry these now", lib/sync/retryNow.ts); read by the
   * steps that retry failed records (retryPause.ts): per operation, the records to retry now.
   */
  readonly retryNow: ReadonlyMap<Operation, readonly string[]> | undefined;
  /**
   * Written by the engine (a replay request: the record); Push Updates in replay mode writes its
   * result (pushReplay.ts); read by the engine, which reports it (Replay as the sync user).
   */
  readonly replay: ReplayNote | undefined;
  /** Written and read by the batch commit (context.ts): failing record ids, cached per cycle. */
  readonly failingIds: FailingIds;
  /** Written by the first step that asks (changes.ts); read by the pulls: the one probe call. */
  salesforceChanges?: Promise<Map<string, ObjectChanges>>;
  /** Written by Sync Schema: Marketo's lead describe was refreshed this cycle (once for all). */
  marketoSchemaRead: boolean;
  /** Written by Pull Updates (lead pages); read by Pull Updates (contact pages): contact → person. */
  readonly convertedPersons: Map<string, number>;
  /** Written by Pull Updates (lead pages); read by Pull Updates (contacts): contact → lead never synced. */
  readonly convertedLeads: Map<string, string>;
  /** Written by Pull Updates; read by Push Updates: persons whose failed push must be re-checked. */
  readonly pushRecheck: number[];
  /**
   * Written by Pull Updates Campaign Member in a pair's Sync now (a one-record cycle, which moves no
   * position): the members it pulled, with the SystemModstamp it read. Read by Sync to Program, which
   * holds back a member changed after the pull position only when its change is still to pull.
   */
  membersPulled?: Map<string, string>;
  /** Written by whichever Marketo feed step starts first without a token; read by the other. */
  firstToken?: Promise<string>;
  /**
   * Written by the Push Updates step that read the feed (Lead's, or Contact's when it read for
   * itself: lib/sync/operations/pushFeed.ts) to its end, WITH the Task activity types, from
   * token `from`: each page's start and next token and the Task-type activities on it. Read by Push
   * New, which takes these pages instead of its own feed call only when its own stored token is that
   * same `from` (any other token is a backlog of its own, which it reads itself).
   */
  taskFeed?: TaskFeedRead;
  /**
   * Written by Push Updates Lead when Push Updates Contact runs after it: where its feed read
   * started, and the contact persons' changes of each page it read (lib/sync/operations/pushFeed.ts).
   * Read by Push Updates Contact, which takes the pages instead of reading the feed again when its
   * own position is `from`.
   */
  contactFeed?: ContactFeedRead;
  /** Written by the first email template step (operations/emailTemplates/scan.ts); read by both. */
  emailScan?: Promise<EmailScan | null>;
  /**
   * Written by the Push Updates step that read the feed to its end with Merge Leads among its types
   * (pushFeed.ts, while Push Updates Task runs): where the read started and ended and the merges it
   * saw. Read by Push Updates Task (operations/activities/followTasks.ts), which takes them when its
   * own token is `from` and else reads its backlog itself.
   */
  mergeFeed?: MergeFeedRead;
}

/** Merges Push Updates read, as it hands them to Push Updates Task. */
export interface MergeFeedRead {
  from: string;
  to: string;
  merges: MarketoActivity[];
}

/** Push Updates Lead's read of the feed, as it hands the contacts' part to Push Updates Contact. */
export interface ContactFeedRead {
  from: string;
  /** Absent when the read did not reach the feed's end or saw too many contact changes to keep. */
  pages?: { next: string; changes: PersonChanges }[];
}

/** Per Marketo person, by Marketo field: the newest value read, and the value before the first change. */
export interface PersonChanges {
  values: Map<number, Record<string, unknown>>;
  /** "Old Value" of each field's first change read (a threshold's baseline when none is synced). */
  before: Map<number, Record<string, unknown>>;
}

/** A read of the activity feed, as Push Updates hands it to Push New (lib/sync/notes.ts taskFeed). */
export interface TaskFeedRead {
  from: string;
  pages: { from: string; next: string; activities: MarketoActivity[] }[];
}

export function newCycleNotes(init: {
  trigger: CycleNotes['trigger'];
  probeObjects: readonly string[];
  linkFields: LinkFields | undefined;
  reconcile?: 'due' | 'now' | undefined;
  retryNow?: ReadonlyMap<Operation, readonly string[]>;
  replay?: ReplayNote;
}): CycleNotes {
  return {
    ...init,
    reconcile: init.reconcile,
    retryNow: init.retryNow,
    replay: init.replay,
    failingIds: {},
    marketoSchemaRead: false,
    convertedPersons: new Map(),
    convertedLeads: new Map(),
    pushRecheck: [],
  };
}
