const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
];

/** "5 minutes ago" for a timestamp, relative to `now`. */
export function formatRelative(
  iso: string | undefined,
  now: number = Date.now(),
): string | undefined {
  if (!iso) return undefined;
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return undefined;
  return formatAgo(now - time);
}

/** "5 minutes ago" for an age in milliseconds. */
export function formatAgo(ageMs: number): string {
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(ageMs) >= size || unit === 'second') {
      return format.format(-Math.round(ageMs / size), unit);
    }
  }
  return format.format(0, 'second');
}

/**
 * The absolute time in UTC, the same for every reader wherever they sit:
 * "Fri 4 Dec 2026, 18:00 UTC". Undefined for a missing or unreadable timestamp.
 */
export function formatUtc(
  time: string | number | undefined,
): string | undefined {
  if (time === undefined) return undefined;
  const ms = typeof time === 'number' ? time : Date.parse(time);
  if (Number.isNaN(ms)) return undefined;
  const parts = new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'UTC',
  }).formatToParts(ms);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find(p => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part(
    'year',
  )}, ${part('hour')}:${part('minute')} UTC`;
}

/** "42 min" style duration between two timestamps, for history rows. */
export function formatDuration(
  fromIso: string | undefined,
  toIso: string | undefined,
): string | undefined {
  if (!fromIso || !toIso) return undefined;
  const ms = Date.parse(toIso) - Date.parse(fromIso);
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}
