// Records Reconcile compares again in the next cycle. A record whose sides differ but that changed
// on either side during the check's own cycle is not called drifted (reconcileCompare.ts: the feeds
// may still bring that change). Left for the next daily check, a real drift on another field of it
// would be shown Synced for a day; so it is compared again as soon as the next cycle, by id
// (one Salesforce query and one Marketo call for up to 300 records), until it agrees, drifts and is
// repaired, or is no longer linked. Kept per object in a cursor written with each batch.
import type { StepContext } from '../context';
import { reconcileKeys } from '../reconcileSchedule';

/** SOQL `Id IN (…)` lists stay well under the query length limit (18-character ids). */
export const RECHECK_IDS_PER_QUERY = 500;

export class Rechecks {
  private readonly ids = new Map<string, Set<string>>();

  /** Loads the stored lists of the objects this run compares. */
  static async load(ctx: StepContext, sobjects: string[]): Promise<Rechecks> {
    const rechecks = new Rechecks();
    for (const sobject of sobjects) {
      const stored = (await ctx.db.cursors.get(reconcileKeys.recheck(sobject)))?.value;
      rechecks.ids.set(sobject, new Set(stored ? (JSON.parse(stored) as string[]) : []));
    }
    return rechecks;
  }

  /** The ids waiting for `sobject`. */
  of(sobject: string): string[] {
    return [...(this.ids.get(sobject) ?? [])];
  }

  /** A record was compared: it waits again only if it was changed during this cycle again. */
  compared(sobject: string, id: string, changedDuringCycle: boolean): void {
    const ids = this.ids.get(sobject)!;
    if (changedDuringCycle) ids.add(id);
    else ids.delete(id);
  }

  /** Ids asked for that came back not comparable (deleted, unlinked, excluded): nothing to wait for. */
  dropped(sobject: string, ids: Iterable<string>): void {
    for (const id of ids) this.ids.get(sobject)!.delete(id);
  }

  /** The cursors to commit with a batch. */
  cursors(): { key: string; value: string | null }[] {
    return [...this.ids].map(([sobject, ids]) => ({
      key: reconcileKeys.recheck(sobject),
      value: ids.size ? JSON.stringify([...ids]) : null,
    }));
  }
}
