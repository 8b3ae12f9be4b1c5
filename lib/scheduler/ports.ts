// What the scheduler needs from the browser, as ports (the background wires chrome.alarms and
// chrome.action to them; tests use fakeBrowser).

export const CYCLE_ALARM = 'sync-cycle';
/** One-shot: run again after a busy lease has expired. */
export const RETRY_ALARM = 'sync-retry';

export interface AlarmsPort {
  create(name: string, info: { when?: number; periodInMinutes?: number }): Promise<void> | void;
  get(name: string): Promise<{ scheduledTime: number; periodInMinutes?: number } | undefined>;
  clear(name: string): Promise<boolean>;
}

export interface BadgePort {
  setBadgeText(details: { text: string }): Promise<void>;
  setBadgeBackgroundColor(details: { color: string }): Promise<void>;
  /** The toolbar button's tooltip: it names the last cycle's status and, when it failed, why. */
  setTitle(details: { title: string }): Promise<void>;
}
