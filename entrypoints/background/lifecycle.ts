import type { SettingsStore } from '../../lib/settings/store';
import type { Scheduler } from './scheduler';

/** The schedule's alarms, kept in step with the settings, the browser's start and installs. */
export function setupLifecycle(scheduler: Scheduler, store: SettingsStore): void {
  browser.alarms.onAlarm.addListener((alarm) => void scheduler.onAlarm(alarm.name));
  // Settings saved on the options page apply from the next cycle; the interval at once.
  store.watchSettings(() => void scheduler.ensureSchedule());
  // Sync runs in this browser or a service (issue 21): the alarm goes or comes back at once.
  store.watchConnections(() => void scheduler.ensureSchedule());
  browser.runtime.onStartup.addListener(() => void scheduler.ensureSchedule());
  browser.runtime.onInstalled.addListener(({ reason }) => {
    void scheduler.ensureSchedule();
    // First run: the admin starts by connecting Salesforce and Marketo.
    if (reason === 'install') void browser.runtime.openOptionsPage();
  });
}
