// Times are shown in the Salesforce user's time zone when known (the seed dashboard's rule),
// else the browser's. Intl does the work; an unknown zone name falls back instead of throwing.

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The formatter of `options` in a zone, made once per `kind` and zone (the tables format hundreds
 * of cells); an unknown zone name falls back to the browser's zone instead of throwing. Every date
 * format of the pages goes through here (components/tableTime.ts, components/zonedTime.ts).
 */
export function zonedFormat(
  kind: string,
  options: Intl.DateTimeFormatOptions,
  timeZone: string | undefined,
  locale?: string,
): Intl.DateTimeFormat {
  const key = `${kind}|${timeZone ?? ''}`;
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    } catch {
      f = new Intl.DateTimeFormat(locale, options);
    }
    formatters.set(key, f);
  }
  return f;
}

/** "Europe/Amsterdam (GMT+1)": the zone the tables' times are in, named once above them. */
export function zoneCaption(timeZone: string | undefined, at: number = Date.now()): string {
  let zone = timeZone;
  let f: Intl.DateTimeFormat;
  try {
    f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' });
  } catch {
    zone = undefined;
    f = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' });
  }
  const short = f.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const name = zone ?? f.resolvedOptions().timeZone;
  return short && short !== name ? `${name} (${short})` : name;
}

export function formatDateTime(ms: number | null | undefined, timeZone?: string): string {
  // timeStyle long names the zone ("7:51:26 PM GMT+1"): a time alone in a tooltip says where.
  return ms == null
    ? '—'
    : zonedFormat('long', { dateStyle: 'short', timeStyle: 'long' }, timeZone).format(ms);
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "3 minutes ago" / "in 2 minutes", for ages and countdowns. */
export function formatRelative(ms: number, now: number): string {
  const seconds = Math.round((ms - now) / 1000);
  if (Math.abs(seconds) < 60) return relative.format(seconds, 'second');
  const minutes = Math.round(seconds / 60);
  if (Math.abs(minutes) < 60) return relative.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 48) return relative.format(hours, 'hour');
  return relative.format(Math.round(hours / 24), 'day');
}
