import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_VALIDATION_OPTIONS,
  bakeTimeOf,
  readValidationOptions,
} from './ValidationOptions';

const read = (validation: object) =>
  readValidationOptions(new ConfigReader({ gitops: { validation } }));

describe('readValidationOptions', () => {
  it('defaults every key', () => {
    expect(readValidationOptions(new ConfigReader({}))).toEqual(
      DEFAULT_VALIDATION_OPTIONS,
    );
  });

  it('reads durations as strings or HumanDuration objects, bake times per environment', () => {
    const options = read({
      bakeTime: { default: '1m', prod: { minutes: 20 }, stage: 'PT5M' },
      healthyTimeout: '15 minutes',
      degradedAlertAfter: { minutes: 5 },
      outOfSyncAlertAfter: '1h',
      rolloutsPerApplication: 5,
    });
    expect(options).toMatchObject({
      bakeTimeMs: {
        default: 60_000,
        production: 20 * 60_000,
        staging: 5 * 60_000,
      },
      healthyTimeoutMs: 15 * 60_000,
      degradedAlertAfterMs: 5 * 60_000,
      outOfSyncAlertAfterMs: 60 * 60_000,
      rolloutsPerApplication: 5,
    });
    expect(bakeTimeOf(options, 'prd')).toBe(20 * 60_000);
    expect(bakeTimeOf(options, 'staging')).toBe(5 * 60_000);
    expect(bakeTimeOf(options, 'qa')).toBe(60_000);
    expect(bakeTimeOf(options, undefined)).toBe(60_000);
  });

  it('refuses malformed values with the key in the message', () => {
    expect(() => read({ healthyTimeout: 'soon' })).toThrow(/healthyTimeout/);
    expect(() => read({ bakeTime: { prod: '10' } })).toThrow(/prod/);
    expect(() => read({ rolloutsPerApplication: 0 })).toThrow(
      /rolloutsPerApplication/,
    );
  });

  it('reads the approval reminder as a duration, or false to turn it off', () => {
    expect(DEFAULT_VALIDATION_OPTIONS.awaitingApprovalAfterMs).toBe(
      24 * 60 * 60_000,
    );
    expect(read({ awaitingApprovalAfter: '4h' }).awaitingApprovalAfterMs).toBe(
      4 * 60 * 60_000,
    );
    expect(
      read({ awaitingApprovalAfter: false }).awaitingApprovalAfterMs,
    ).toBeUndefined();
    expect(() => read({ awaitingApprovalAfter: 'later' })).toThrow(
      /awaitingApprovalAfter/,
    );
  });
});
