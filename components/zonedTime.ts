// Converts between epoch ms and the wall-clock text of `<input type="datetime-local">`
// ("2026-11-20T10:05") in a given IANA time zone: the filter's dates are typed in the same zone
// the table shows (the Salesforce user's, else the browser's). Intl only; no date library.

import { zonedFormat } from '../lib/format/time';

const PARTS: Intl.DateTimeFormatOptions = {
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
};

/** An unknown zone name falls back to the browser's zone, as lib/format/time does. */
const partsFormatter = (timeZone: string | undefined) => zonedFormat('parts', PARTS, timeZone, 'en-US');

/** The wall-clock fields of an instant in a zone. */
function wallClock(ms: number, timeZone: string | undefined) {
  const parts: Record<string, number> = {};
  for (const p of partsFormatter(timeZone).formatToParts(ms)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return parts as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
function offsetAt(ms: number, timeZone: string | undefined): number {
  const w = wallClock(ms, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `2026-11-20T10:05` for an instant, as the zone's wall clock shows it (minutes, no seconds). */
export function toDateTimeInput(ms: number, timeZone?: string): string {
  const w = wallClock(ms, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

const INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * The instant a zone's wall clock shows `value`, or undefined for text that is not a date and time.
 * Two passes settle the offset across a DST change; a wall time skipped by DST maps to the instant
 * just after the gap, a repeated one to its first occurrence (as browsers do for local times).
 */
export function fromDateTimeInput(value: string, timeZone?: string): number | undefined {
  const m = INPUT.exec(value.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map((s) => Number(s ?? 0)) as number[];
  const asUtc = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  const check = new Date(asUtc);
  if (check.getUTCMonth() !== month! - 1 || check.getUTCDate() !== day! || hour! > 23 || minute! > 59) {
    return undefined;
  }
  let guess = asUtc - offsetAt(asUtc, timeZone);
  guess = asUtc - offsetAt(guess, timeZone);
  return guess;
}
