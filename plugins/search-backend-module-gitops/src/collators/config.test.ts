import { ConfigReader } from '@backstage/config';
import { DEFAULT_SCHEDULE, readScheduleConfigOptions } from './config';

describe('readScheduleConfigOptions', () => {
  it('defaults to every 10 minutes, 15 minutes timeout, 10 seconds initial delay', () => {
    expect(readScheduleConfigOptions(new ConfigReader({}))).toEqual({
      frequency: { minutes: 10 },
      timeout: { minutes: 15 },
      initialDelay: { seconds: 10 },
    });
    expect(readScheduleConfigOptions(new ConfigReader({}))).toBe(
      DEFAULT_SCHEDULE,
    );
  });

  it('reads search.collators.gitops.schedule', () => {
    const config = new ConfigReader({
      search: {
        collators: {
          gitops: {
            schedule: { frequency: { minutes: 2 }, timeout: 'PT5M' },
          },
        },
      },
    });
    expect(readScheduleConfigOptions(config)).toMatchObject({
      frequency: { minutes: 2 },
      timeout: { minutes: 5 },
    });
  });

  it('names the config key of an invalid schedule', () => {
    const config = new ConfigReader({
      search: { collators: { gitops: { schedule: { frequency: 'often' } } } },
    });
    expect(() => readScheduleConfigOptions(config)).toThrow(
      /search\.collators\.gitops\.schedule/,
    );
  });
});
