import type { SyncWindowSummary } from '@kupe/plugin-gitops-common';
import { formatRelative, formatUtc } from './relativeTime';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const pad = (n: number) => String(n).padStart(2, '0');
const isNumber = (field: string) => /^\d+$/.test(field);

/** `1-5` and `1,3,5` as days; undefined for steps, names or anything else. */
function dayList(field: string): number[] | undefined {
  const days: number[] = [];
  for (const part of field.split(',')) {
    const range = /^(\d)(?:-(\d))?$/.exec(part);
    if (!range) return undefined;
    const from = Number(range[1]);
    const to = Number(range[2] ?? range[1]);
    if (from > 7 || to > 7 || to < from) return undefined;
    for (let d = from; d <= to; d++) days.push(d % 7);
  }
  return days;
}

function dayWords(days: number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  if (sorted.join() === '1,2,3,4,5') return 'on weekdays';
  if (sorted.join() === '0,6') return 'on weekends';
  return `every ${sorted.map(d => DAYS[d]).join(', ')}`;
}

/**
 * How often a window opens, in words, from its cron schedule (minute hour day-of-month month
 * day-of-week): `daily at 22:00 UTC`, `on weekdays at 08:30 Europe/Berlin`, `hourly at :15`,
 * `monthly on day 1 at 00:00 UTC`; a schedule of another shape is named as it is.
 */
export function recurrenceText(window: SyncWindowSummary): string {
  const zone = window.timeZone || 'UTC';
  const fields = window.schedule.trim().split(/\s+/);
  if (fields.length !== 5) return `on the schedule ${window.schedule}`;
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields;
  if (fields.every(f => f === '*')) return 'every minute';
  if (
    isNumber(minute) &&
    hour === '*' &&
    [dayOfMonth, month, dayOfWeek].every(f => f === '*')
  ) {
    return `hourly at :${pad(Number(minute))}`;
  }
  if (!isNumber(minute) || !isNumber(hour) || month !== '*') {
    return `on the schedule ${window.schedule} (${zone})`;
  }
  const at = `at ${pad(Number(hour))}:${pad(Number(minute))} ${zone}`;
  if (dayOfMonth === '*' && dayOfWeek === '*') return `daily ${at}`;
  if (dayOfMonth === '*') {
    const days = dayList(dayOfWeek);
    if (days) return `${dayWords(days)} ${at}`;
  }
  if (isNumber(dayOfMonth) && dayOfWeek === '*') {
    return `monthly on day ${Number(dayOfMonth)} ${at}`;
  }
  return `on the schedule ${window.schedule} (${zone})`;
}

const DURATION_UNITS: Record<string, [string, string]> = {
  h: ['hour', 'hours'],
  m: ['minute', 'minutes'],
  s: ['second', 'seconds'],
};

/** A Go duration in words: `14h` gives `14 hours`, `1h30m` gives `1 hour 30 minutes`. */
export function durationText(duration: string): string {
  const parts = [...duration.matchAll(/(\d+)([hms])/g)];
  if (parts.length === 0 || parts.map(p => p[0]).join('') !== duration) {
    return duration;
  }
  return parts
    .map(([, n, unit]) => {
      const [one, many] = DURATION_UNITS[unit];
      return `${Number(n)} ${Number(n) === 1 ? one : many}`;
    })
    .join(' ');
}

/** "Fri 18:00 UTC" within the coming or past week, else with the date. */
export function windowTime(iso: string, now: number): string {
  const time = Date.parse(iso);
  const full = formatUtc(iso) ?? iso;
  if (Number.isNaN(time) || Math.abs(time - now) >= 6 * 86_400_000) {
    return full;
  }
  // "Fri 4 Dec 2026, 18:00 UTC" without the date
  return full.replace(/^(\w+) .*, /, '$1 ');
}

/** "Fri 18:00 UTC (in 6 hours)". */
function whenText(iso: string, now: number): string {
  return `${windowTime(iso, now)} (${formatRelative(iso, now)})`;
}

/** What the project calls the window, else what it does. */
export function windowName(window: SyncWindowSummary): string {
  if (window.description) return window.description;
  return window.kind === 'deny' ? 'Change freeze' : 'Deployment window';
}

/**
 * One window in a sentence: `Change freeze until Fri 18:00 UTC (in 6 hours), recurring daily
 * at 22:00 UTC`, `Change freeze, which never ends`, or for a closed one `Deployment window
 * opens Sat 02:00 UTC (in 13 hours), recurring daily at 02:00 Europe/Berlin`.
 */
export function windowSentence(window: SyncWindowSummary, now: number): string {
  const name = windowName(window);
  const recurring = `recurring ${recurrenceText(window)}`;
  if (window.active) {
    // Open with no end Argo CD can foresee: each opening starts before the last one closes.
    if (!window.activeUntil) return `${name}, which never ends`;
    return `${name} until ${whenText(window.activeUntil, now)}, ${recurring}`;
  }
  return window.nextStart
    ? `${name} opens ${whenText(window.nextStart, now)}, ${recurring}`
    : `${name}, closed, ${recurring}`;
}

/** The window's schedule in words: `daily at 22:00 UTC for 14 hours`. */
export function scheduleText(window: SyncWindowSummary): string {
  return `${recurrenceText(window)} for ${durationText(window.duration)}`;
}
