// The engine's stop hook (CycleBudget.shouldStop, used by the service's SIGTERM): once asked, the
// budget is spent with the stop's own reason — checked before each batch, so the step ends at its
// last commit — and the cycle's reason says so in plain words, not "budget spent".
import { describe, expect, it } from 'vitest';
import { ApiCallCounter, systemClock } from '../../lib/http/ports';
import { Budget, BudgetSpentError, WORKER_STOPPING } from '../../lib/sync/budget';
import { failureReason } from '../../lib/sync/failureReason';

describe('CycleBudget.shouldStop', () => {
  it('spends the budget once the worker is stopping, and only then', () => {
    let stopping = false;
    const budget = new Budget(
      systemClock,
      { salesforce: new ApiCallCounter() },
      { shouldStop: () => stopping },
    );
    expect(budget.spentReason()).toBeUndefined();
    expect(() => budget.check()).not.toThrow();
    stopping = true;
    expect(budget.spentReason()).toBe(WORKER_STOPPING);
    expect(budget.spentReason('marketo')).toBe(WORKER_STOPPING);
    expect(() => budget.check()).toThrow(new BudgetSpentError(WORKER_STOPPING));
  });

  it('words the reason as a shutdown the next cycle resumes from', () => {
    const reason = failureReason(new BudgetSpentError(WORKER_STOPPING));
    expect(reason).toMatchObject({ kind: 'cycle-budget' });
    expect(reason.reason).toBe(
      'The worker was shut down between two batches — the next cycle resumes from there',
    );
    expect(failureReason(new BudgetSpentError('Cycle budget spent: 5 of 5 API calls')).reason).toMatch(
      /budget was spent/,
    );
  });
});
