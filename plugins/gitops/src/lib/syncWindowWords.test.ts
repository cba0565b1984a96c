import type { SyncWindowSummary } from '@kupe/plugin-gitops-common';
import {
  durationText,
  recurrenceText,
  scheduleText,
  windowSentence,
} from './syncWindowWords';
import { englishTranslate } from '../__testUtils__/translate';

// Thursday 26 November 2026, noon UTC
const NOW = Date.parse('2026-11-26T12:00:00Z');
const t = englishTranslate();

const window = (overrides: Partial<SyncWindowSummary>): SyncWindowSummary => ({
  kind: 'deny',
  schedule: '0 22 * * *',
  duration: '14h',
  manualSync: false,
  active: false,
  ...overrides,
});

describe('sync windows in words', () => {
  it.each([
    ['0 22 * * *', undefined, 'daily at 22:00 UTC'],
    ['30 8 * * 1-5', 'Europe/Berlin', 'on weekdays at 08:30 Europe/Berlin'],
    ['0 18 * * 5', undefined, 'every Fri at 18:00 UTC'],
    ['0 0 * * 0,6', undefined, 'on weekends at 00:00 UTC'],
    ['0 6 * * 1,3,7', undefined, 'every Sun, Mon, Wed at 06:00 UTC'],
    ['15 * * * *', undefined, 'hourly at :15'],
    ['0 0 1 * *', undefined, 'monthly on day 1 at 00:00 UTC'],
    ['* * * * *', undefined, 'every minute'],
    ['*/5 9-17 * * *', undefined, 'on the schedule */5 9-17 * * * (UTC)'],
    ['@daily', undefined, 'on the schedule @daily'],
  ])('says %s (%s) as "%s"', (schedule, timeZone, words) => {
    expect(recurrenceText(t, window({ schedule, timeZone }))).toBe(words);
  });

  it.each([
    ['14h', '14 hours'],
    ['1h30m', '1 hour 30 minutes'],
    ['45m', '45 minutes'],
    ['1h', '1 hour'],
    ['90', '90'],
  ])('says the duration %s as "%s"', (duration, words) => {
    expect(durationText(t, duration)).toBe(words);
  });

  it('says an open freeze until when it closes and how it recurs', () => {
    expect(
      windowSentence(
        t,
        window({
          description: 'Change freeze',
          active: true,
          activeUntil: '2026-11-27T18:00:00Z',
        }),
        NOW,
      ),
    ).toBe(
      'Change freeze until Fri 18:00 UTC (tomorrow), recurring daily at 22:00 UTC',
    );
  });

  it('gives the date of an end more than six days away', () => {
    expect(
      windowSentence(
        t,
        window({ active: true, activeUntil: '2026-12-10T06:00:00Z' }),
        NOW,
      ),
    ).toBe(
      'Change freeze until Thu 10 Dec 2026, 06:00 UTC (in 14 days), recurring daily at 22:00 UTC',
    );
  });

  it('says a freeze that is open every minute never ends, without its cron', () => {
    const sentence = windowSentence(
      t,
      window({
        description: 'Change freeze',
        schedule: '* * * * *',
        duration: '1h',
        active: true,
      }),
      NOW,
    );
    expect(sentence).toBe('Change freeze, which never ends');
    expect(sentence).not.toMatch(/\*|open$/);
  });

  it('says when a closed allow window opens next, whatever the reader’s time zone', () => {
    const nightly = window({
      kind: 'allow',
      schedule: '0 2 * * *',
      duration: '2h',
      timeZone: 'Europe/Berlin',
      nextStart: '2026-11-27T01:00:00Z',
    });
    const zone = process.env.TZ;
    try {
      for (const readerZone of ['Pacific/Auckland', 'America/Los_Angeles']) {
        process.env.TZ = readerZone;
        expect(windowSentence(t, nightly, NOW)).toBe(
          'Deployment window opens Fri 01:00 UTC (in 13 hours), recurring daily at 02:00 Europe/Berlin',
        );
      }
    } finally {
      process.env.TZ = zone;
    }
    expect(scheduleText(t, nightly)).toBe(
      'daily at 02:00 Europe/Berlin for 2 hours',
    );
  });
});
