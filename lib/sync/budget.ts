// The per-cycle budget (design §5 "Not Completed"): a cycle may spend at most so many API calls
// and so much time, and no more than the admin's daily API budgets allow (dailyUsage.ts); between
// batches the step asks the budget, and when it is spent the step stops at its last checkpoint and
// the next cycle resumes from there.
import type { ApiCallCounter, ClockPort } from '../http/ports';
import type { AllocationUse, ApiSide, DailyBudget, DailyUsage } from './dailyUsage';

export interface CycleBudget {
  maxApiCalls?: number;
  maxMs?: number;
  /**
   * True once the worker is asked to shut down (the service's SIGTERM, docs/service.md): the step
   * stops between batches like a spent budget, after the batch in flight committed, and the next
   * cycle resumes from there.
   */
  shouldStop?: () => boolean;
}

/** The error a cycle ends with when its worker was asked to stop (CycleBudget.shouldStop). */
export const WORKER_STOPPING = 'Stopped: the worker is shutting down';

export class BudgetSpentError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'BudgetSpentError';
  }
}

export class Budget {
  private readonly startedAt: number;
  private readonly startCalls: { salesforce: number; marketo: number };

  constructor(
    private readonly clock: ClockPort,
    private readonly counters: { salesforce?: ApiCallCounter; marketo?: ApiCallCounter },
    private readonly limits: CycleBudget = {},
    private readonly daily?: DailyBudget,
  ) {
    this.startedAt = clock.now();
    this.startCalls = this.totals();
  }

  private totals() {
    return {
      salesforce: this.counters.salesforce?.total('salesforce') ?? 0,
      marketo: this.counters.marketo?.total('marketo') ?? 0,
    };
  }

  /** Calls spent on each side since the cycle started. */
  spentCalls(): { salesforce: number; marketo: number } {
    const now = this.totals();
    return {
      salesforce: now.salesforce - this.startCalls.salesforce,
      marketo: now.marketo - this.startCalls.marketo,
    };
  }

  /**
   * Why the budget is spent, or undefined while it is not. With `side`, only that system's daily
   * budget counts (the cycle's own limits always do): for work that calls one system only, such as
   * the backlog count of one side (backlog.ts), while the other's daily budget is spent.
   */
  spentReason(side?: ApiSide): string | undefined {
    const { maxApiCalls, maxMs, shouldStop } = this.limits;
    if (shouldStop?.()) return WORKER_STOPPING;
    if (maxApiCalls !== undefined) {
      const spent = this.spentCalls();
      const total = spent.salesforce + spent.marketo;
      if (total >= maxApiCalls) return `Cycle budget spent: ${total} of ${maxApiCalls} API calls`;
    }
    if (maxMs !== undefined && this.clock.now() - this.startedAt >= maxMs)
      return `Cycle budget spent: ${maxMs} ms`;
    return this.daily?.spentReason(this.spentCalls(), side);
  }

  /** Each side's calls against today's allocation, this cycle's so far included (if tracked). */
  allocation(): AllocationUse | undefined {
    return this.daily?.allocation(this.spentCalls());
  }

  /** The daily usage row with this cycle's calls so far (written with each batch), if tracked. */
  dailyUsage(): DailyUsage | undefined {
    return this.daily?.after(this.spentCalls());
  }

  /** Throws BudgetSpentError when spent: called before each batch's API work. */
  check(side?: ApiSide): void {
    const reason = this.spentReason(side);
    if (reason) throw new BudgetSpentError(reason);
  }
}
