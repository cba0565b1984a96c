import type { Config } from '@backstage/config';

/** Tuning of the gitops backend, from `gitops.backend` (see config.d.ts). */
export interface BackendOptions {
  staleAfterMs: number;
  resyncIntervalMs: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  maxApplicationsPerInstance: number;
  readyTimeoutMs: number;
  /** Timeout of the index's listings of a whole instance, instead of the per-request one. */
  listTimeoutMs: number;
  livenessCheckIntervalMs: number;
  livenessConfirmMs: number;
  tenantCacheTtlMs: number;
  tenantsCacheTtlMs: number;
  eventsHeartbeatMs: number;
  historyLimit: number;
  historyConcurrency: number;
}

export const DEFAULT_BACKEND_OPTIONS: BackendOptions = {
  staleAfterMs: 60_000,
  resyncIntervalMs: 600_000,
  initialBackoffMs: 1_000,
  maxBackoffMs: 60_000,
  maxApplicationsPerInstance: 20_000,
  readyTimeoutMs: 10_000,
  // The index's `fields=` listing of 10,000 realistic apps took 7-10 s on a 2-core machine at
  // load 11-15 (`yarn bench:listing`), so maxApplicationsPerInstance (20,000) takes ~20 s
  // there: 120 s leaves six times that for a busy Argo CD or a slow link. Views do not wait
  // on it (they wait readyTimeoutMs at most); it only bounds how long a hung listing holds
  // the index's cycle before it retries.
  listTimeoutMs: 120_000,
  livenessCheckIntervalMs: 20_000,
  livenessConfirmMs: 3_000,
  tenantCacheTtlMs: 60_000,
  tenantsCacheTtlMs: 60_000,
  eventsHeartbeatMs: 15_000,
  historyLimit: 10,
  historyConcurrency: 4,
};

/** Reads `gitops.backend`, falling back to the defaults key by key. */
export function readBackendOptions(config: Config): BackendOptions {
  const c = config.getOptionalConfig('gitops.backend');
  const index = c?.getOptionalConfig('index');
  const d = DEFAULT_BACKEND_OPTIONS;
  const positive = (
    value: number | undefined,
    fallback: number,
    key: string,
  ) => {
    if (value === undefined) return fallback;
    if (!Number.isFinite(value) || value <= 0) {
      throw new Error(
        `gitops.backend.${key} must be a positive number, got ${value}`,
      );
    }
    return value;
  };
  return {
    staleAfterMs: positive(
      index?.getOptionalNumber('staleAfterMs'),
      d.staleAfterMs,
      'index.staleAfterMs',
    ),
    resyncIntervalMs: positive(
      index?.getOptionalNumber('resyncIntervalMs'),
      d.resyncIntervalMs,
      'index.resyncIntervalMs',
    ),
    initialBackoffMs: positive(
      index?.getOptionalNumber('initialBackoffMs'),
      d.initialBackoffMs,
      'index.initialBackoffMs',
    ),
    maxBackoffMs: positive(
      index?.getOptionalNumber('maxBackoffMs'),
      d.maxBackoffMs,
      'index.maxBackoffMs',
    ),
    maxApplicationsPerInstance: positive(
      index?.getOptionalNumber('maxApplicationsPerInstance'),
      d.maxApplicationsPerInstance,
      'index.maxApplicationsPerInstance',
    ),
    readyTimeoutMs: positive(
      index?.getOptionalNumber('readyTimeoutMs'),
      d.readyTimeoutMs,
      'index.readyTimeoutMs',
    ),
    listTimeoutMs: positive(
      index?.getOptionalNumber('listTimeoutMs'),
      d.listTimeoutMs,
      'index.listTimeoutMs',
    ),
    livenessCheckIntervalMs: positive(
      index?.getOptionalNumber('livenessCheckIntervalMs'),
      d.livenessCheckIntervalMs,
      'index.livenessCheckIntervalMs',
    ),
    livenessConfirmMs: positive(
      index?.getOptionalNumber('livenessConfirmMs'),
      d.livenessConfirmMs,
      'index.livenessConfirmMs',
    ),
    tenantCacheTtlMs: positive(
      c?.getOptionalNumber('tenantCacheTtlMs'),
      d.tenantCacheTtlMs,
      'tenantCacheTtlMs',
    ),
    tenantsCacheTtlMs: positive(
      c?.getOptionalNumber('tenantsCacheTtlMs'),
      d.tenantsCacheTtlMs,
      'tenantsCacheTtlMs',
    ),
    eventsHeartbeatMs: positive(
      c?.getOptionalNumber('eventsHeartbeatMs'),
      d.eventsHeartbeatMs,
      'eventsHeartbeatMs',
    ),
    historyLimit: positive(
      c?.getOptionalNumber('historyLimit'),
      d.historyLimit,
      'historyLimit',
    ),
    historyConcurrency: positive(
      c?.getOptionalNumber('historyConcurrency'),
      d.historyConcurrency,
      'historyConcurrency',
    ),
  };
}
