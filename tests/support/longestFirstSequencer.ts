// Test files in the order .ci/run is fastest with (two at a time, vitest.config.ts): the files that
// mostly wait — for cron minutes, a dead worker's lease, a child process's startup — first, so
// that they wait while the other slot works through the short files, instead of starting last and
// running alone at the end. Vitest's own order puts files it timed slowest first, but a clean clone
// (CI) has no timings, and it then goes by file size. Measured on CI: these files took 25–120 s
// each and, started last, ran by themselves for the last ~3 minutes.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Path endings, longest-running first (seconds in the 2026-12-07 CI runs). */
const SLOWEST = [
  'integration/service-schedule.test.ts', // ~110: three cron minutes
  'integration/service-soak.test.ts', // ~50
  'integration/service-interrupt.test.ts', // ~55: a dead worker's job comes back after ~15 s
  'integration/service-admin.test.ts', // ~45
  'e2e/record-panel-cycles.test.ts', // ~40
  'integration/sync-demo-email-templates.test.ts', // ~35, on each log
  'e2e/demo.test.ts', // ~30: builds the extension, runs the demo
  'integration/sync-daily-budget.test.ts', // ~30, on each log
];

const rank = (spec: TestSpecification) => {
  const i = SLOWEST.findIndex((ending) => spec.moduleId.endsWith(ending));
  return i < 0 ? SLOWEST.length : i;
};

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    // Array.prototype.sort is stable: the rest keep Vitest's order.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}
