import { type Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { normalizeEnvironment } from '@kupe/plugin-gitops-common';

/** Post-deploy validation settings, from `gitops.validation` (see config.d.ts). */
export interface ValidationOptions {
  enabled: boolean;
  /** Bake time per canonical environment name; `default` for the rest. */
  bakeTimeMs: Record<string, number>;
  /**
   * After the operation ends, how long a Degraded health may still be that of before the
   * sync; Degraded counts at once when the app was seen out of it since.
   */
  degradedGraceMs: number;
  /** How long after the operation the app has to be Synced and Healthy. */
  healthyTimeoutMs: number;
  /** Notify the owners once an app has been Degraded this long. */
  degradedAlertAfterMs: number;
  /** Notify the owners once an auto-sync app has been OutOfSync this long. */
  outOfSyncAlertAfterMs: number;
  /**
   * Remind the owners once a manual-sync app's change has waited this long for someone to
   * sync it (OutOfSync is its normal state until then); undefined turns the reminder off.
   */
  awaitingApprovalAfterMs: number | undefined;
  /** Interval of the (cluster-wide, one replica at a time) threshold check. */
  checkIntervalMs: number;
  /** Interval at which followed rollouts are re-evaluated (bake time, timeouts). */
  tickMs: number;
  /** Rollouts kept per application; older ones are deleted. */
  rolloutsPerApplication: number;
}

export const DEFAULT_VALIDATION_OPTIONS: ValidationOptions = {
  enabled: true,
  bakeTimeMs: { default: 2 * 60_000, production: 10 * 60_000 },
  degradedGraceMs: 30_000,
  healthyTimeoutMs: 10 * 60_000,
  degradedAlertAfterMs: 15 * 60_000,
  outOfSyncAlertAfterMs: 30 * 60_000,
  awaitingApprovalAfterMs: 24 * 60 * 60_000,
  checkIntervalMs: 60_000,
  tickMs: 5_000,
  rolloutsPerApplication: 20,
};

/** The bake time of an environment (aliases such as `prod` included). */
export function bakeTimeOf(
  options: Pick<ValidationOptions, 'bakeTimeMs'>,
  environment: string | undefined,
): number {
  const own = environment
    ? options.bakeTimeMs[normalizeEnvironment(environment)]
    : undefined;
  return own ?? options.bakeTimeMs.default;
}

function duration(config: Config, key: string, path: string): number {
  const ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  if (!Number.isFinite(ms) || ms < 0) {
    throw new Error(`gitops.validation.${path} must be a positive duration`);
  }
  return ms;
}

/** Reads `gitops.validation`; durations as `HumanDuration` objects or strings ('2m', 'PT10M'). */
export function readValidationOptions(config: Config): ValidationOptions {
  const c = config.getOptionalConfig('gitops.validation');
  const d = DEFAULT_VALIDATION_OPTIONS;
  if (!c) return { ...d, bakeTimeMs: { ...d.bakeTimeMs } };
  const optional = (key: string, fallback: number) =>
    c.has(key) ? duration(c, key, key) : fallback;

  const bakeTimeMs = { ...d.bakeTimeMs };
  const bake = c.getOptionalConfig('bakeTime');
  for (const key of bake?.keys() ?? []) {
    const env = key === 'default' ? 'default' : normalizeEnvironment(key);
    bakeTimeMs[env] = duration(bake!, key, `bakeTime.${key}`);
  }
  const rolloutsPerApplication =
    c.getOptionalNumber('rolloutsPerApplication') ?? d.rolloutsPerApplication;
  if (!Number.isInteger(rolloutsPerApplication) || rolloutsPerApplication < 1) {
    throw new Error(
      'gitops.validation.rolloutsPerApplication must be a positive integer',
    );
  }
  return {
    enabled: c.getOptionalBoolean('enabled') ?? d.enabled,
    bakeTimeMs,
    degradedGraceMs: optional('degradedGrace', d.degradedGraceMs),
    healthyTimeoutMs: optional('healthyTimeout', d.healthyTimeoutMs),
    degradedAlertAfterMs: optional(
      'degradedAlertAfter',
      d.degradedAlertAfterMs,
    ),
    outOfSyncAlertAfterMs: optional(
      'outOfSyncAlertAfter',
      d.outOfSyncAlertAfterMs,
    ),
    awaitingApprovalAfterMs:
      c.getOptional('awaitingApprovalAfter') === false
        ? undefined
        : optional('awaitingApprovalAfter', d.awaitingApprovalAfterMs!),
    checkIntervalMs: Math.max(
      1_000,
      optional('checkInterval', d.checkIntervalMs),
    ),
    tickMs: Math.max(10, optional('tickInterval', d.tickMs)),
    rolloutsPerApplication,
  };
}
