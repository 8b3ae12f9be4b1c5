// Both real clients against an emulator, with call counters and Marketo's limits out of the way
// (the benches measure the engine, not the rate limiter): shared by the engine and Reconcile benches.
import type { EmulatorInfo } from '../../emulator/index';
import { ApiCallCounter, type ClockPort } from '../../lib/http/ports';
import { createMarketoClient } from '../../lib/marketo';
import { fixedSession } from '../../lib/salesforce/auth/session';
import { SalesforceClient } from '../../lib/salesforce/client';

export function emulatorClients(info: EmulatorInfo, clock: ClockPort) {
  const sf = new ApiCallCounter();
  const mk = new ApiCallCounter();
  const salesforce = new SalesforceClient({
    fetch: (i, init) => fetch(i, init),
    clock,
    counter: sf,
    tokens: fixedSession({ instanceUrl: info.salesforce.url, accessToken: info.salesforce.sid }),
  });
  const marketo = createMarketoClient({
    fetch: (i, init) => fetch(i, init),
    clock,
    counter: mk,
    limits: { callsPerWindow: 1_000_000, dailyBudget: 100_000_000 },
    credentials: () => ({
      endpoint: `${info.marketo.url}/rest`,
      clientId: info.marketo.clientId,
      clientSecret: info.marketo.clientSecret,
    }),
  });
  return { sf, mk, salesforce, marketo };
}
