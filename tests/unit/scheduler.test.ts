import Dexie from 'dexie';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { settingsStorage } from '../../components/storage/settings';
import { SyncLogDatabase } from '../../lib/db/database';
import { emptyCounters } from '../../lib/db/types';
import { type ClockPort, systemClock } from '../../lib/http/ports';
import { toId18 } from '../../lib/salesforce/ids';
import { CYCLE_ALARM } from '../../lib/scheduler/ports';
import {
  badgeTitle,
  type CycleReport,
  type CycleRequest,
  createScheduler,
  RECORD_SYNC_INTERVAL_MS,
} from '../../lib/scheduler/scheduler';
import { createSettingsStore } from '../../lib/settings/store';
import { STORAGE_FULL_REASON } from '../../lib/sync/failureReason';
import { webinarPair } from '../support/programPairs';

let n = 0;
const connection = { salesforce: { state: 'unchecked' as const }, marketo: { state: 'unchecked' as const } };

/** A scheduler over fakeBrowser's alarms and badge, with an engine that records its requests. */
function setup(
  options: {
    connected?: boolean;
    failed?: number;
    onStateChange?: () => void;
    throws?: () => unknown;
    clock?: ClockPort;
  } = {},
) {
  const db = new SyncLogDatabase(`scheduler-${n++}`);
  const store = createSettingsStore(settingsStorage());
  const requests: CycleRequest[] = [];
  let release: () => void = () => {};
  const engine = {
    async runCycle(request: CycleRequest): Promise<CycleReport> {
      requests.push(request);
      await new Promise<void>((r) => {
        release = r;
      });
      const thrown = options.throws?.();
      if (thrown) throw thrown;
      const at = Date.now();
      const cycle = {
        id: requests.length,
        trigger: request.trigger,
        startedAt: at,
        endedAt: at,
        status: 'Completed' as const,
        totals: { ...emptyCounters(), failed: options.failed ?? 0 },
        apiCalls: { salesforce: 1, marketo: 1 },
      };
      await db.cycles.put(cycle);
      return { cycle, steps: [] };
    },
  };
  const scheduler = createScheduler({
    db,
    clock: options.clock ?? systemClock,
    alarms: fakeBrowser.alarms,
    badge: fakeBrowser.action,
    settings: store,
    connect: async () =>
      options.connected === false ? { ok: false, missing: ['marketo.clientSecret'] } : { ok: true, engine },
    connectionStatus: async () => connection,
    ...(options.onStateChange && { onStateChange: options.onStateChange }),
  });
  return { scheduler, store, requests, finish: () => release(), db };
}

beforeEach(() => fakeBrowser.reset());

describe('scheduler: a cycle that cannot run at all', () => {
  it('says why in its state (plain reason and raw error) until a cycle runs again', async () => {
    let full = true;
    const quota = new Dexie.AbortError(new DOMException('Quota exceeded', 'QuotaExceededError'));
    const { scheduler, finish, requests } = setup({ throws: () => (full ? quota : undefined) });
    await scheduler.syncNow();
    await expect.poll(() => requests.length).toBe(1);
    finish();
    await scheduler.idle();
    const problem = (await scheduler.state()).problem;
    expect(problem).toMatchObject({ reason: STORAGE_FULL_REASON });
    expect(problem?.error).toContain('QuotaExceededError');
    full = false;
    await scheduler.syncNow();
    await expect.poll(() => requests.length).toBe(2);
    finish();
    await scheduler.idle();
    expect((await scheduler.state()).problem).toBeUndefined();
  });
});

describe('scheduler', () => {
  it('keeps an alarm at the configured interval and clears it while paused', async () => {
    const { scheduler, store } = setup();
    await scheduler.ensureSchedule();
    expect((await fakeBrowser.alarms.get(CYCLE_ALARM))?.periodInMinutes).toBe(5);
    await store.updateSettings({ intervalMinutes: 15 });
    await scheduler.ensureSchedule();
    expect((await fakeBrowser.alarms.get(CYCLE_ALARM))?.periodInMinutes).toBe(15);
    await scheduler.setPaused(true);
    expect(await fakeBrowser.alarms.get(CYCLE_ALARM)).toBeUndefined();
  });

  it('runs one cycle at a time and queues Sync now behind the running one', async () => {
    const { scheduler, requests, finish } = setup();
    expect(await scheduler.syncNow()).toEqual({ status: 'started' });
    await expect.poll(() => requests.length).toBe(1);
    expect(await scheduler.syncRecord({ objectType: 'Lead', id: '00Q5e00000AbCdEEAV' })).toEqual({
      status: 'queued',
    });
    expect((await scheduler.state()).running).toBe(true);
    finish();
    await expect.poll(() => requests.length).toBe(2);
    expect(requests[1]).toMatchObject({ trigger: 'record', record: { id: '00Q5e00000AbCdEEAV' } });
    finish();
    await scheduler.idle();
    expect((await scheduler.state()).running).toBe(false);
  });

  it("accepts a record's Sync now at most once per interval, saying when it is available again", async () => {
    let now = 1_800_000_000_000;
    const clock = { ...systemClock, now: () => now };
    const { scheduler, requests, finish } = setup({ clock });
    const lead = { objectType: 'Lead', id: '00Q5e00000AbCdEEAV' };
    expect(await scheduler.syncRecord(lead)).toEqual({ status: 'started' });
    await expect.poll(() => requests.length).toBe(1);
    // Asked again while it runs: the same cycle, not a refusal.
    expect(await scheduler.syncRecord(lead)).toEqual({ status: 'started' });
    finish();
    await scheduler.idle();
    now += 4_000;
    expect(await scheduler.syncRecord(lead)).toEqual({
      status: 'refused',
      reason: 'too-soon',
      message: 'This record was synced moments ago; Sync now is available again in 6 s.',
    });
    // Another record is not held back.
    expect(await scheduler.syncRecord({ objectType: 'Lead', id: '00Q5e00000XyZaBEAV' })).toEqual({
      status: 'started',
    });
    await expect.poll(() => requests.length).toBe(2);
    finish();
    await scheduler.idle();
    now += RECORD_SYNC_INTERVAL_MS;
    expect(await scheduler.syncRecord(lead)).toEqual({ status: 'started' });
    await expect.poll(() => requests.length).toBe(3);
    finish();
    await scheduler.idle();
  });

  it("runs a campaign's Sync now for its pair, and refuses a record the sync has nothing to do for", async () => {
    let now = 1_800_000_000_000;
    const clock = { ...systemClock, now: () => now };
    const { scheduler, store, requests, finish } = setup({ clock });
    const campaign = { objectType: 'Campaign', id: toId18('7015e00000AbCdE') };
    expect(await scheduler.syncRecord(campaign)).toMatchObject({
      status: 'refused',
      reason: 'not-synced',
      message: expect.stringContaining('in no campaign ⇄ program pair'),
    });
    const settings = await store.getSettings();
    await store.updateSettings({
      objects: {
        ...settings.objects,
        Campaign: { ...settings.objects.Campaign!, enabled: true },
        Lead: { ...settings.objects.Lead!, enabled: false },
      },
      programPairs: [webinarPair({ id: campaign.id, name: 'Webinar' }, { id: 1000, name: 'Webinar' })],
    });
    expect(await scheduler.syncRecord({ objectType: 'Lead', id: '00Q5e00000AbCdEEAV' })).toMatchObject({
      status: 'refused',
      reason: 'not-synced',
      message: 'Lead records are not synced: turn the object on in Options → Sync settings.',
    });
    expect(requests).toHaveLength(0);
    expect(await scheduler.syncRecord(campaign)).toEqual({ status: 'started' });
    await expect.poll(() => requests.length).toBe(1);
    expect(requests[0]).toEqual({ trigger: 'record', record: campaign });
    finish();
    await scheduler.idle();
    now += 1_000;
    expect(await scheduler.syncRecord(campaign)).toMatchObject({
      status: 'refused',
      reason: 'too-soon',
      message: 'This campaign’s pair was synced moments ago; Sync now is available again in 9 s.',
    });
  });

  it('"Check both sides now" asks the engine for a manual cycle with Reconcile, refused while paused', async () => {
    const { scheduler, requests, finish } = setup();
    expect(await scheduler.reconcileNow()).toEqual({ status: 'started' });
    await expect.poll(() => requests.length).toBe(1);
    expect(requests[0]).toEqual({ trigger: 'manual', reconcile: true });
    finish();
    await scheduler.idle();
    await scheduler.setPaused(true);
    expect(await scheduler.reconcileNow()).toMatchObject({ status: 'refused', reason: 'paused' });
    expect(requests).toHaveLength(1);
  });

  it('tells the background each time a cycle starts or ends and when the sync is paused', async () => {
    const seen: string[] = [];
    let scheduler: ReturnType<typeof setup>['scheduler'] | undefined;
    const harness = setup({
      onStateChange: () => {
        // What the background would publish right then.
        void scheduler!.state().then((s) => seen.push(`running=${s.running} last=${s.lastCycle?.id ?? '-'}`));
      },
    });
    scheduler = harness.scheduler;
    await scheduler.syncNow();
    await scheduler.syncNow(); // queued behind the first
    await expect.poll(() => seen).toEqual(['running=true last=-']);
    harness.finish();
    await expect.poll(() => harness.requests.length).toBe(2);
    await expect.poll(() => seen.at(-1)).toBe('running=true last=1');
    harness.finish();
    await scheduler.idle();
    await expect.poll(() => seen.at(-1)).toBe('running=false last=2');
    expect(seen).toHaveLength(3);
    await scheduler.setPaused(true);
    await expect.poll(() => seen).toHaveLength(4);
  });

  it('refuses Sync now while paused, saying why', async () => {
    const paused = setup();
    await paused.store.updateSettings({ paused: true });
    expect(await paused.scheduler.syncNow()).toMatchObject({ status: 'refused', reason: 'paused' });
    expect(paused.requests).toHaveLength(0);
  });

  it('refuses Sync now when not connected, naming what is missing', async () => {
    const offline = setup({ connected: false });
    expect(await offline.scheduler.syncNow()).toMatchObject({
      status: 'refused',
      reason: 'not-connected',
      message: expect.stringContaining('marketo.clientSecret'),
    });
    expect(offline.requests).toHaveLength(0);
  });

  it('skips the scheduled cycle while paused', async () => {
    const { scheduler, store, requests } = setup();
    await store.updateSettings({ paused: true });
    await scheduler.onAlarm(CYCLE_ALARM);
    expect(requests).toHaveLength(0);
  });

  it('shows the last cycle’s failures on the toolbar badge', async () => {
    const { scheduler, finish } = setup({ failed: 3 });
    await scheduler.syncNow();
    finish();
    await scheduler.idle();
    expect(await fakeBrowser.action.getBadgeText({})).toBe('3');
    expect(await fakeBrowser.action.getTitle({})).toBe(
      'Salesforce Sync Status — last cycle Completed · 3 records failed',
    );
  });

  it('names why the last cycle failed in the toolbar tooltip', () => {
    const cycle = {
      id: 1,
      trigger: 'schedule' as const,
      startedAt: 0,
      endedAt: 1,
      status: 'Failed' as const,
      totals: emptyCounters(),
      apiCalls: { salesforce: 1, marketo: 0 },
      error: 'INVALID_SESSION_ID',
      reason: 'The Salesforce session expired or was refused — log in to Salesforce again',
    };
    expect(badgeTitle(cycle)).toBe(
      'Salesforce Sync Status — last cycle Failed: The Salesforce session expired or was refused — log in to Salesforce again',
    );
  });
});

describe('scheduler: Replay and Retry these now', () => {
  const lead = { objectType: 'Lead', id: '00Q5e00000AbCdEEAV' };

  it('answers a replay with its own cycle’s result, also when it waited behind another cycle', async () => {
    const { scheduler, requests, finish } = setup();
    await scheduler.syncNow();
    await expect.poll(() => requests.length).toBe(1);
    const answer = scheduler.replay(lead);
    finish(); // the cycle in progress ends; the replay's cycle starts after it
    await expect.poll(() => requests.length).toBe(2);
    expect(requests[1]).toEqual({ trigger: 'record', record: lead, replay: true });
    finish();
    // This fake engine reports no replay: the answer says nothing was sent, and why.
    expect(await answer).toEqual({
      status: 'ran',
      result: { kind: 'not-sent', reason: 'the cycle did not run' },
    });
  });

  it('refuses a replay while paused, and within Sync now’s interval for the record', async () => {
    const { scheduler, store, requests, finish } = setup();
    await store.updateSettings({ paused: true });
    expect(await scheduler.replay(lead)).toMatchObject({ status: 'refused', reason: 'paused' });
    await store.updateSettings({ paused: false });
    expect(await scheduler.syncRecord(lead)).toEqual({ status: 'started' });
    expect(await scheduler.replay(lead)).toMatchObject({ status: 'refused', reason: 'too-soon' });
    finish();
    await scheduler.idle();
    expect(requests).toHaveLength(1);
  });

  it('runs "Retry these now" as a manual cycle with the records to retry', async () => {
    const { scheduler, requests, finish } = setup();
    expect(await scheduler.retryNow({ 'Push Updates': [lead.id] })).toEqual({ status: 'started' });
    await expect.poll(() => requests.length).toBe(1);
    expect(requests[0]).toEqual({ trigger: 'manual', retryNow: { 'Push Updates': [lead.id] } });
    finish();
    await scheduler.idle();
  });
});
