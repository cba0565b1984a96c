import type { SyncWindowSummary } from '@kupe/plugin-gitops-common';
import type { GitOpsTranslate } from '../translation';
import { formatRelative, formatUtc } from './relativeTime';

/** Day-of-week 0 to 6 (Sunday first, as cron counts), as the translation keys name them. */
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

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

function dayWords(t: GitOpsTranslate, days: number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  if (sorted.join() === '1,2,3,4,5') return t('syncWindowWords.weekdays');
  if (sorted.join() === '0,6') return t('syncWindowWords.weekends');
  return t('syncWindowWords.everyDays', {
    days: sorted.map(d => t(`syncWindowWords.days.${DAYS[d]}`)).join(', '),
  });
}

/**
 * How often a window opens, in words, from its cron schedule (minute hour day-of-month month
 * day-of-week): `daily at 22:00 UTC`, `on weekdays at 08:30 Europe/Berlin`, `hourly at :15`,
 * `monthly on day 1 at 00:00 UTC`; a schedule of another shape is named as it is.
 */
export function recurrenceText(
  t: GitOpsTranslate,
  window: SyncWindowSummary,
): string {
  const zone = window.timeZone || 'UTC';
  const schedule = window.schedule;
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5) return t('syncWindowWords.onSchedule', { schedule });
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields;
  if (fields.every(f => f === '*')) return t('syncWindowWords.everyMinute');
  if (
    isNumber(minute) &&
    hour === '*' &&
    [dayOfMonth, month, dayOfWeek].every(f => f === '*')
  ) {
    return t('syncWindowWords.hourly', { minute: pad(Number(minute)) });
  }
  const other = t('syncWindowWords.onScheduleIn', { schedule, zone });
  if (!isNumber(minute) || !isNumber(hour) || month !== '*') return other;
  const time = `${pad(Number(hour))}:${pad(Number(minute))}`;
  if (dayOfMonth === '*' && dayOfWeek === '*') {
    return t('syncWindowWords.daily', { time, zone });
  }
  if (dayOfMonth === '*') {
    const days = dayList(dayOfWeek);
    if (days) {
      return t('syncWindowWords.onDays', {
        days: dayWords(t, days),
        time,
        zone,
      });
    }
  }
  if (isNumber(dayOfMonth) && dayOfWeek === '*') {
    return t('syncWindowWords.monthly', {
      day: String(Number(dayOfMonth)),
      time,
      zone,
    });
  }
  return other;
}

const DURATION_UNITS = {
  h: 'syncWindowWords.hours',
  m: 'syncWindowWords.minutes',
  s: 'syncWindowWords.seconds',
} as const;

/** A Go duration in words: `14h` gives `14 hours`, `1h30m` gives `1 hour 30 minutes`. */
export function durationText(t: GitOpsTranslate, duration: string): string {
  const parts = [...duration.matchAll(/(\d+)([hms])/g)];
  if (parts.length === 0 || parts.map(p => p[0]).join('') !== duration) {
    return duration;
  }
  return parts
    .map(([, n, unit]) =>
      t(DURATION_UNITS[unit as keyof typeof DURATION_UNITS], {
        count: Number(n),
      }),
    )
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
function whenText(t: GitOpsTranslate, iso: string, now: number): string {
  return t('syncWindowWords.when', {
    time: windowTime(iso, now),
    relative: formatRelative(iso, now) ?? '',
  });
}

/** What the project calls the window, else what it does. */
export function windowName(
  t: GitOpsTranslate,
  window: SyncWindowSummary,
): string {
  if (window.description) return window.description;
  return window.kind === 'deny'
    ? t('syncWindowWords.changeFreeze')
    : t('syncWindowWords.deploymentWindow');
}

/**
 * One window in a sentence: `Change freeze until Fri 18:00 UTC (in 6 hours), recurring daily
 * at 22:00 UTC`, `Change freeze, which never ends`, or for a closed one `Deployment window
 * opens Sat 02:00 UTC (in 13 hours), recurring daily at 02:00 Europe/Berlin`.
 */
export function windowSentence(
  t: GitOpsTranslate,
  window: SyncWindowSummary,
  now: number,
): string {
  const name = windowName(t, window);
  const recurrence = recurrenceText(t, window);
  if (window.active) {
    // Open with no end Argo CD can foresee: each opening starts before the last one closes.
    if (!window.activeUntil) return t('syncWindowWords.neverEnds', { name });
    return t('syncWindowWords.until', {
      name,
      when: whenText(t, window.activeUntil, now),
      recurrence,
    });
  }
  return window.nextStart
    ? t('syncWindowWords.opens', {
        name,
        when: whenText(t, window.nextStart, now),
        recurrence,
      })
    : t('syncWindowWords.closedRecurring', { name, recurrence });
}

/** The window's schedule in words: `daily at 22:00 UTC for 14 hours`. */
export function scheduleText(
  t: GitOpsTranslate,
  window: SyncWindowSummary,
): string {
  return t('syncWindowWords.schedule', {
    recurrence: recurrenceText(t, window),
    duration: durationText(t, window.duration),
  });
}
