import { fileURLToPath } from 'node:url';
import { defineConfig } from 'wxt';
import { OPTIONAL_HOST_PATTERNS } from './lib/connections/hostAccess';
import { SERVICE_HOST_PATTERN } from './lib/serviceMode/hostAccess';

// Loopback hosts serve the emulator (tests, demo, bench). The store build (mode "production")
// must not ask for them, so they are only added for the other modes.
const LOOPBACK = ['http://127.0.0.1/*', 'http://localhost/*'];

/**
 * What the store build asks for at install, and why (docs/permissions.md; the README lists it and
 * tests/unit/manifest.test.ts keeps both equal to this):
 * - storage: settings, secrets (storage.local) and the panel's state; alarms: the sync schedule;
 * - cookies: "Use my Salesforce session" reads the org's `sid` cookie (lib/salesforce/auth/session.ts);
 * - identity: launchWebAuthFlow for the OAuth sync user; notifications: "Notify me of failed cycles".
 */
export const PERMISSIONS = ['storage', 'alarms', 'cookies', 'identity', 'notifications'];

/**
 * Host access needed before any org is known: Lightning pages (the record panel; the tab whose org
 * "Detect" connects and its page `sid`), and the OAuth login hosts whose token and revoke endpoints
 * the worker calls. The org's My Domain and the Marketo instance are optional
 * (lib/connections/hostAccess.ts): the options page asks for exactly those when the admin connects.
 */
export const REQUIRED_HOSTS = [
  'https://*.lightning.force.com/*',
  'https://login.salesforce.com/*',
  'https://test.salesforce.com/*',
];

/**
 * Extension pages run only their own bundled scripts: no inline or remote script, no eval, no
 * plugins, no <base> redirecting relative URLs.
 */
export const EXTENSION_PAGES_CSP = "script-src 'self'; object-src 'none'; base-uri 'none'";

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
    permissions: [...PERMISSIONS],
    // Test and demo builds reach the emulator on loopback without asking: the options page's
    // requests for its origins are then granted with no prompt (headless Chromium cannot answer one).
    host_permissions: [...REQUIRED_HOSTS, ...(mode === 'production' ? [] : LOOPBACK)],
    // The service of service mode is at any https origin: exactly its origin is asked for (issue 21).
    optional_host_permissions: [...OPTIONAL_HOST_PATTERNS, SERVICE_HOST_PATTERN],
    content_security_policy: { extension_pages: EXTENSION_PAGES_CSP },
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
