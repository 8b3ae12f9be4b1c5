// Compact times for the step table: an Ended At on the same day as its Started At shows only the
// time, and dates leave out the year (the full date is the cell's tooltip), so the ten columns fit
// the popup's 800 px. Same zone rule as lib/format/time.
import { zonedFormat } from '../lib/format/time';

const OPTIONS = {
  date: { dateStyle: 'short' },
  time: { timeStyle: 'medium' },
  compact: { month: 'numeric', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

const formatter = (kind: keyof typeof OPTIONS, timeZone: string | undefined) =>
  zonedFormat(kind, OPTIONS[kind], timeZone);

export function sameDay(a: number, b: number, timeZone?: string): boolean {
  const f = formatter('date', timeZone);
  return f.format(a) === f.format(b);
}

export function formatTime(ms: number, timeZone?: string): string {
  return formatter('time', timeZone).format(ms);
}

/** "11/20, 10:32:30 PM": a table cell's date and time without the year. */
export function formatCompact(ms: number, timeZone?: string): string {
  return formatter('compact', timeZone).format(ms);
}
