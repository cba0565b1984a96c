/**
 * Environments in promotion order. Names are normalised so `prod`, `prd` and `production`
 * sort and group together.
 */

/**
 * The environments in promotion order, from first to last.
 *
 * @public
 */
export const ENVIRONMENT_ORDER = [
  'dev',
  'test',
  'staging',
  'production',
] as const;

const ALIASES: Record<string, string> = {
  development: 'dev',
  develop: 'dev',
  qa: 'test',
  stage: 'staging',
  stg: 'staging',
  preprod: 'staging',
  prod: 'production',
  prd: 'production',
  live: 'production',
};

/**
 * Canonical environment name: `prod` becomes `production`, unknown names stay as they are.
 *
 * @public
 */
export function normalizeEnvironment(name: string): string {
  const lower = name.trim().toLowerCase();
  return ALIASES[lower] ?? lower;
}

/** Rank in promotion order; unknown environments sort after the known ones, by name. */
export function environmentRank(name: string): number {
  const index = (ENVIRONMENT_ORDER as readonly string[]).indexOf(
    normalizeEnvironment(name),
  );
  return index === -1 ? ENVIRONMENT_ORDER.length : index;
}

/**
 * Comparator for promotion order.
 *
 * @public
 */
export function compareEnvironments(a: string, b: string): number {
  return environmentRank(a) - environmentRank(b) || a.localeCompare(b);
}

/**
 * Whether an environment is production (confirmations, stricter policies).
 *
 * @public
 */
export function isProductionEnvironment(name: string): boolean {
  return normalizeEnvironment(name) === 'production';
}

/**
 * The environment after `current` in promotion order among `available` (dev → test →
 * staging → production), undefined when `current` is the last known one or unknown.
 *
 * @public
 */
export function nextEnvironment(
  current: string,
  available: Iterable<string>,
): string | undefined {
  const rank = environmentRank(current);
  if (rank >= ENVIRONMENT_ORDER.length) return undefined;
  let next: string | undefined;
  for (const candidate of available) {
    const r = environmentRank(candidate);
    if (r <= rank || r >= ENVIRONMENT_ORDER.length) continue;
    if (next === undefined || compareEnvironments(candidate, next) < 0)
      next = candidate;
  }
  return next;
}
