import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { readDurationMs } from './readDurationMs';

// Each test uses its own path: the deprecation warning is logged once per message and process.
function read(data: JsonObject, path: string) {
  const logger = { warn: jest.fn() };
  const ms = readDurationMs(new ConfigReader(data), 'staleAfter', {
    path,
    deprecatedMsKey: 'staleAfterMs',
    logger,
  });
  return { ms, warnings: logger.warn.mock.calls.map(c => c[0]) };
}

describe('readDurationMs', () => {
  it.each([
    ['15s', 15_000],
    ['2m', 120_000],
    ['PT1M30S', 90_000],
    ['250ms', 250],
    [{ seconds: 15 }, 15_000],
    [{ minutes: 1, seconds: 5 }, 65_000],
  ])('reads the duration %j as %d ms, without a warning', (value, ms) => {
    expect(read({ staleAfter: value }, `new.${JSON.stringify(value)}`)).toEqual(
      { ms, warnings: [] },
    );
  });

  it('reads the deprecated number-of-milliseconds key, with a warning naming the new key', () => {
    expect(read({ staleAfterMs: 60_000 }, 'alias')).toEqual({
      ms: 60_000,
      warnings: [
        'alias.staleAfterMs is deprecated; set alias.staleAfter instead, e.g. alias.staleAfter: 60000ms',
      ],
    });
  });

  it('warns about a deprecated key once per process, not on every read', () => {
    expect(read({ staleAfterMs: 1000 }, 'once').warnings).toHaveLength(1);
    expect(read({ staleAfterMs: 1000 }, 'once')).toEqual({
      ms: 1000,
      warnings: [],
    });
  });

  it('lets the duration key win when both are set, and says the old one is ignored', () => {
    expect(read({ staleAfter: '5s', staleAfterMs: 60_000 }, 'both')).toEqual({
      ms: 5000,
      warnings: [
        'both.staleAfterMs is deprecated and ignored because both.staleAfter is also set; remove both.staleAfterMs',
      ],
    });
  });

  it('returns undefined when neither key is set, or there is no config', () => {
    expect(read({}, 'none')).toEqual({ ms: undefined, warnings: [] });
    expect(readDurationMs(undefined, 'staleAfter', { path: 'x' })).toBe(
      undefined,
    );
  });

  it.each([
    [{ staleAfter: 'soon' }, "bad.staleAfter must be a duration such as '15s'"],
    [{ staleAfter: '15' }, 'bad.staleAfter must be a duration'],
    [{ staleAfter: { secs: 15 } }, 'bad.staleAfter must be a duration'],
    [
      { staleAfter: '0s' },
      'bad.staleAfter must be a positive duration, got 0 ms',
    ],
    [{ staleAfterMs: -5 }, 'bad.staleAfterMs must be a positive duration'],
    [{ staleAfterMs: 'fast' }, 'staleAfterMs'],
  ])('rejects %j naming the key', (data, message) => {
    expect(() => read(data, 'bad')).toThrow(message);
  });

  it('accepts a zero duration only when allowed', () => {
    const zero = new ConfigReader({ latency: '0ms', latencyMs: 0 });
    expect(
      readDurationMs(zero, 'latency', { path: 'zero', allowZero: true }),
    ).toBe(0);
    expect(() => readDurationMs(zero, 'latency', { path: 'zero' })).toThrow(
      'zero.latency must be a positive duration, got 0 ms',
    );
    expect(() =>
      readDurationMs(new ConfigReader({ latencyMs: -5 }), 'latency', {
        path: 'neg',
        deprecatedMsKey: 'latencyMs',
        allowZero: true,
      }),
    ).toThrow('neg.latencyMs must be a duration of zero or more, got -5 ms');
  });

  it('emits a Node deprecation warning when no logger is given', () => {
    const emit = jest
      .spyOn(process, 'emitWarning')
      .mockImplementation(() => {});
    try {
      expect(
        readDurationMs(new ConfigReader({ timeoutMs: 3000 }), 'timeout', {
          path: 'node',
          deprecatedMsKey: 'timeoutMs',
        }),
      ).toBe(3000);
      expect(emit).toHaveBeenCalledWith(
        'node.timeoutMs is deprecated; set node.timeout instead, e.g. node.timeout: 3000ms',
        'DeprecationWarning',
      );
    } finally {
      emit.mockRestore();
    }
  });
});
