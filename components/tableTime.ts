// Compact times for the step table: an Ended At on the same day as its Started At shows only the
// time, so the ten columns fit the popup's 800 px. Same zone rule as lib/format/time.
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(kind: 'date' | 'time', timeZone: string | undefined): Intl.DateTimeFormat {
  const key = `${kind}|${timeZone ?? ''}`;
  let f = cache.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'date' ? { dateStyle: 'short' } : { timeStyle: 'medium' };
    try {
      f = new Intl.DateTimeFormat(undefined, { ...options, timeZone });
    } catch {
      f = new Intl.DateTimeFormat(undefined, options);
    }
    cache.set(key, f);
  }
  return f;
}

export function sameDay(a: number, b: number, timeZone?: string): boolean {
  const f = formatter('date', timeZone);
  return f.format(a) === f.format(b);
}

export function formatTime(ms: number, timeZone?: string): string {
  return formatter('time', timeZone).format(ms);
}
