import { fileURLToPath } from 'node:url';
import { defineConfig } from 'wxt';

// Loopback hosts serve the emulator (tests, demo, bench). The store build (mode "production")
// must not ask for them, so they are only added for the other modes.
const LOOPBACK = ['http://127.0.0.1/*', 'http://localhost/*'];

export const SALESFORCE_HOSTS = [
  'https://*.my.salesforce.com/*',
  'https://*.lightning.force.com/*',
  'https://*.force.com/*',
  'https://*.salesforce.com/*',
  'https://*.sandbox.my.salesforce.com/*',
  'https://*.develop.my.salesforce.com/*',
  'https://*.sandbox.lightning.force.com/*',
  'https://*.develop.lightning.force.com/*',
];
export const MARKETO_HOSTS = ['https://*.mktorest.com/*'];

export default defineConfig({
  srcDir: '.',
  entrypointsDir: 'entrypoints',
  publicDir: 'public',
  // WXT_OUT_DIR lets parallel builds (two worktrees' benches) each write their own directory;
  // scripts/browser.ts loads EXTENSION_DIR then.
  outDir: process.env.WXT_OUT_DIR ?? '.output',
  outDirTemplate: '{{browser}}-mv{{manifestVersion}}{{modeSuffix}}',
  // Dexie's package entry wraps its UMD build, which esbuild minifies less well than Dexie's own
  // minified ES module (~2 KB less gzipped in every page and the worker; popup budget 50 KB).
  vite: () => ({
    // Vite compiles JSX with the development runtime in every mode but production, which adds each
    // element's file name, line and column to the bundle (~1.3 KB gzipped in the popup) for
    // preact/debug, which no page loads. Test builds (browser tests, bench) ship what the store does.
    esbuild: { jsxDev: false },
    build: {
      // Every page here runs in Chromium, which preloads modules itself: Vite's polyfill for
      // `<link rel="modulepreload">` would only add ~0.5 KB gzipped to each page.
      modulePreload: { polyfill: false },
      rollupOptions: { output: { experimentalMinChunkSize: 2000 } },
    },
    resolve: {
      alias: [
        {
          find: /^dexie$/,
          replacement: fileURLToPath(
            new URL('./node_modules/dexie/dist/modern/dexie.min.mjs', import.meta.url),
          ),
        },
      ],
    },
  }),
  manifest: ({ mode }) => ({
    name: 'Salesforce Sync Status',
    description:
      'Runs the Salesforce ⇄ Marketo sync and shows its status: per record inside Salesforce, per cycle in the popup and dashboard.',
    // identity: launchWebAuthFlow for the OAuth sync user (options page, "Connect a dedicated sync user").
    // notifications: "Notify me of failed cycles" (lib/scheduler/notifications.ts).
    permissions: ['storage', 'alarms', 'cookies', 'identity', 'notifications'],
    host_permissions: [...SALESFORCE_HOSTS, ...MARKETO_HOSTS, ...(mode === 'production' ? [] : LOOPBACK)],
    action: { default_title: 'Salesforce Sync Status' },
  }),
  hooks: {
    'build:manifestGenerated': (wxt, manifest) => {
      if (wxt.config.mode === 'production') return;
      // Content-script matches are declared in the entrypoint for the real hosts; test and demo
      // builds also run on the emulator's Lightning-like pages.
      for (const script of manifest.content_scripts ?? []) {
        script.matches = [...new Set([...(script.matches ?? []), ...LOOPBACK])];
      }
    },
  },
});
