import Papa from 'papaparse';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { SyncLogDatabase } from '../../lib/db/database';
import { finishStep, startCycle, startStep } from '../../lib/db/lifecycle';
import type { PackedOutcome } from '../../lib/db/types';
import { writeBatch } from '../../lib/db/writeBatch';
import {
  EXPORT_CHANNEL_PREFIX,
  type ExportChannelMessage,
  requestSyncErrorsCsv,
  type SendExportRequest,
} from '../../lib/export/exportChannel';
import { createSyncErrorsExport } from '../../lib/export/syncErrorsExport';
import { createMessageClient, createMessageRouter, type SenderInfo } from '../../lib/messaging';
import { toId18 } from '../../lib/salesforce/ids';
import { freshDb, MINUTE } from './db-fixtures';

// The export as the popup runs it: the page sends `exportSyncErrors` through the real message
// router (zod-parsed), the worker's service builds the CSV from the log and posts the Blob on the
// page's BroadcastChannel (Node has both), the page resolves with it.

const T0 = Date.UTC(2026, 10, 20, 8, 0);
const INSTANCE = 'https://acme.my.salesforce.com';
const popup: SenderInfo = {
  id: 'test-extension-id',
  url: 'chrome-extension://test-extension-id/popup.html',
  origin: 'chrome-extension://test-extension-id',
};

async function logWithFailures(db: SyncLogDatabase, batches: number, perBatch: number) {
  const cycleId = await startCycle(db, { trigger: 'schedule', at: T0 });
  const stepId = await startStep(db, { cycleId, operation: 'Pull Updates', objectType: 'Person', at: T0 });
  for (let b = 0; b < batches; b++) {
    const outcomes: PackedOutcome[] = Array.from({ length: perBatch }, (_, i) => ({
      sfId: toId18(`00QRO${String(b * perBatch + i).padStart(10, '0')}`),
      name: i === 0 ? '=HYPERLINK("http://evil.example","x")' : `Lead ${b}-${i}`,
      outcome: 'failed' as const,
      error: { code: 'INVALID_EMAIL_ADDRESS', message: 'Email: invalid', fields: ['Email'] },
    }));
    await writeBatch(db, {
      cycleId,
      stepId,
      operation: 'Pull Updates',
      objectType: 'Person',
      at: T0 + b,
      outcomes,
    });
  }
  await finishStep(db, stepId, { status: 'Completed', at: T0 + MINUTE });
}

function pageSender(): SendExportRequest {
  const send = createMessageClient({
    async sendMessage(message) {
      const answers = await fakeBrowser.runtime.onMessage.trigger(
        message,
        popup as chrome.runtime.MessageSender,
      );
      return answers.find((a) => a !== undefined);
    },
  });
  return (request) => send('exportSyncErrors', request);
}

describe('sync-errors export through the background', () => {
  let db: SyncLogDatabase;
  let admin: boolean | undefined;
  let posted: ExportChannelMessage[];

  beforeEach(() => {
    fakeBrowser.reset();
    db = freshDb();
    admin = true;
    posted = [];
    const router = createMessageRouter(fakeBrowser.runtime, { onRefused: () => {} });
    router.onMessage(
      'exportSyncErrors',
      createSyncErrorsExport({
        db,
        instanceUrl: async () => INSTANCE,
        isAdmin: async () => admin,
        now: () => Date.UTC(2026, 10, 24, 9, 30, 5),
        openChannel: (name) => {
          const channel = new BroadcastChannel(name);
          return {
            post: (m) => {
              posted.push(m);
              channel.postMessage(m);
            },
            close: () => channel.close(),
          };
        },
      }),
    );
  });

  it('hands the page the whole CSV as a Blob, with progress and a timestamped file name', async () => {
    await logWithFailures(db, 3, 4);
    const progress: number[] = [];
    const csv = await requestSyncErrorsCsv(pageSender(), {}, 'startedAt', (rows) => progress.push(rows));
    expect(csv.rows).toBe(12);
    expect(csv.fileName).toBe('sync-errors-2026-11-24T09-30-05Z.csv');
    expect(progress.at(-1)).toBe(12);
    const text = await csv.blob!.text();
    const rows = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
    expect(rows).toHaveLength(13);
    expect(rows[0]![0]).toBe('Time');
    // Formula escaping survives the trip, and record links use the worker's instance URL.
    expect(rows[1]![6]).toBe('\'=HYPERLINK("http://evil.example","x")');
    expect(rows[1]![11]).toBe(`${INSTANCE}/lightning/r/Lead/${rows[1]![4]}/view`);
    expect(csv.blob!.type).toBe('text/csv;charset=utf-8');
  });

  it('answers no file when no error matches the filter', async () => {
    await logWithFailures(db, 1, 2);
    const csv = await requestSyncErrorsCsv(pageSender(), { statuses: ['Failed'] }, 'endedAt');
    expect(csv).toMatchObject({ rows: 0, blob: null });
  });

  it('refuses a Salesforce user who is not an admin, on the channel and in the answer', async () => {
    await logWithFailures(db, 1, 2);
    admin = false;
    await expect(requestSyncErrorsCsv(pageSender(), {}, 'startedAt')).rejects.toThrow(
      'Admin permissions required',
    );
    expect(posted).toEqual([{ kind: 'failed', message: 'Admin permissions required' }]);
  });

  it('refuses a request whose channel or filter is malformed, naming the field', async () => {
    const send = pageSender();
    await expect(send({ channel: 'elsewhere', filter: {}, sort: 'startedAt' })).rejects.toThrow(/channel/);
    const channel = `${EXPORT_CHANNEL_PREFIX}${crypto.randomUUID()}`;
    await expect(send({ channel, filter: { from: 5, to: 1 }, sort: 'startedAt' })).rejects.toThrow(/from/);
    expect(posted).toEqual([]);
  });

  it('fails instead of waiting forever when the worker stops mid-export', async () => {
    const stopped: SendExportRequest = () =>
      Promise.reject(new Error('No answer to "exportSyncErrors": The message port closed'));
    await expect(requestSyncErrorsCsv(stopped, {}, 'startedAt')).rejects.toThrow('message port closed');
  });

  it('fails when the background answers but its file never comes', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const lost = requestSyncErrorsCsv(async () => ({ rows: 5 }), {}, 'startedAt');
      const settled = expect(lost).rejects.toThrow('did not arrive');
      await vi.advanceTimersByTimeAsync(10_000);
      await settled;
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects a malformed message on its channel', async () => {
    const send: SendExportRequest = async ({ channel }) => {
      const c = new BroadcastChannel(channel);
      c.postMessage({ kind: 'done', rows: 'many' });
      c.close();
      return new Promise(() => {});
    };
    await expect(requestSyncErrorsCsv(send, {}, 'startedAt')).rejects.toThrow('Malformed');
  });
});
