import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';
import LongestFirstSequencer from './tests/support/longestFirstSequencer.js';

// Three projects: unit (fake browser + fake-indexeddb), integration (real HTTP against the
// emulator on loopback) and e2e (the built extension in real Chromium).
export default defineConfig({
  test: {
    // Three files at a time on this 2-core machine. Most of a test's time is spent waiting — on
    // Chromium in the browser tests, on child processes, on pg-boss's timers (the service schedule
    // test waits two minutes for the cron) — so with two files the cores were busy only ~55 % of a
    // CI run (14.8 CPU-minutes in 13.8 minutes); with three, the run took 10 minutes instead of 14
    // (.ci/run must stay well under 15 minutes).
    maxWorkers: 3,
    // The files that mostly wait go first (tests/support/longestFirstSequencer.ts).
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      {
        plugins: [WxtVitest()],
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.{ts,tsx}'],
          setupFiles: ['fake-indexeddb/auto'],
          environment: 'node',
        },
      },
      {
        plugins: [WxtVitest()],
        test: {
          name: 'integration',
          // One module graph per worker rather than per file: each file re-importing the emulator
          // and lib/ cost more than a minute of a CI run (.ci/run must stay well under 15 minutes).
          // The files share no state: logs, emulators and servers are named per file and stopped.
          isolate: false,
          include: ['tests/integration/**/*.test.ts'],
          // What needs PostgreSQL runs in integration-pg, which provides it.
          exclude: ['tests/integration/log-port-conformance.test.ts', 'tests/integration/service-*.test.ts'],
          setupFiles: ['fake-indexeddb/auto'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The engine's integration suite again, on the PostgreSQL log (docs/log-port.md): the same
        // files, the harness (and the demo's headless CLI runs) opening their logs in the server the
        // globalSetup provides. Left out: the IndexedDB storage faults, which are Dexie's own. Also
        // here: the service's tests (docs/service.md), which need the same server.
        plugins: [WxtVitest()],
        test: {
          name: 'integration-pg',
          isolate: false, // as in integration
          include: [
            'tests/integration/sync-*.test.ts',
            'tests/integration/log-port-conformance.test.ts',
            'tests/integration/service-*.test.ts',
          ],
          exclude: ['tests/integration/sync-storage-errors.test.ts'],
          setupFiles: ['fake-indexeddb/auto'],
          globalSetup: ['./tests/support/postgresGlobalSetup.ts'],
          env: { SYNC_LOG: 'postgres' },
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          // service-mode.test.ts runs the service against the PostgreSQL this provides.
          globalSetup: ['./tests/support/postgresGlobalSetup.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Browser files run in parallel like the rest: each launches its own Chromium with its own
          // profile, emulator and ports; the demo's test builds into a directory of its own.
        },
      },
    ],
  },
});
