// While the cycles run in a service (issue 21), this browser's scheduler runs none: no alarm stays
// set, an alarm left from before fires into nothing, every request is refused saying why, and the
// badge no longer shows this browser's last cycle. Switching back sets the alarm again.
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { settingsStorage } from '../../components/storage/settings';
import { SyncLogDatabase } from '../../lib/db/database';
import { systemClock } from '../../lib/http/ports';
import { CYCLE_ALARM, RETRY_ALARM } from '../../lib/scheduler/ports';
import { createScheduler } from '../../lib/scheduler/scheduler';
import { createSettingsStore } from '../../lib/settings/store';

let n = 0;
let inService: boolean;
let connects: number;

function setup() {
  const scheduler = createScheduler({
    db: new SyncLogDatabase(`scheduler-service-${n++}`),
    clock: systemClock,
    alarms: fakeBrowser.alarms,
    badge: fakeBrowser.action,
    settings: createSettingsStore(settingsStorage()),
    runsHere: async () => !inService,
    connect: async () => {
      connects++;
      return { ok: false, missing: ['marketo.clientSecret'] };
    },
    connectionStatus: async () => ({
      salesforce: { state: 'unchecked' },
      marketo: { state: 'unchecked' },
    }),
  });
  return scheduler;
}

beforeEach(() => {
  fakeBrowser.reset();
  inService = false;
  connects = 0;
});

describe('scheduler in service mode', () => {
  it('clears its alarms and the badge, and sets the alarm again when the browser runs the sync', async () => {
    const scheduler = setup();
    await scheduler.ensureSchedule();
    expect(await fakeBrowser.alarms.get(CYCLE_ALARM)).toBeDefined();
    await fakeBrowser.alarms.create(RETRY_ALARM, { when: Date.now() + 30_000 });
    await fakeBrowser.action.setBadgeText({ text: '!' });
    inService = true;
    await scheduler.ensureSchedule();
    expect(await fakeBrowser.alarms.getAll()).toEqual([]);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('');
    expect(await fakeBrowser.action.getTitle({})).toBe(
      'Salesforce Sync Status — the cycles run in a service',
    );
    inService = false;
    await scheduler.ensureSchedule();
    expect(await fakeBrowser.alarms.get(CYCLE_ALARM)).toBeDefined();
  });

  it('an alarm set before the switch runs no cycle', async () => {
    const scheduler = setup();
    await scheduler.ensureSchedule();
    inService = true;
    await scheduler.onAlarm(CYCLE_ALARM);
    await scheduler.idle();
    expect(connects).toBe(0);
    expect(await fakeBrowser.alarms.get(CYCLE_ALARM)).toBeUndefined();
    expect((await scheduler.state()).running).toBe(false);
  });

  it('refuses Sync now, Check both sides, a record’s Sync now and Replay, saying where the cycles run', async () => {
    inService = true;
    const scheduler = setup();
    const refused = {
      status: 'refused',
      reason: 'service-mode',
      message: 'The cycles run in a service (Options → Sync runs in): this browser runs none.',
    };
    expect(await scheduler.syncNow()).toEqual(refused);
    expect(await scheduler.reconcileNow()).toEqual(refused);
    expect(await scheduler.retryNow({ 'Pull Updates': ['00Q5e00000AbCdEEAV'] })).toEqual(refused);
    expect(await scheduler.syncRecord({ objectType: 'Lead', id: '00Q5e00000AbCdEEAV' })).toEqual(refused);
    expect(await scheduler.replay({ objectType: 'Lead', id: '00Q5e00000AbCdEEAV' })).toEqual(refused);
    expect(connects).toBe(0);
  });
});
