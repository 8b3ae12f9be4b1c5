// A time span in words, for the dashboard's estimates (time to clear a backlog). Its own module, not
// lib/format/time.ts: that one is in the popup's bundle (≤ 50 KB gzipped), this is not needed there.
/** "2 h 30 min", "45 min", "under a minute": a time span for estimates (rounded to minutes). */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'under a minute';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return rest > 0 ? `${hours} h ${rest} min` : `${hours} h`;
  return `${rest} min`;
}
