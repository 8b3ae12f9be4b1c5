import { describe, expect, it } from 'vitest';
import { headerModel } from '../../components/syncHeaderState';
import { parseViewConnections, parseViewSettings } from '../../components/viewSettings';
import type { SyncStateView } from '../../lib/messaging/views';

const connections = (stored: unknown) => {
  const parsed = parseViewConnections(stored);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
};
const configured = connections({
  salesforce: {
    instanceUrl: 'https://acme.my.salesforce.com',
    user: { id: '005000000000001', username: 'admin@acme.com', displayName: 'Ada', isAdmin: true },
  },
  marketo: { restEndpoint: 'https://123-abc-456.mktorest.com/rest', clientId: 'cid' },
});
const state: SyncStateView = {
  paused: false,
  running: false,
  nextRunAt: 1000,
  connection: {
    salesforce: { state: 'connected', label: 'acme.my.salesforce.com (admin@acme.com)' },
    marketo: { state: 'error', label: '123-abc-456', error: '601 Access token invalid' },
  },
};

describe('popup header', () => {
  it('shows only "Admin permissions required" to a Salesforce user without admin permissions', () => {
    const user = { id: '005000000000001', username: 'u@acme.com', displayName: 'U', isAdmin: false };
    const model = headerModel(connections({ salesforce: { user } }), { kind: 'ok', state });
    expect(model).toEqual({ kind: 'admin-required' });
  });

  it('uses the background state when it answers', () => {
    const model = headerModel(configured, { kind: 'ok', state });
    expect(model).toMatchObject({
      kind: 'status',
      notConnected: false,
      salesforce: { state: 'connected', label: 'acme.my.salesforce.com (admin@acme.com)' },
      marketo: { state: 'error', error: '601 Access token invalid' },
      sync: state,
    });
    expect(model.kind === 'status' && model.backgroundProblem).toBeUndefined();
  });

  it('falls back to the stored connections and says the background is not answering', () => {
    for (const code of ['no-handler', 'unknown-message']) {
      const model = headerModel(configured, { kind: 'error', code, message: 'x' });
      expect(model).toMatchObject({
        kind: 'status',
        backgroundProblem: 'Background not answering',
        notConnected: false,
        salesforce: { state: 'unchecked', label: 'acme.my.salesforce.com' },
        marketo: { state: 'unchecked', label: '123-abc-456.mktorest.com' },
      });
    }
    const failed = headerModel(configured, { kind: 'error', code: 'handler-failed', message: 'boom' });
    expect(failed).toMatchObject({ backgroundProblem: 'Background error: boom' });
  });

  it('is not connected when either side has no connection settings', () => {
    expect(headerModel(connections({}), { kind: 'loading' })).toMatchObject({
      notConnected: true,
      salesforce: { state: 'not-configured' },
      marketo: { state: 'not-configured' },
    });
    const noMarketo = headerModel(configured, {
      kind: 'ok',
      state: { ...state, connection: { ...state.connection, marketo: { state: 'not-configured' } } },
    });
    expect(noMarketo).toMatchObject({ notConnected: true, marketo: { label: 'Not connected' } });
  });
});

describe('view settings', () => {
  it('reads the Person label with a default, and names a bad field', () => {
    expect(parseViewSettings(undefined)).toEqual({ ok: true, value: { personLabel: 'Lead' } });
    expect(parseViewSettings({ personLabel: 'Person', retentionDays: 5 })).toEqual({
      ok: true,
      value: { personLabel: 'Person' },
    });
    const bad = parseViewSettings({ personLabel: 'Human' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^Stored settings are invalid: personLabel: /);
  });

  it('refuses an instance URL that is not an http(s) origin (it becomes a link)', () => {
    const bad = parseViewConnections({ salesforce: { instanceUrl: 'javascript:alert(1)' } });
    expect(!bad.ok && bad.error).toMatch(/salesforce\.instanceUrl: not an http\(s\) origin/);
  });
});
