// The admin's daily API budgets (options "API budget"), enforced across cycles and worker restarts.
// Salesforce's allowance is a rolling 24-hour window of the org's DailyApiRequests (the Max that
// every REST response reports in Sforce-Limit-Info, lib/salesforce/limits.ts); our share of it is
// counted in hour buckets, so calls fall out of the window an hour at a time. Marketo's quota
// resets at 00:00 US Central (lib/marketo/rateLimiter.ts), so its count is per Central day.
// The counts live in the log (a cursors row) and are written with every batch commit, so a stopped
// worker loses none of them.
import { z } from 'zod';
import type { LogDatabase } from '../db/logPort';
import { marketoQuotaDay } from '../marketo/rateLimiter';

export const DAILY_USAGE_KEY = 'usage:daily';
/**
 * How every daily-budget reason starts: the failure reason (failureReason.ts) and the notifications
 * (lib/scheduler/notifications.ts) tell a spent daily budget from a cycle's own budget by it, also
 * in cycle rows written before (only the text is stored).
 */
export const DAILY_BUDGET_SPENT = "Today's ";

/** Whether a cycle's or step's error is a spent daily budget. */
export const isDailyBudgetSpent = (error: string | undefined): boolean =>
  error?.startsWith(DAILY_BUDGET_SPENT) ?? false;
const HOUR = 3_600_000;

const usageSchema = z.object({
  /** Hour (epoch ms / 3,600,000) → Salesforce calls the sync made in it. */
  salesforceHours: z.record(z.string(), z.number().int().nonnegative()).default({}),
  /** The org's daily allowance as last reported by Salesforce. */
  salesforceMax: z.number().int().positive().optional(),
  marketoDay: z.string().default(''),
  marketoCalls: z.number().int().nonnegative().default(0),
});
export type DailyUsage = z.output<typeof usageSchema>;

export async function readDailyUsage(db: LogDatabase): Promise<DailyUsage> {
  const row = await db.cursors.get(DAILY_USAGE_KEY);
  let stored: unknown = {};
  try {
    stored = row ? JSON.parse(row.value) : {};
  } catch {
    // Unreadable text: treated like a row of the wrong shape below.
  }
  const parsed = usageSchema.safeParse(stored);
  // A row this code cannot read counts as no usage: the budget then errs on spending, and the
  // next commit rewrites the row whole.
  return parsed.success ? parsed.data : usageSchema.parse({});
}

export type ApiSide = 'salesforce' | 'marketo';

export interface DailyBudgetSettings {
  salesforceDailyShare: number;
  marketoDailyCalls: number;
}

/** Calls against the extension's daily allocation (apiBudget), per side. */
export interface AllocationUse {
  /** Absent until Salesforce has reported the org's allowance (`max`). */
  salesforce?: { used: number; cap: number; max: number };
  marketo: { used: number; cap: number };
}

/** Today's budgets given the usage before this cycle; `spent` is this cycle's calls so far. */
export class DailyBudget {
  constructor(
    private readonly before: DailyUsage,
    private readonly settings: DailyBudgetSettings,
    /** The org's allowance as the latest Salesforce response reported it, if any did. */
    private readonly salesforceMax: () => number | undefined,
    private readonly now: () => number,
  ) {}

  private salesforceBefore(now: number): number {
    const firstHour = Math.floor(now / HOUR) - 23;
    let calls = 0;
    for (const [hour, n] of Object.entries(this.before.salesforceHours))
      if (Number(hour) >= firstHour) calls += n;
    return calls;
  }

  private marketoBefore(now: number): number {
    return this.before.marketoDay === marketoQuotaDay(now) ? this.before.marketoCalls : 0;
  }

  /**
   * Each side's calls against its allocation, as of now with `spent` more: Salesforce's only once
   * its allowance is known (the first response reports it).
   */
  allocation(spent: { salesforce: number; marketo: number }): AllocationUse {
    const now = this.now();
    const max = this.salesforceMax() ?? this.before.salesforceMax;
    return {
      ...(max !== undefined && {
        salesforce: {
          used: this.salesforceBefore(now) + spent.salesforce,
          cap: Math.floor(max * this.settings.salesforceDailyShare),
          max,
        },
      }),
      marketo: { used: this.marketoBefore(now) + spent.marketo, cap: this.settings.marketoDailyCalls },
    };
  }

  /** Why today's budget is spent (only `side`'s, when given), or undefined. */
  spentReason(spent: { salesforce: number; marketo: number }, side?: ApiSide): string | undefined {
    const { salesforce, marketo } = this.allocation(spent);
    if (side !== 'marketo' && salesforce && salesforce.used >= salesforce.cap)
      return `${DAILY_BUDGET_SPENT}Salesforce API budget is spent (${salesforce.used} of ${salesforce.cap} calls: ${fmtShare(this.settings.salesforceDailyShare)} of the org's ${salesforce.max} in 24 hours)`;
    if (side !== 'salesforce' && marketo.used >= marketo.cap)
      return `${DAILY_BUDGET_SPENT}Marketo API budget is spent (${marketo.used} of ${marketo.cap} calls; it resets at 00:00 US Central)`;
    return undefined;
  }

  /** The usage row after `spent` more calls, as of now (old hours dropped). */
  after(spent: { salesforce: number; marketo: number }): DailyUsage {
    const now = this.now();
    const hour = Math.floor(now / HOUR);
    const hours: Record<string, number> = {};
    for (const [h, n] of Object.entries(this.before.salesforceHours)) if (Number(h) > hour - 24) hours[h] = n;
    if (spent.salesforce > 0) hours[hour] = (hours[hour] ?? 0) + spent.salesforce;
    const max = this.salesforceMax() ?? this.before.salesforceMax;
    return {
      salesforceHours: hours,
      ...(max !== undefined && { salesforceMax: max }),
      marketoDay: marketoQuotaDay(now),
      marketoCalls: this.marketoBefore(now) + spent.marketo,
    };
  }
}

function fmtShare(share: number): string {
  return `${Math.round(share * 10_000) / 100} %`;
}

export function dailyUsageCursor(usage: DailyUsage): { key: string; value: string } {
  return { key: DAILY_USAGE_KEY, value: JSON.stringify(usage) };
}

/** Each side's use of today's allocation as the stored usage row says (the dashboard's view). */
export function dailyAllocation(
  usage: DailyUsage,
  settings: DailyBudgetSettings,
  now: number,
): AllocationUse {
  return new DailyBudget(
    usage,
    settings,
    () => undefined,
    () => now,
  ).allocation({ salesforce: 0, marketo: 0 });
}
