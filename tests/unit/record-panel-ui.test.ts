import { describe, expect, it } from 'vitest';
import type { SendMessage } from '../../lib/messaging/client';
import { parsePanelUi } from '../../lib/pages/panelUiSchema';
import { clampPosition, DEFAULT_PANEL_UI } from '../../lib/pages/panelUiState';
import { runRecordSync, type SyncProgress } from '../../lib/pages/recordSync';

describe('panel UI state', () => {
  it('reads a stored state and falls back to the default on anything else', () => {
    expect(parsePanelUi({ collapsed: true, right: 40, bottom: 80 })).toEqual({
      collapsed: true,
      right: 40,
      bottom: 80,
    });
    expect(parsePanelUi({ collapsed: 'yes', right: 40, bottom: 80 })).toEqual(DEFAULT_PANEL_UI);
    expect(parsePanelUi({ collapsed: false, right: -5, bottom: 0 })).toEqual(DEFAULT_PANEL_UI);
    expect(parsePanelUi(undefined)).toEqual(DEFAULT_PANEL_UI);
  });

  it('keeps the header on screen after the window shrank', () => {
    const state = { collapsed: false, right: 1500, bottom: -20 };
    expect(clampPosition(state, { width: 800, height: 600 })).toEqual({
      collapsed: false,
      right: 640,
      bottom: 0,
    });
  });
});

const RECORD = { objectType: 'Lead', recordId: '00Q5e00000AbCdEEAV' };
const view = (syncing?: 'running' | 'queued') => ({
  objectType: 'Lead',
  recordId: RECORD.recordId,
  state: 'synced' as const,
  lastChanges: [],
  hiddenFields: [],
  history: [],
  ...(syncing && { syncing }),
});

/** A background that answers syncRecord once and then the given status answers in turn. */
function background(syncAnswer: unknown, statuses: unknown[]): SendMessage {
  return (async (type: string) => {
    if (type === 'syncRecord') return syncAnswer;
    const next = statuses.shift();
    if (next instanceof Error) throw next;
    return next;
  }) as SendMessage;
}
const opts = { sleep: async () => {}, intervalMs: 1 };

describe('Sync now from the panel', () => {
  it('follows a queued then running cycle to its end and hands over the new status', async () => {
    const seen: SyncProgress['phase'][] = [];
    const end = await runRecordSync(
      background({ status: 'queued' }, [view('queued'), view('running'), view()]),
      RECORD,
      (p) => seen.push(p.phase),
      opts,
    );
    expect(seen).toEqual(['requesting', 'queued', 'queued', 'running', 'done']);
    expect(end).toMatchObject({ phase: 'done', answer: { state: 'synced' } });
  });

  it('shows the background’s reason when it refuses', async () => {
    const end = await runRecordSync(
      background({ status: 'refused', reason: 'paused', message: 'The sync is paused.' }, []),
      RECORD,
      () => {},
      opts,
    );
    expect(end).toEqual({ phase: 'refused', message: 'The sync is paused.' });
  });

  it('reports a lost background and a cycle that never ends', async () => {
    const lost = await runRecordSync(
      background({ status: 'started' }, [new Error('No answer')]),
      RECORD,
      () => {},
      opts,
    );
    expect(lost).toEqual({ phase: 'error', message: 'No answer' });
    let t = 0;
    const stuck = await runRecordSync(
      background(
        { status: 'started' },
        Array.from({ length: 10 }, () => view('running')),
      ),
      RECORD,
      () => {},
      { ...opts, timeoutMs: 5, now: () => t++ },
    );
    expect(stuck.phase).toBe('error');
  });
});
