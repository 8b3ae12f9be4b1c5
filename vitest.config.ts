import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// Three projects: unit (fake browser + fake-indexeddb), integration (real HTTP against the
// emulator on loopback) and e2e (the built extension in real Chromium).
export default defineConfig({
  test: {
    // Two files at a time. Vitest's default on this 2-core machine is one (cores − 1), but most of a
    // test's time is spent waiting — on Chromium in the browser tests, on the emulator's child
    // process, on timers — so a second file fills that time (.ci/run must stay well under 15 minutes).
    maxWorkers: 2,
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
          include: ['tests/integration/**/*.test.ts'],
          setupFiles: ['fake-indexeddb/auto'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
