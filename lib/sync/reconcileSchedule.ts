// When Reconcile runs and how much of the API it may spend (design §10). Reconcile reads every
// linked record on both sides, so it runs on its own interval (settings.reconcile.intervalHours,
// daily by default) inside an ordinary cycle, and spends per day at most a share of the sync's
// daily API allowance (settings.reconcile.maxApiShare of settings.apiBudget, per side). A check
// that needs more stops where it got to (its progress cursor) and goes on the next day.
import type { LogDatabase } from '../db/logPort';
import type { SyncSettings } from '../settings/schema';
import { BudgetSpentError } from './budget';

/** The objects Reconcile compares (their persons); Account fields ride along with contacts. */
export const RECONCILED_OBJECTS = ['Lead', 'Contact'] as const;

export const reconcileKeys = {
  /** Where an unfinished check of the object got to: the last Salesforce Id compared. */
  progress: (sobject: string) => `reconcile:progress:${sobject}`,
  /** When the last full check of the object started (epoch ms). */
  lastRun: (sobject: string) => `reconcile:last:${sobject}`,
  /** Calls spent today: `{ day, salesforce, marketo }` (day = UTC days since the epoch). */
  spent: 'reconcile:spent',
  /** Drifted records Pull Updates re-reads by id (JSON array of Salesforce ids). */
  repairPull: (sobject: string) => `reconcile:repair:pull:${sobject}`,
  /** Drifted persons Push Updates re-reads by id (JSON array of Marketo ids). */
  repairPush: 'reconcile:repair:push',
  /** The Reconcile step whose drifted records the queues hold: its row counts the repairs. */
  repairStep: 'reconcile:repair:step',
  /**
   * Records that differed while changed during the check's cycle (JSON array of Salesforce ids): not
   * drift yet, since that cycle's feeds may still bring the change; the next cycle compares them
   * again (reconcileRecheck.ts) rather than the next daily check.
   */
  recheck: (sobject: string) => `reconcile:recheck:${sobject}`,
};

const DAY_MS = 86_400_000;

export interface SpentToday {
  day: number;
  salesforce: number;
  marketo: number;
}

/** The calls Reconcile may spend per day on each side; undefined = not known yet (no cap). */
export function dailyCaps(
  settings: SyncSettings,
  salesforceAllowance: number | undefined,
): { salesforce: number | undefined; marketo: number } {
  const share = settings.reconcile.maxApiShare;
  return {
    salesforce:
      salesforceAllowance === undefined
        ? undefined
        : Math.floor(salesforceAllowance * settings.apiBudget.salesforceDailyShare * share),
    marketo: Math.floor(settings.apiBudget.marketoDailyCalls * share),
  };
}

export async function readSpent(db: LogDatabase, now: number): Promise<SpentToday> {
  const day = Math.floor(now / DAY_MS);
  const stored = (await db.cursors.get(reconcileKeys.spent))?.value;
  const parsed = stored ? (JSON.parse(stored) as Partial<SpentToday>) : undefined;
  if (parsed?.day === day && typeof parsed.salesforce === 'number' && typeof parsed.marketo === 'number')
    return { day, salesforce: parsed.salesforce, marketo: parsed.marketo };
  return { day, salesforce: 0, marketo: 0 };
}

/** Thrown when today's share is spent: the step ends Not Completed and goes on the next day. */
export class ReconcileShareSpentError extends BudgetSpentError {
  constructor(reason: string) {
    super(reason);
    this.message = `Reconcile's share of today's API budget is spent (${reason}); it goes on tomorrow from where it stopped`;
  }
}

export function shareSpentReason(
  spent: SpentToday,
  caps: { salesforce: number | undefined; marketo: number },
): string | undefined {
  if (caps.marketo <= 0 || (caps.salesforce !== undefined && caps.salesforce <= 0))
    return 'the allowed share is 0';
  if (caps.salesforce !== undefined && spent.salesforce >= caps.salesforce)
    return `${spent.salesforce} of ${caps.salesforce} Salesforce calls`;
  if (spent.marketo >= caps.marketo) return `${spent.marketo} of ${caps.marketo} Marketo calls`;
  return undefined;
}

/**
 * Whether a normal cycle should run Reconcile for `sobject`: an unfinished check goes on; otherwise
 * when the interval has passed since the last one. The first time it is asked, the clock starts
 * (nothing to compare before the first sync has linked anything).
 */
export async function reconcileDueFor(
  db: LogDatabase,
  settings: SyncSettings,
  sobject: string,
  now: number,
): Promise<boolean> {
  if (await db.cursors.get(reconcileKeys.progress(sobject))) return true;
  const last = await db.cursors.get(reconcileKeys.lastRun(sobject));
  if (!last) {
    await db.cursors.put({ key: reconcileKeys.lastRun(sobject), value: String(now), updatedAt: now });
    return false;
  }
  return now - Number(last.value) >= settings.reconcile.intervalHours * 3_600_000;
}

/** Whether any enabled object is due and today's share still allows a call. */
export async function reconcileDue(
  db: LogDatabase,
  settings: SyncSettings,
  now: number,
  salesforceAllowance: number | undefined,
): Promise<boolean> {
  if (shareSpentReason(await readSpent(db, now), dailyCaps(settings, salesforceAllowance))) return false;
  let due = false;
  for (const sobject of RECONCILED_OBJECTS) {
    if (!settings.objects[sobject]?.enabled) continue;
    // Every object is asked (not just until the first due one): each one's clock starts here.
    if (await reconcileDueFor(db, settings, sobject, now)) due = true;
    // Records left to compare again: a small check by id, in the very next cycle.
    if (await db.cursors.get(reconcileKeys.recheck(sobject))) due = true;
  }
  return due;
}
