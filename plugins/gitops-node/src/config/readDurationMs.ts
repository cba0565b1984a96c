import { type Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

/**
 * How {@link readDurationMs} reads one duration key.
 *
 * @public
 */
export interface ReadDurationMsOptions {
  /** Where `config` sits, for messages, e.g. `gitops.backend.index`. */
  path: string;
  /**
   * The number-of-milliseconds key this duration replaces, e.g. `staleAfterMs`: still read,
   * with a deprecation warning, until it is removed.
   */
  deprecatedMsKey?: string;
  /** Receives the deprecation warning; without it Node's `process.emitWarning` does. */
  logger?: { warn(message: string): void };
  /** Accept a zero duration (e.g. an artificial latency that may be off); default false. */
  allowZero?: boolean;
}

// Each deprecated key is reported once per process, not once per read (config is re-read by
// every plugin and module that needs it).
const warned = new Set<string>();

function warnOnce(message: string, logger: ReadDurationMsOptions['logger']) {
  if (warned.has(message)) return;
  warned.add(message);
  if (logger) logger.warn(message);
  else process.emitWarning(message, 'DeprecationWarning');
}

function checkedMs(ms: number, where: string, allowZero = false): number {
  if (!Number.isFinite(ms) || ms < 0 || (ms === 0 && !allowZero)) {
    const what = allowZero
      ? 'a duration of zero or more'
      : 'a positive duration';
    throw new Error(`${where} must be ${what}, got ${ms} ms`);
  }
  return ms;
}

/**
 * Reads a duration key as milliseconds: a `HumanDuration` object (`{ seconds: 15 }`) or a
 * string (`'15s'`, `'2m'`, ISO 8601 `'PT15S'`), as Backstage's `readDurationFromConfig`
 * accepts. The key's older number-of-milliseconds form (`deprecatedMsKey`) is still read, with
 * a warning logged once; when both are set the duration key wins and the warning says the old
 * one is ignored, so a base config with the old key and an override with the new one work.
 * Returns undefined when neither is set.
 *
 * @public
 */
export function readDurationMs(
  config: Config | undefined,
  key: string,
  options: ReadDurationMsOptions,
): number | undefined {
  if (!config) return undefined;
  const where = `${options.path}.${key}`;
  const oldKey = options.deprecatedMsKey;
  const oldWhere = oldKey && `${options.path}.${oldKey}`;
  const hasOld = oldKey !== undefined && config.has(oldKey);
  if (config.has(key)) {
    if (hasOld) {
      warnOnce(
        `${oldWhere} is deprecated and ignored because ${where} is also set; remove ${oldWhere}`,
        options.logger,
      );
    }
    let ms: number;
    try {
      ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
    } catch (error) {
      throw new Error(
        `${where} must be a duration such as '15s', '2m', 'PT15S' or { seconds: 15 }: ${
          (error as Error).message
        }`,
      );
    }
    return checkedMs(ms, where, options.allowZero);
  }
  if (hasOld) {
    const ms = checkedMs(
      config.getNumber(oldKey),
      oldWhere!,
      options.allowZero,
    );
    warnOnce(
      `${oldWhere} is deprecated; set ${where} instead, e.g. ${where}: ${ms}ms`,
      options.logger,
    );
    return ms;
  }
  return undefined;
}
