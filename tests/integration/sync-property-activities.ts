// The property test's Task and Event actions (issue 20; applied and judged by
// scripts/soak/activities.ts): a Task or Event logged, edited or deleted in Salesforce.
import fc from 'fast-check';
import type { ActivityAction } from '../../scripts/soak/activities';

export const salesforceActivity: fc.Arbitrary<ActivityAction> = fc.record({
  kind: fc.constant('salesforceActivity' as const),
  object: fc.constantFrom('Task' as const, 'Event' as const),
  op: fc.nat(2),
  record: fc.nat(),
  value: fc.nat(),
});
