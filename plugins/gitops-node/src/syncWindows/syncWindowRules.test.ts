import type { Application, SyncWindow } from '../argocd/types';
import { CronSchedule } from './CronSchedule';
import { parseGoDuration } from './goDuration';
import {
  canSyncNow,
  isSyncWindowActive,
  matchSyncWindows,
  syncWindowTimes,
  timeZoneOffsetMs,
} from './syncWindowRules';

const at = (iso: string) => new Date(iso);
const ms = (iso: string) => Date.parse(iso);

describe('CronSchedule', () => {
  it('finds the next and previous fire strictly after and before a time', () => {
    const s = CronSchedule.parse('30 9 * * mon-fri');
    // 2026-11-26 is a Thursday.
    expect(s.next(ms('2026-11-26T09:00:00Z'))).toBe(ms('2026-11-26T09:30:00Z'));
    expect(s.next(ms('2026-11-26T09:30:00Z'))).toBe(ms('2026-11-27T09:30:00Z'));
    expect(s.next(ms('2026-11-27T10:00:00Z'))).toBe(ms('2026-11-30T09:30:00Z'));
    expect(s.previous(ms('2026-11-30T09:30:00Z'))).toBe(
      ms('2026-11-27T09:30:00Z'),
    );
    expect(s.previous(ms('2026-11-30T09:30:00.001Z'))).toBe(
      ms('2026-11-30T09:30:00Z'),
    );
  });

  it('reads steps, lists, ranges and month names', () => {
    const s = CronSchedule.parse('*/20 8-10/2 1,15 jan,JUL ?');
    expect(s.next(ms('2026-06-30T00:00:00Z'))).toBe(ms('2026-07-01T08:00:00Z'));
    expect(s.next(ms('2026-07-01T08:00:00Z'))).toBe(ms('2026-07-01T08:20:00Z'));
    expect(s.next(ms('2026-07-01T08:40:00Z'))).toBe(ms('2026-07-01T10:00:00Z'));
    expect(s.next(ms('2026-07-01T10:40:00Z'))).toBe(ms('2026-07-15T08:00:00Z'));
    expect(
      CronSchedule.parse('5/30 * * * *').next(ms('2026-01-01T00:06:00Z')),
    ).toBe(ms('2026-01-01T00:35:00Z'));
  });

  it('matches day of month OR day of week when both are restricted, AND when one is *', () => {
    // The 1st of December 2026 is a Tuesday; the 4th a Friday.
    const either = CronSchedule.parse('0 0 4 * tue');
    expect(either.next(ms('2026-11-30T12:00:00Z'))).toBe(
      ms('2026-12-01T00:00:00Z'),
    );
    expect(either.next(ms('2026-12-01T12:00:00Z'))).toBe(
      ms('2026-12-04T00:00:00Z'),
    );
    const both = CronSchedule.parse('0 0 */1 * fri');
    expect(both.next(ms('2026-11-30T12:00:00Z'))).toBe(
      ms('2026-12-04T00:00:00Z'),
    );
  });

  it('answers undefined when nothing fires within five years', () => {
    expect(
      CronSchedule.parse('0 0 30 2 *').next(ms('2026-01-01T00:00:00Z')),
    ).toBe(undefined);
  });

  it.each([
    ['* * * *', /expected exactly 5 fields, found 4/],
    ['* 10 * * 7', /above maximum \(6\)/],
    ['60 * * * *', /above maximum \(59\)/],
    ['* * 0 * *', /below minimum \(1\)/],
    ['5-1 * * * *', /beyond end of range/],
    ['*/0 * * * *', /positive number/],
    ['@daily', /expected exactly 5 fields/],
    ['x * * * *', /failed to parse int from x/],
  ])('rejects %j', (spec, message) => {
    expect(() => CronSchedule.parse(spec)).toThrow(message);
  });
});

describe('parseGoDuration', () => {
  it.each([
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['90s', 90_000],
    ['250ms', 250],
    ['0', 0],
    ['-2m', -120_000],
  ])('reads %j', (text, expected) => {
    expect(parseGoDuration(text)).toBe(expected);
  });

  it.each([
    ['3a', 'time: unknown unit "a" in duration "3a"'],
    ['1d', 'time: unknown unit "d" in duration "1d"'],
    ['10', 'time: missing unit in duration "10"'],
    ['', 'time: invalid duration ""'],
    ['h', 'time: invalid duration "h"'],
  ])('rejects %j as Go does', (text, message) => {
    expect(() => parseGoDuration(text)).toThrow(message);
  });
});

const window = (overrides: Partial<SyncWindow>): SyncWindow => ({
  kind: 'allow',
  schedule: '0 10 * * *',
  duration: '2h',
  applications: ['*'],
  ...overrides,
});

describe('isSyncWindowActive', () => {
  it('is open from a fire until fire + duration, exclusive at both ends', () => {
    const w = window({ schedule: '0 10 * * *', duration: '2h' });
    expect(isSyncWindowActive(w, at('2026-11-26T09:59:00Z'))).toBe(false);
    expect(isSyncWindowActive(w, at('2026-11-26T10:00:00Z'))).toBe(false);
    expect(isSyncWindowActive(w, at('2026-11-26T10:00:01Z'))).toBe(true);
    expect(isSyncWindowActive(w, at('2026-11-26T11:59:59Z'))).toBe(true);
    expect(isSyncWindowActive(w, at('2026-11-26T12:00:00Z'))).toBe(false);
  });

  it("reads the schedule in the window's time zone", () => {
    // New York is UTC-5 in November: 10:00 there is 15:00 UTC.
    const w = window({ timeZone: 'America/New_York' });
    expect(isSyncWindowActive(w, at('2026-11-26T11:00:00Z'))).toBe(false);
    expect(isSyncWindowActive(w, at('2026-11-26T16:00:00Z'))).toBe(true);
    // Dhaka is UTC+6: 10:00 there is 04:00 UTC.
    const east = window({ timeZone: 'Asia/Dhaka' });
    expect(isSyncWindowActive(east, at('2026-11-26T05:00:00Z'))).toBe(true);
    expect(isSyncWindowActive(east, at('2026-11-26T11:00:00Z'))).toBe(false);
    // An unknown zone is UTC, as in Argo CD.
    const unknown = window({ timeZone: 'Mars/Olympus' });
    expect(isSyncWindowActive(unknown, at('2026-11-26T11:00:00Z'))).toBe(true);
    expect(timeZoneOffsetMs('Mars/Olympus', new Date())).toBe(0);
  });

  it('throws what Argo CD says about a bad schedule or duration', () => {
    expect(() =>
      isSyncWindowActive(window({ schedule: '* 10 * * 7' }), new Date()),
    ).toThrow(/^cannot parse schedule '\* 10 \* \* 7': /);
    expect(() =>
      isSyncWindowActive(window({ duration: '3a' }), new Date()),
    ).toThrow(
      `cannot parse duration '3a': time: unknown unit "a" in duration "3a"`,
    );
  });
});

describe('matchSyncWindows', () => {
  const app = {
    metadata: { name: 'globex-shop-prod' },
    spec: {
      project: 'tenant-globex',
      destination: { name: 'globex-prod', namespace: 'shop' },
    },
  } as Application;

  it('matches any set list by default, and every set list with andOperator', () => {
    const byApp = window({ applications: ['globex-*'] });
    const byCluster = window({ applications: undefined, clusters: ['*-prod'] });
    const byNamespace = window({
      applications: undefined,
      namespaces: ['shop'],
    });
    const orMixed = window({
      applications: ['other'],
      clusters: ['globex-prod'],
    });
    const andMixed = window({
      applications: ['globex-*'],
      namespaces: ['other'],
      andOperator: true,
    });
    const andAll = window({
      applications: ['globex-*'],
      clusters: ['globex-prod'],
      namespaces: ['s*'],
      andOperator: true,
    });
    const nothingSet = window({ applications: undefined });
    const otherCluster = window({
      applications: undefined,
      clusters: ['acme-*'],
    });
    expect(
      matchSyncWindows(
        [
          byApp,
          byCluster,
          byNamespace,
          orMixed,
          andMixed,
          andAll,
          nothingSet,
          otherCluster,
          null,
        ],
        app,
      ),
    ).toEqual([byApp, byCluster, byNamespace, orMixed, andAll]);
  });

  it('matches clusters by destination server too', () => {
    const server = {
      ...app,
      spec: {
        ...app.spec,
        destination: { server: 'https://prod.example.com', namespace: 'shop' },
      },
    } as Application;
    const w = window({ applications: undefined, clusters: ['https://prod.*'] });
    expect(matchSyncWindows([w], server)).toEqual([w]);
  });
});

describe('canSyncNow', () => {
  const now = at('2026-11-26T11:00:00Z');
  const openDeny = window({ kind: 'deny', schedule: '0 10 * * *' });
  const closedDeny = window({ kind: 'deny', schedule: '0 20 * * *' });
  const openAllow = window({
    kind: 'allow',
    schedule: '0 9 * * *',
    duration: '4h',
  });
  const closedAllow = window({ kind: 'allow', schedule: '0 20 * * *' });

  it('allows without windows, and with only closed deny windows', () => {
    expect(canSyncNow([], { manual: false, now })).toBe(true);
    expect(canSyncNow([closedDeny], { manual: false, now })).toBe(true);
  });

  it('lets an open deny window win over an open allow window', () => {
    expect(canSyncNow([openAllow, openDeny], { manual: true, now })).toBe(
      false,
    );
  });

  it('lets a manual sync through a deny window only when every open deny allows it', () => {
    const manualDeny = { ...openDeny, manualSync: true };
    expect(canSyncNow([manualDeny], { manual: true, now })).toBe(true);
    expect(canSyncNow([manualDeny], { manual: false, now })).toBe(false);
    expect(
      canSyncNow([manualDeny, { ...openDeny, schedule: '30 10 * * *' }], {
        manual: true,
        now,
      }),
    ).toBe(false);
  });

  it('needs an open allow window when allow windows are assigned', () => {
    expect(canSyncNow([closedAllow], { manual: true, now })).toBe(false);
    expect(canSyncNow([closedAllow, openAllow], { manual: false, now })).toBe(
      true,
    );
    expect(
      canSyncNow([{ ...closedAllow, manualSync: true }], { manual: true, now }),
    ).toBe(true);
  });
});

describe('syncWindowTimes', () => {
  it('says until when an open window stays open, and when a closed one opens', () => {
    const w = window({ kind: 'deny', schedule: '0 22 * * *', duration: '8h' });
    expect(syncWindowTimes(w, at('2026-11-26T23:00:00Z'))).toEqual({
      active: true,
      activeUntil: '2026-11-27T06:00:00Z',
    });
    expect(syncWindowTimes(w, at('2026-11-26T12:00:00Z'))).toEqual({
      active: false,
      nextStart: '2026-11-26T22:00:00Z',
    });
  });

  it('joins openings that overlap, and converts back from the time zone', () => {
    // Every hour for 90 minutes from 09:00 to 11:00 in Berlin (UTC+1 in November).
    const w = window({
      schedule: '0 9-11 * * *',
      duration: '90m',
      timeZone: 'Europe/Berlin',
    });
    expect(syncWindowTimes(w, at('2026-11-26T08:30:00Z'))).toEqual({
      active: true,
      activeUntil: '2026-11-26T11:30:00Z',
    });
  });

  it('gives no end to a window that never closes', () => {
    const always = window({
      kind: 'deny',
      schedule: '* * * * *',
      duration: '24h',
    });
    expect(syncWindowTimes(always, at('2026-11-26T12:00:00Z'))).toEqual({
      active: true,
    });
  });
});
