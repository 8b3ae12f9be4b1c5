// Worker side of engine.chromium.bench.ts, bundled with esbuild and evaluated in the extension's
// service worker: the bare script (bareFirstSync.ts) with the project's own clients, over the
// worker's fetch, so that engine and bare script run on the same JavaScript engine and HTTP stack.
import './zodJitless';
import type { EmulatorInfo } from '../../emulator/index';
import { ApiCallCounter, systemClock } from '../../lib/http/ports';
import { createMarketoClient } from '../../lib/marketo';
import { fixedSession } from '../../lib/salesforce/auth/session';
import { SalesforceClient } from '../../lib/salesforce/client';
import type { SyncSettings } from '../../lib/settings/schema';
import { bareFirstSync } from './bareFirstSync';

async function bare(info: EmulatorInfo, settings: SyncSettings) {
  const marketo = createMarketoClient({
    fetch: (i, init) => fetch(i, init),
    clock: systemClock,
    counter: new ApiCallCounter(),
    // As in the Node bench: no client-side limiter (the engine's stays under it, see the bench).
    limits: { callsPerWindow: 1_000_000, dailyBudget: 100_000_000 },
    credentials: () => ({
      endpoint: `${info.marketo.url}/rest`,
      clientId: info.marketo.clientId,
      clientSecret: info.marketo.clientSecret,
    }),
  });
  const salesforce = new SalesforceClient({
    fetch: (i, init) => fetch(i, init),
    clock: systemClock,
    counter: new ApiCallCounter(),
    tokens: fixedSession({ instanceUrl: info.salesforce.url, accessToken: info.salesforce.sid }),
  });
  return bareFirstSync({ salesforce, marketo, settings });
}

(globalThis as { engineBench?: unknown }).engineBench = { bare };
