import { describe, expect, it } from 'vitest';
import type { RecordFlagsRow } from '../../lib/db/types';
import { classifySender, toRecordStatusView } from '../../lib/messaging';

const extension = {
  id: 'ours',
  getURL: (path: string) => `chrome-extension://ours/${path.replace(/^\//, '')}`,
};

describe('classifySender', () => {
  it('treats the dashboard open in a tab as an extension page, not a content script', () => {
    const sender = {
      id: 'ours',
      url: 'chrome-extension://ours/dashboard.html',
      origin: 'chrome-extension://ours',
      tab: { id: 4 },
    };
    expect(classifySender(sender, extension)).toEqual({ kind: 'extension-page', url: sender.url });
  });

  it('treats our id on a Salesforce page with a tab as our content script', () => {
    const url = 'https://acme.lightning.force.com/lightning/r/Contact/003000000000001AAA/view';
    const sender = {
      id: 'ours',
      url,
      origin: 'https://acme.lightning.force.com',
      tab: { id: 9 },
      frameId: 2,
    };
    expect(classifySender(sender, extension)).toEqual({ kind: 'content-script', url, tabId: 9, frameId: 2 });
  });

  it('refuses a sender whose origin contradicts its url, and one on a non-web scheme', () => {
    const mismatch = { id: 'ours', url: 'https://a.example/', origin: 'https://b.example', tab: { id: 1 } };
    expect(classifySender(mismatch, extension)).toHaveProperty('refused');
    const file = { id: 'ours', url: 'file:///tmp/x.html', tab: { id: 1 } };
    expect(classifySender(file, extension)).toHaveProperty('refused');
    const prefixTrick = { id: 'ours', url: 'chrome-extension://ours.evil/popup.html', tab: { id: 1 } };
    expect(classifySender(prefixTrick, extension)).toHaveProperty('refused');
  });
});

describe('toRecordStatusView', () => {
  const hint = (e: { code: string }) => `hint for ${e.code}`;

  it('shows a record the sync never handled as unknown', () => {
    expect(toRecordStatusView('Lead', '00Q000000000001AAA', undefined, { hint })).toEqual({
      objectType: 'Lead',
      recordId: '00Q000000000001AAA',
      state: 'unknown',
      lastChanges: [],
      hiddenFields: [],
      history: [],
    });
  });

  it("carries the record's flags, the error with its hint, and nothing else", () => {
    const flags: RecordFlagsRow = {
      sfId: '00Q000000000001AAA',
      objectType: 'Person',
      name: 'Ada Lovelace',
      mktoId: 42,
      state: 'failed',
      lastSyncedAt: 1000,
      lastOperation: 'Pull Updates',
      lastCycleId: 7,
      lastChanges: [{ field: 'Email', old: 'a@x.io', new: 'ada@x.io' }],
      lastError: {
        code: 'INVALID_EMAIL_ADDRESS',
        message: 'Email: invalid email address',
        fields: ['Email'],
      },
      attempts: 2,
      nextRetryAt: 5000,
      history: [{ at: 1000, cycleId: 7, operation: 'Pull Updates', outcome: 'failed' }],
      updatedAt: 1000,
    };
    const view = toRecordStatusView('Lead', flags.sfId, flags, { hint, hiddenFields: ['Phone'] });
    expect(view).toEqual({
      objectType: 'Lead',
      recordId: flags.sfId,
      state: 'failed',
      name: 'Ada Lovelace',
      lastSyncedAt: 1000,
      operation: 'Pull Updates',
      cycleId: 7,
      mktoId: 42,
      lastChanges: flags.lastChanges,
      lastError: { ...flags.lastError, hint: 'hint for INVALID_EMAIL_ADDRESS' },
      attempts: 2,
      nextRetryAt: 5000,
      hiddenFields: ['Phone'],
      history: flags.history,
    });
    expect(view).not.toHaveProperty('updatedAt');
  });
});
