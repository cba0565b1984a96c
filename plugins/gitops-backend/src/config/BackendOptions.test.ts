import { ConfigReader } from '@backstage/config';
import { DEFAULT_BACKEND_OPTIONS, readBackendOptions } from './BackendOptions';

describe('readBackendOptions', () => {
  it('reads the liveness check of the index, with 20 s / 3 s defaults', () => {
    expect(readBackendOptions(new ConfigReader({}))).toMatchObject({
      livenessCheckIntervalMs: 20_000,
      livenessConfirmMs: 3_000,
    });
    expect(DEFAULT_BACKEND_OPTIONS.livenessCheckIntervalMs).toBe(20_000);
    expect(
      readBackendOptions(
        new ConfigReader({
          gitops: {
            backend: {
              index: {
                livenessCheckIntervalMs: 45_000,
                livenessConfirmMs: 500,
              },
            },
          },
        }),
      ),
    ).toMatchObject({
      livenessCheckIntervalMs: 45_000,
      livenessConfirmMs: 500,
    });
  });

  it('refuses a liveness interval that is not a positive number', () => {
    expect(() =>
      readBackendOptions(
        new ConfigReader({
          gitops: { backend: { index: { livenessCheckIntervalMs: 0 } } },
        }),
      ),
    ).toThrow(
      'gitops.backend.index.livenessCheckIntervalMs must be a positive number, got 0',
    );
  });
});
