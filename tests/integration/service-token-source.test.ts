// A service org's Salesforce token (lib/service/orgClients.ts secretTokenSource) over real HTTP
// against the emulator: the access token comes from the org's secret reference; when Salesforce
// refuses it, the reference is read again (an operator may have rotated it) and otherwise the
// refresh token buys a new one. The reference still holds the first token after a refresh, so the
// second expiry must refresh again rather than go back to that stale token (which would fail every
// cycle until the worker restarts).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { ApiCallCounter } from '../../lib/http/ports';
import { SalesforceClient } from '../../lib/salesforce/client';
import { secretTokenSource } from '../../lib/service/orgClients';
import { authorizeSyncUser } from '../../scripts/soak/world';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'empty' });
});
afterAll(async () => emu?.stop());

it('refreshes on every expiry, and takes a rotated access token from the reference', async () => {
  const first = await authorizeSyncUser(emu, { now: () => Date.now(), sleep: async () => {} });
  process.env.TOKEN_TEST_ACCESS = first.accessToken;
  process.env.TOKEN_TEST_REFRESH = first.refreshToken!;
  const tokens = secretTokenSource({
    instanceUrl: emu.info.salesforce.url,
    token: { env: 'TOKEN_TEST_ACCESS' },
    refresh: {
      token: { env: 'TOKEN_TEST_REFRESH' },
      clientId: emu.info.salesforce.clientId,
      loginUrl: emu.info.salesforce.url,
    },
  });
  const client = new SalesforceClient({
    fetch: (i, init) => fetch(i, init),
    counter: new ApiCallCounter(),
    tokens,
  });
  const used = async () => {
    await client.currentUser();
    return (await tokens.session()).accessToken;
  };
  expect(await used()).toBe(first.accessToken);
  emu.control.expireSessions({});
  const refreshed = await used();
  expect(refreshed).not.toBe(first.accessToken);
  // Expired again: the reference still says the first token, long dead — refreshed once more.
  emu.control.expireSessions({ token: refreshed });
  const again = await used();
  expect([first.accessToken, refreshed]).not.toContain(again);
  // The operator rotates the reference: the new token is taken as it is, no refresh spent.
  const rotated = await authorizeSyncUser(emu, { now: () => Date.now(), sleep: async () => {} });
  process.env.TOKEN_TEST_ACCESS = rotated.accessToken;
  emu.control.expireSessions({ token: again });
  expect(await used()).toBe(rotated.accessToken);
});
