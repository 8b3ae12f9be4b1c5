import { cycleSummaryOf } from '../db/cycleSummary';
import type { LogDatabase } from '../db/logPort';
import { pruneOlderThan } from '../db/retention';
import type { CycleRow, CycleTrigger, Operation, StepRow } from '../db/types';
import type { ClockPort } from '../http/ports';
import type { ConnectionStatus, CycleSummary, SyncRequestResult, SyncStateView } from '../messaging/views';
import type { SyncSettings } from '../settings/schema';
import { recordSyncable } from '../sync/engine';
import { failureReason } from '../sync/failureReason';
import type { ReplayResult } from '../sync/replay';
import { type NotificationsPort, notifyAfterCycle } from './notifications';
import { type AlarmsPort, type BadgePort, CYCLE_ALARM, RETRY_ALARM } from './ports';

const RETRY_AFTER_MS = 30_000;

export interface CycleRequest {
  trigger: CycleTrigger;
  record?: { objectType: string; id: string };
  /** Run Reconcile in this cycle even if it is not due. */
  reconcile?: boolean;
  /** "Retry these now": per operation, failed records this cycle retries first. */
  retryNow?: Partial<Record<Operation, string[]>>;
  /** With trigger "record": re-send the record's failed write alone (Replay as the sync user). */
  replay?: boolean;
}

/** What a cycle reports; no cycle when another one holds the engine's lease. */
export interface CycleReport {
  cycle: CycleRow | undefined;
  steps: StepRow[];
  skippedReason?: string;
  replay?: ReplayResult;
}

/** What a replay answers: its result, or why it did not run (lib/sync/replay.ts). */
export type ReplayAnswer =
  | { status: 'ran'; result: ReplayResult }
  | Extract<SyncRequestResult, { status: 'refused' }>;

/** The engine as the scheduler sees it; null from `connect` means a side is not configured. */
export interface ConnectedEngine {
  runCycle(request: CycleRequest): Promise<CycleReport>;
}

export interface SchedulerDeps {
  db: LogDatabase;
  clock: ClockPort;
  alarms: AlarmsPort;
  badge: BadgePort;
  /** System notifications ("Notify me of failed cycles"); none in the headless runner. */
  notifications?: NotificationsPort;
  settings: {
    getSettings(): Promise<SyncSettings>;
    updateSettings(change: Partial<SyncSettings>): Promise<{ ok: boolean }>;
  };
  /** Builds the engine from the stored connections, or says which side is missing what. */
  connect(): Promise<{ ok: true; engine: ConnectedEngine } | { ok: false; missing: string[] }>;
  /** Each side's state from the stored connections, the last connection test and `lastCycle`. */
  connectionStatus(lastCycle: CycleRow | undefined): Promise<SyncStateView['connection']>;
  log?: (line: string) => void;
  /**
   * False while the cycles run in a service (issue 21, docs/service-mode.md): no alarm, no cycle,
   * every request refused. Absent: always here (the headless runner, the tests).
   */
  runsHere?: () => Promise<boolean>;
  /**
   * Told whenever what `state()` answers changes with a cycle (one starts or ends) or a pause, so
   * the background can publish it at once (the popup's header would otherwise lag by its poll).
   */
  onStateChange?: () => void;
}

/** The toolbar tooltip after a cycle: its status, its failed records, and why it did not complete. */
export function badgeTitle(cycle: CycleRow): string {
  const failed = cycle.totals.failed;
  const records = failed > 0 ? ` · ${failed} record${failed === 1 ? '' : 's'} failed` : '';
  const why = cycle.status === 'Completed' ? '' : `: ${cycle.reason ?? cycle.error ?? 'no reason recorded'}`;
  return `Salesforce Sync Status — last cycle ${cycle.status}${why}${records}`;
}

/**
 * Runs sync cycles on the alarm schedule and on demand, one at a time per worker (the engine's
 * lease guards across worker restarts). Requests that arrive while a cycle runs are queued and
 * run right after it; a paused sync refuses manual runs with a reason.
 */
/** At most one accepted Sync now per record in this time. */
export const RECORD_SYNC_INTERVAL_MS = 10_000;

export function createScheduler(deps: SchedulerDeps) {
  let running: Promise<CycleReport | undefined> | undefined;
  /** The request of the cycle in progress (the record panel shows its record as syncing). */
  let current: CycleRequest | undefined;
  const queue: CycleRequest[] = [];
  /** Requests whose asker waits for their own report (a replay). */
  const waiting = new Map<CycleRequest, (report: CycleReport | undefined) => void>();
  /** Why the last cycle could not run at all (e.g. its log could not even be opened or written). */
  let problem: SyncStateView['problem'];
  const log = deps.log ?? (() => {});
  const changed = () => deps.onStateChange?.();

  const runsHere = () => deps.runsHere?.() ?? Promise.resolve(true);

  /** Creates or re-creates the alarm when the interval changed; clears it while paused or in service mode. */
  async function ensureSchedule(): Promise<void> {
    if (!(await runsHere())) {
      await deps.alarms.clear(CYCLE_ALARM);
      await deps.alarms.clear(RETRY_ALARM);
      // The badge told this browser's last cycle; the service's are in the popup.
      await deps.badge.setBadgeText({ text: '' });
      await deps.badge.setTitle({ title: 'Salesforce Sync Status — the cycles run in a service' });
      return;
    }
    const settings = await deps.settings.getSettings();
    const alarm = await deps.alarms.get(CYCLE_ALARM);
    if (settings.paused) {
      if (alarm) await deps.alarms.clear(CYCLE_ALARM);
      return;
    }
    if (alarm?.periodInMinutes === settings.intervalMinutes) return;
    await deps.alarms.create(CYCLE_ALARM, {
      when: deps.clock.now() + settings.intervalMinutes * 60_000,
      periodInMinutes: settings.intervalMinutes,
    });
  }

  async function runNow(request: CycleRequest): Promise<CycleReport | undefined> {
    const connected = await deps.connect();
    if (!connected.ok) {
      log(`sync skipped: not connected (${connected.missing.join(', ')})`);
      return undefined;
    }
    const report = await connected.engine.runCycle(request);
    await afterCycle(report);
    return report;
  }

  async function afterCycle(report: CycleReport): Promise<void> {
    if (!report.cycle) {
      // A cycle of a stopped worker still holds the lease: try again once it has expired.
      log(`cycle not run: ${report.skippedReason ?? 'busy'}`);
      await deps.alarms.create(RETRY_ALARM, { when: deps.clock.now() + RETRY_AFTER_MS });
      return;
    }
    const settings = await deps.settings.getSettings();
    await pruneOlderThan(deps.db, settings.retentionDays, deps.clock.now());
    const failed = report.cycle.totals.failed;
    const broken = report.cycle.status === 'Failed' || report.cycle.status === 'Purged';
    await deps.badge.setBadgeText({ text: broken ? '!' : failed > 0 ? String(Math.min(failed, 9999)) : '' });
    await deps.badge.setBadgeBackgroundColor({ color: broken || failed > 0 ? '#ba0517' : '#2e844a' });
    await deps.badge.setTitle({ title: badgeTitle(report.cycle) });
    if (deps.notifications) {
      await notifyAfterCycle(
        deps.db,
        deps.notifications,
        report.cycle,
        settings.notifyOnFailure,
        deps.clock.now(),
      ).catch((error: unknown) => log(`notification not shown: ${failureReason(error).raw}`));
    }
  }

  /** Runs the request now, or after the cycle in progress; one cycle at a time. */
  function start(request: CycleRequest): {
    status: 'started' | 'queued';
    done: Promise<CycleReport | undefined>;
  } {
    if (running) {
      queue.push(request);
      return { status: 'queued', done: running };
    }
    const done = (async () => {
      let next: CycleRequest | undefined = request;
      let last: CycleReport | undefined;
      while (next) {
        current = next;
        let report: CycleReport | undefined;
        try {
          report = await runNow(next);
          last = report;
          if (last?.cycle) problem = undefined;
        } catch (error) {
          log(`cycle failed: ${error instanceof Error ? error.message : String(error)}`);
          const failure = failureReason(error);
          problem = { reason: failure.reason, error: failure.raw, at: deps.clock.now() };
        }
        waiting.get(next)?.(report);
        waiting.delete(next);
        next = queue.shift();
        if (next) changed(); // one cycle ended, the queued one starts
      }
      return last;
    })().finally(() => {
      running = undefined;
      current = undefined;
      changed();
    });
    running = done;
    changed();
    return { status: 'started', done };
  }

  async function refusal(trigger: CycleTrigger): Promise<SyncRequestResult | undefined> {
    if (!(await runsHere()))
      return {
        status: 'refused',
        reason: 'service-mode',
        message: 'The cycles run in a service (Options → Sync runs in): this browser runs none.',
      };
    const settings = await deps.settings.getSettings();
    if (settings.paused && trigger !== 'schedule') {
      return {
        status: 'refused',
        reason: 'paused',
        message: 'The sync is paused. Resume it to run a cycle.',
      };
    }
    const connected = await deps.connect();
    if (!connected.ok) {
      return {
        status: 'refused',
        reason: 'not-connected',
        message: `Not connected: set up ${connected.missing.join(', ')} on the options page.`,
      };
    }
    return undefined;
  }

  async function request(cycle: CycleRequest): Promise<SyncRequestResult> {
    const refused = await refusal(cycle.trigger);
    if (refused) return refused;
    const started = start(cycle);
    if (started.status === 'queued') return { status: 'queued' };
    return { status: 'started' };
  }

  /** When Sync now (or Replay) was last accepted per record (18-character id); this worker's life only. */
  const recordSyncAcceptedAt = new Map<string, number>();

  /** Why a record's Sync now or Replay is refused as too soon after the last one, if it is. */
  function tooSoon(record: { objectType: string; id: string }, now: number): SyncRequestResult | undefined {
    const wait = (recordSyncAcceptedAt.get(record.id) ?? -Infinity) + RECORD_SYNC_INTERVAL_MS - now;
    if (wait <= 0) return undefined;
    const what = record.objectType === 'Campaign' ? 'This campaign’s pair' : 'This record';
    return {
      status: 'refused',
      reason: 'too-soon',
      message: `${what} was synced moments ago; Sync now is available again in ${Math.ceil(wait / 1000)} s.`,
    };
  }

  /** Whether a one-record cycle for this 18-character id is running or waiting in the queue. */
  function recordSync(id: string): 'running' | 'queued' | undefined {
    const forRecord = (r: CycleRequest | undefined) => r?.trigger === 'record' && r.record?.id === id;
    if (forRecord(current)) return 'running';
    return queue.some(forRecord) ? 'queued' : undefined;
  }

  async function state(): Promise<SyncStateView> {
    const [settings, alarm, last] = await Promise.all([
      deps.settings.getSettings(),
      deps.alarms.get(CYCLE_ALARM),
      deps.db.cycles.orderBy('startedAt').last(),
    ]);
    const connection = await deps.connectionStatus(last);
    const lastCycle: CycleSummary | undefined = last && cycleSummaryOf(last);
    return {
      paused: settings.paused,
      running: running !== undefined,
      nextRunAt: settings.paused ? null : (alarm?.scheduledTime ?? null),
      ...(lastCycle && { lastCycle }),
      ...(problem && { problem }),
      connection,
    };
  }

  return {
    ensureSchedule,
    /** The alarm fired: a scheduled cycle, unless paused. */
    async onAlarm(name: string): Promise<void> {
      if (name !== CYCLE_ALARM && name !== RETRY_ALARM) return;
      // An alarm left from before the switch to service mode runs nothing (and is cleared).
      if (!(await runsHere())) return ensureSchedule();
      const settings = await deps.settings.getSettings();
      if (settings.paused) return;
      await start({ trigger: 'schedule' }).done;
    },
    syncNow: () => request({ trigger: 'manual' }),
    /** A manual cycle that also compares both sides now (Reconcile), whether or not it is due. */
    reconcileNow: () => request({ trigger: 'manual', reconcile: true }),
    /**
     * Sync now for one record (a campaign's: its campaign ⇄ program pair); asking again while it is
     * under way does not queue it twice.
     */
    async syncRecord(record: { objectType: string; id: string }): Promise<SyncRequestResult> {
      const underWay = recordSync(record.id);
      if (underWay) return { status: underWay === 'running' ? 'started' : 'queued' };
      // A cycle with nothing to do for the record would end Completed and say nothing true.
      if (!recordSyncable(await deps.settings.getSettings(), record))
        return {
          status: 'refused',
          reason: 'not-synced',
          message:
            record.objectType === 'Campaign'
              ? 'This campaign is in no campaign ⇄ program pair: link it to a program in Options → Campaigns ⇄ Programs.'
              : `${record.objectType} records are not synced: turn the object on in Options → Sync settings.`,
        };
      // Each accepted Sync now costs API calls; a page (or a script driving the panel) pressing it
      // in a loop must not spend the org's daily allocation (docs/security.md).
      const now = deps.clock.now();
      const soon = tooSoon(record, now);
      if (soon) return soon;
      const result = await request({ trigger: 'record', record });
      if (result.status !== 'refused') recordSyncAcceptedAt.set(record.id, now);
      return result;
    },
    recordSync,
    /**
     * Replay as the sync user: a one-record cycle that re-sends the record's failed write (after the
     * cycle in progress, if any), answered with its own report's result.
     */
    async replay(record: { objectType: string; id: string }): Promise<ReplayAnswer> {
      const refused = (await refusal('record')) ?? tooSoon(record, deps.clock.now());
      if (refused?.status === 'refused') return refused;
      recordSyncAcceptedAt.set(record.id, deps.clock.now());
      const cycle: CycleRequest = { trigger: 'record', record, replay: true };
      const report = new Promise<CycleReport | undefined>((resolve) => waiting.set(cycle, resolve));
      start(cycle);
      const done = await report;
      if (done?.replay) return { status: 'ran', result: done.replay };
      const reason = done?.skippedReason ?? problem?.reason ?? 'the cycle did not run';
      return { status: 'ran', result: { kind: 'not-sent', reason } };
    },
    /** "Retry these now": a manual cycle that retries these failed records first (paused or not). */
    retryNow: (retryNow: Partial<Record<Operation, string[]>>) => request({ trigger: 'manual', retryNow }),
    async setPaused(paused: boolean): Promise<SyncStateView> {
      await deps.settings.updateSettings({ paused });
      await ensureSchedule();
      changed();
      return state();
    },
    state,
    /** Settles when the cycle in progress (and any queued after it) is done; for tests. */
    idle: () => running ?? Promise.resolve(undefined),
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
export type { ConnectionStatus };
