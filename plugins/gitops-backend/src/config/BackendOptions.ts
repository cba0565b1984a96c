import type { Config } from '@backstage/config';
import { readDurationMs } from '@kupe/plugin-gitops-node';

/**
 * Tuning of the gitops backend, from `gitops.backend`: each field is the config key of the
 * same name (config.d.ts documents them), durations in milliseconds.
 *
 * @public
 */
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

/**
 * What the backend uses where `gitops.backend` leaves a key out.
 *
 * @public
 */
export const DEFAULT_BACKEND_OPTIONS: Readonly<BackendOptions> = {
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
  // A check lists every app (about 3.4 MB at 10,000 realistic apps); 30 s plus the 3 s
  // confirmation and the listing keeps a dropped event's app right, or shown as not live,
  // within 60 s.
  livenessCheckIntervalMs: 30_000,
  livenessConfirmMs: 3_000,
  tenantCacheTtlMs: 60_000,
  tenantsCacheTtlMs: 60_000,
  eventsHeartbeatMs: 15_000,
  historyLimit: 10,
  historyConcurrency: 4,
};

type DurationOption = {
  [K in keyof BackendOptions]: K extends `${string}Ms` ? K : never;
}[keyof BackendOptions];

// Each duration option and its config key, `gitops.backend.<section>.<key>` (a HumanDuration
// or string); the key's old `<key>Ms` number is still read as a deprecated alias.
const DURATION_KEYS: Array<{
  option: DurationOption;
  section?: 'index';
  key: string;
}> = [
  { option: 'staleAfterMs', section: 'index', key: 'staleAfter' },
  { option: 'resyncIntervalMs', section: 'index', key: 'resyncInterval' },
  { option: 'initialBackoffMs', section: 'index', key: 'initialBackoff' },
  { option: 'maxBackoffMs', section: 'index', key: 'maxBackoff' },
  { option: 'readyTimeoutMs', section: 'index', key: 'readyTimeout' },
  { option: 'listTimeoutMs', section: 'index', key: 'listTimeout' },
  {
    option: 'livenessCheckIntervalMs',
    section: 'index',
    key: 'livenessCheckInterval',
  },
  { option: 'livenessConfirmMs', section: 'index', key: 'livenessConfirm' },
  { option: 'tenantCacheTtlMs', key: 'tenantCacheTtl' },
  { option: 'tenantsCacheTtlMs', key: 'tenantsCacheTtl' },
  { option: 'eventsHeartbeatMs', key: 'eventsHeartbeat' },
];

/**
 * Reads `gitops.backend`, falling back to the defaults key by key. Durations are HumanDuration
 * objects or strings (`'60s'`, `{ minutes: 10 }`); their older `*Ms` numbers still work, with a
 * deprecation warning logged once.
 */
export function readBackendOptions(
  config: Config,
  options: { logger?: { warn(message: string): void } } = {},
): BackendOptions {
  const c = config.getOptionalConfig('gitops.backend');
  const d = DEFAULT_BACKEND_OPTIONS;
  const count = (key: string, fallback: number) => {
    const value = c?.getOptionalNumber(key);
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value <= 0) {
      throw new Error(
        `gitops.backend.${key} must be a positive whole number, got ${value}`,
      );
    }
    return value;
  };
  const result: BackendOptions = {
    ...d,
    maxApplicationsPerInstance: count(
      'index.maxApplicationsPerInstance',
      d.maxApplicationsPerInstance,
    ),
    historyLimit: count('historyLimit', d.historyLimit),
    historyConcurrency: count('historyConcurrency', d.historyConcurrency),
  };
  for (const { option, section, key } of DURATION_KEYS) {
    const path = section ? `gitops.backend.${section}` : 'gitops.backend';
    const ms = readDurationMs(
      section ? c?.getOptionalConfig(section) : c,
      key,
      { path, deprecatedMsKey: `${key}Ms`, logger: options.logger },
    );
    if (ms !== undefined) result[option] = ms;
  }
  return result;
}
