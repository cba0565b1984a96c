import type { Application, SyncWindow } from '../argocd/types';
import { globMatch } from '../projects/glob';
import { CronSchedule } from './CronSchedule';
import { parseGoDuration } from './goDuration';

/*
 * Argo CD's sync window rules (argo-cd v3.5.1 `pkg/apis/application/v1alpha1/types.go`:
 * `SyncWindows.Matches`, `Active`, `InactiveAllows`, `CanSync`), written anew for Kupe.
 */

/** An open window that is still open this far ahead counts as having no foreseeable end. */
const HORIZON_MS = 366 * 24 * 3_600_000;

/** A window's schedule and duration, parsed; `invalid` says why it cannot be evaluated. */
interface ParsedWindow {
  schedule: CronSchedule;
  durationMs: number;
  offsetMs: number;
}

/**
 * The offset of `timeZone` from UTC at `at`, in ms. Like Argo CD, an empty or unknown zone is
 * UTC, and the offset of the current moment is used for the whole evaluation.
 */
export function timeZoneOffsetMs(
  timeZone: string | undefined,
  at: Date,
): number {
  if (!timeZone || timeZone === 'UTC') return 0;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    }).formatToParts(at);
  } catch {
    return 0;
  }
  const part = (type: string) =>
    Number(parts.find(p => p.type === type)?.value ?? 0);
  const wall = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}

function parseWindow(window: SyncWindow, now: Date): ParsedWindow {
  const scheduleText = window.schedule ?? '';
  const durationText = window.duration ?? '';
  let schedule: CronSchedule;
  try {
    schedule = CronSchedule.parse(scheduleText);
  } catch (error) {
    throw new Error(
      `cannot parse schedule '${scheduleText}': ${(error as Error).message}`,
    );
  }
  let durationMs: number;
  try {
    durationMs = parseGoDuration(durationText);
  } catch (error) {
    throw new Error(
      `cannot parse duration '${durationText}': ${(error as Error).message}`,
    );
  }
  return {
    schedule,
    durationMs,
    offsetMs: timeZoneOffsetMs(window.timeZone, now),
  };
}

/**
 * Whether a window is open at `now`: some schedule fire lies in (now - duration, now), both
 * in the window's time zone. Throws on an unparseable schedule or duration, as Argo CD does.
 *
 * @public
 */
export function isSyncWindowActive(window: SyncWindow, now: Date): boolean {
  const { schedule, durationMs, offsetMs } = parseWindow(window, now);
  const local = now.getTime() + offsetMs;
  const next = schedule.next(local - durationMs);
  // robfig/cron answers Go's zero time when nothing fires within five years, and Argo CD
  // then counts the window as active: kept, so the evaluation agrees with Argo CD's.
  return next === undefined || next < local;
}

/**
 * The windows that apply to an application (`SyncWindows.Matches`): by default one matching
 * list among applications (name), clusters (destination name or server) and namespaces is
 * enough; with `andOperator` every list that is set must match.
 *
 * @public
 */
export function matchSyncWindows(
  windows: ReadonlyArray<SyncWindow | null | undefined> | undefined,
  app: Pick<Application, 'metadata' | 'spec'>,
): SyncWindow[] {
  const name = app.metadata.name ?? '';
  const destination = app.spec.destination ?? {};
  const anyGlob = (patterns: string[], value: string | undefined) =>
    !!value && patterns.some(p => p === '*' || globMatch(p, value));
  return (windows ?? []).filter((window): window is SyncWindow => {
    if (!window) return false;
    const checks: boolean[] = [];
    if (window.applications?.length) {
      checks.push(anyGlob(window.applications, name));
    }
    if (window.clusters?.length) {
      checks.push(
        anyGlob(window.clusters, destination.name) ||
          anyGlob(window.clusters, destination.server),
      );
    }
    if (window.namespaces?.length) {
      // Argo CD matches a namespace glob against an empty namespace too ('*' matches it).
      checks.push(
        window.namespaces.some(p => globMatch(p, destination.namespace ?? '')),
      );
    }
    if (checks.length === 0) return false;
    return window.andOperator ? checks.every(Boolean) : checks.some(Boolean);
  });
}

/**
 * `SyncWindows.CanSync(isManual, nil)` over the windows that apply to one app: an active deny
 * window blocks (unless every active deny window has `manualSync` and the sync is manual);
 * otherwise an active allow window allows; otherwise, when allow windows are assigned but
 * none is open, only a manual sync may run, and only if all of them have `manualSync`.
 *
 * @public
 */
export function canSyncNow(
  windows: SyncWindow[],
  options: { manual: boolean; now: Date },
): boolean {
  if (windows.length === 0) return true;
  const active = windows.filter(w => isSyncWindowActive(w, options.now));
  const activeDeny = active.filter(w => w.kind === 'deny');
  if (activeDeny.length > 0) {
    return options.manual && activeDeny.every(w => w.manualSync === true);
  }
  if (active.some(w => w.kind === 'allow')) return true;
  const inactiveAllows = windows.filter(
    w => w.kind === 'allow' && !active.includes(w),
  );
  if (inactiveAllows.length > 0) {
    return options.manual && inactiveAllows.every(w => w.manualSync === true);
  }
  return true;
}

/**
 * When an open window closes or a closed one opens next (RFC3339, UTC).
 *
 * @public
 */
export interface SyncWindowTimes {
  active: boolean;
  /** For an open window: when it closes; absent when it stays open for the foreseeable future. */
  activeUntil?: string;
  /** For a closed window: when it opens next; absent when it never fires. */
  nextStart?: string;
}

const toIso = (ms: number) =>
  new Date(ms).toISOString().replace(/\.000Z$/, 'Z');

/**
 * Whether a window is open, and until when or from when, with Argo CD's rules. Openings that
 * follow one another without a gap (a fire before the previous opening ends) count as one.
 * The time zone's offset of `now` is used throughout, as Argo CD does when it evaluates.
 *
 * @public
 */
export function syncWindowTimes(
  window: SyncWindow,
  now: Date,
): SyncWindowTimes {
  const { schedule, durationMs, offsetMs } = parseWindow(window, now);
  const local = now.getTime() + offsetMs;
  const next = schedule.next(local - durationMs);
  if (next === undefined) return { active: true };
  if (next >= local)
    return { active: false, nextStart: toIso(next - offsetMs) };
  let opened = schedule.previous(local) ?? next;
  let end = opened + durationMs;
  while (end - local <= HORIZON_MS) {
    const latest = schedule.previous(end);
    if (latest === undefined || latest <= opened) {
      return { active: true, activeUntil: toIso(end - offsetMs) };
    }
    opened = latest;
    end = opened + durationMs;
  }
  return { active: true };
}
