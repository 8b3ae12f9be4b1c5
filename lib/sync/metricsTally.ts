// What a cycle synced, counted as its batches commit (context.ts commit): records per object and
// direction, and per field how many updated records its change was part of (the dashboard's noisy
// fields, docs/dashboard.md). Kept in memory and written once, in the cycle's metric row
// (cycleMetrics.ts): one row per cycle instead of one per batch.
import { changesOf } from '../db/packedChanges';
import type { ObjectType, Operation, PackedOutcome } from '../db/types';
import { directionOf, fieldKey, metricKey } from '../metrics/keys';

export class MetricsTally {
  readonly synced: Record<string, number> = {};
  /**
   * Records a step took off its backlog, whatever the outcome but skipped (excluded and failed
   * too): most skipped records are not backlog — re-reads of rows already synced (the pull's
   * lookback, docs/engine-cursors.md) and the echoes of the sync's own writes.
   */
  readonly handled: Record<string, number> = {};
  readonly updated: Record<string, number> = {};
  readonly fields: Record<string, number> = {};

  /** Counts one committed batch. */
  add(operation: Operation, objectType: ObjectType, outcomes: readonly PackedOutcome[]): void {
    const direction = directionOf(operation);
    if (!direction) return;
    const key = metricKey(objectType, direction);
    // Counted per batch and added once per key: keys are strings built per call, and a lookup by
    // one for every outcome and field (with a Set per outcome) was ~150 ms and ~200 MB of
    // allocations in a 100,000-lead first sync's profile.
    let handled = 0;
    let synced = 0;
    let updated = 0;
    const byField = new Map<string, number>();
    const countedIn = new Map<string, number>();
    outcomes.forEach((outcome, i) => {
      if (outcome.outcome !== 'skipped') handled++;
      if (outcome.outcome !== 'new' && outcome.outcome !== 'updated' && outcome.outcome !== 'deleted') return;
      synced++;
      if (outcome.outcome !== 'updated') return;
      updated++;
      for (const { field } of changesOf(outcome) ?? []) {
        // A field named twice in one write (it cannot be today) still caused one update.
        if (countedIn.get(field) === i) continue;
        countedIn.set(field, i);
        byField.set(field, (byField.get(field) ?? 0) + 1);
      }
    });
    if (handled) this.handled[key] = (this.handled[key] ?? 0) + handled;
    if (synced) this.synced[key] = (this.synced[key] ?? 0) + synced;
    if (updated) this.updated[key] = (this.updated[key] ?? 0) + updated;
    for (const [field, n] of byField) {
      const k = fieldKey(objectType, direction, field);
      this.fields[k] = (this.fields[k] ?? 0) + n;
    }
  }
}
