import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { DEFAULT_BACKEND_OPTIONS, readBackendOptions } from './BackendOptions';

function read(backend: JsonObject) {
  const logger = { warn: jest.fn() };
  const options = readBackendOptions(
    new ConfigReader({ gitops: { backend } }),
    { logger },
  );
  return { options, warnings: logger.warn.mock.calls.map(c => c[0]) };
}

describe('readBackendOptions', () => {
  it('falls back to the defaults, e.g. the 30 s / 3 s liveness check of the index', () => {
    expect(readBackendOptions(new ConfigReader({}))).toEqual(
      DEFAULT_BACKEND_OPTIONS,
    );
    expect(DEFAULT_BACKEND_OPTIONS).toMatchObject({
      livenessCheckIntervalMs: 30_000,
      livenessConfirmMs: 3_000,
    });
  });

  it('reads every duration key as a HumanDuration or a string, without warnings', () => {
    expect(
      read({
        index: {
          staleAfter: '90s',
          resyncInterval: { minutes: 5 },
          initialBackoff: '500ms',
          maxBackoff: 'PT2M',
          readyTimeout: '8s',
          listTimeout: { minutes: 3 },
          livenessCheckInterval: '45s',
          livenessConfirm: '500ms',
          maxApplicationsPerInstance: 500,
        },
        tenantCacheTtl: '2m',
        tenantsCacheTtl: { seconds: 30 },
        eventsHeartbeat: '10s',
        historyLimit: 5,
        historyConcurrency: 2,
      }),
    ).toEqual({
      options: {
        staleAfterMs: 90_000,
        resyncIntervalMs: 300_000,
        initialBackoffMs: 500,
        maxBackoffMs: 120_000,
        readyTimeoutMs: 8_000,
        listTimeoutMs: 180_000,
        livenessCheckIntervalMs: 45_000,
        livenessConfirmMs: 500,
        maxApplicationsPerInstance: 500,
        tenantCacheTtlMs: 120_000,
        tenantsCacheTtlMs: 30_000,
        eventsHeartbeatMs: 10_000,
        historyLimit: 5,
        historyConcurrency: 2,
      },
      warnings: [],
    });
  });

  it('still reads the deprecated *Ms keys, warning once per key with the new key to use', () => {
    const { options, warnings } = read({
      index: { livenessCheckIntervalMs: 45_000, livenessConfirmMs: 500 },
      eventsHeartbeatMs: 5_000,
    });
    expect(options).toMatchObject({
      livenessCheckIntervalMs: 45_000,
      livenessConfirmMs: 500,
      eventsHeartbeatMs: 5_000,
      staleAfterMs: DEFAULT_BACKEND_OPTIONS.staleAfterMs,
    });
    expect(warnings).toEqual([
      'gitops.backend.index.livenessCheckIntervalMs is deprecated; set gitops.backend.index.livenessCheckInterval instead, e.g. gitops.backend.index.livenessCheckInterval: 45000ms',
      'gitops.backend.index.livenessConfirmMs is deprecated; set gitops.backend.index.livenessConfirm instead, e.g. gitops.backend.index.livenessConfirm: 500ms',
      'gitops.backend.eventsHeartbeatMs is deprecated; set gitops.backend.eventsHeartbeat instead, e.g. gitops.backend.eventsHeartbeat: 5000ms',
    ]);
  });

  it('lets the duration key win over its deprecated alias when both are set', () => {
    const { options, warnings } = read({
      tenantCacheTtl: '5m',
      tenantCacheTtlMs: 1_000,
    });
    expect(options.tenantCacheTtlMs).toBe(300_000);
    expect(warnings).toEqual([
      'gitops.backend.tenantCacheTtlMs is deprecated and ignored because gitops.backend.tenantCacheTtl is also set; remove gitops.backend.tenantCacheTtlMs',
    ]);
  });

  it.each([
    [
      { index: { livenessCheckIntervalMs: 0 } },
      'gitops.backend.index.livenessCheckIntervalMs must be a positive duration, got 0 ms',
    ],
    [
      { index: { staleAfter: '0s' } },
      'gitops.backend.index.staleAfter must be a positive duration',
    ],
    [
      { index: { staleAfter: 'a while' } },
      'gitops.backend.index.staleAfter must be a duration',
    ],
    [
      { historyLimit: 0 },
      'gitops.backend.historyLimit must be a positive whole number, got 0',
    ],
    [
      { index: { maxApplicationsPerInstance: 1.5 } },
      'gitops.backend.index.maxApplicationsPerInstance must be a positive whole number',
    ],
  ])('refuses %j naming the key', (backend, message) => {
    expect(() => read(backend)).toThrow(message);
  });
});
