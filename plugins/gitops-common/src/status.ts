/**
 * Argo CD status values (exact strings of v3.5.1) and the roll-up of an entity's many
 * applications into one state.
 */

/**
 * Every Argo CD sync status of an application.
 *
 * @public
 */
export const SYNC_STATUSES = ['Synced', 'OutOfSync', 'Unknown'] as const;
/**
 * `''` is what a just-created app reports before its first reconcile.
 *
 * @public
 */
export type SyncStatusValue = (typeof SYNC_STATUSES)[number] | '';

/**
 * Every Argo CD health status, in the order the card sorts them.
 *
 * @public
 */
export const HEALTH_STATUSES = [
  'Healthy',
  'Progressing',
  'Degraded',
  'Suspended',
  'Missing',
  'Unknown',
] as const;
/**
 * One Argo CD health status, as `HEALTH_STATUSES` lists them.
 *
 * @public
 */
export type HealthStatusValue = (typeof HEALTH_STATUSES)[number];

/**
 * Every phase of an Argo CD operation.
 *
 * @public
 */
export const OPERATION_PHASES = [
  'Running',
  'Terminating',
  'Failed',
  'Error',
  'Succeeded',
] as const;
/**
 * One Argo CD operation phase, as `OPERATION_PHASES` lists them.
 *
 * @public
 */
export type OperationPhaseValue = (typeof OPERATION_PHASES)[number];

/** A finished operation (Argo CD's `Completed()`). */
export function isOperationCompleted(
  phase: OperationPhaseValue | undefined,
): boolean {
  return phase === 'Failed' || phase === 'Error' || phase === 'Succeeded';
}

/**
 * One entity-level state, worst first. The health states keep gitops-engine's order
 * (`pkg/health/health.go` `healthOrder`, used by `IsWorse`: Healthy, Suspended,
 * Progressing, Missing, Degraded, Unknown, from best to worst), so an app that is only Missing (never
 * deployed, or its resources gone) does not make the entity Degraded.
 *
 * @public
 */
export const ROLLUP_STATES = [
  'unknown',
  'degraded',
  'failed',
  'missing',
  'out-of-sync',
  'progressing',
  'healthy',
  'none',
] as const;
/**
 * The state of one application or of a group of them, from healthy to degraded, as `rollUp` computes it.
 *
 * @public
 */
export type RollupState = (typeof ROLLUP_STATES)[number];

/**
 * What the roll-up reads from each application.
 *
 * @public
 */
export interface RollupInput {
  /** Argo CD's sync status. */
  syncStatus: SyncStatusValue;
  /** Argo CD's health status, when it reports one. */
  healthStatus?: HealthStatusValue;
  /** The phase of the last operation, when there was one. */
  operationPhase?: OperationPhaseValue;
}

/**
 * The combined state of an entity's applications and how many are in each state.
 *
 * @public
 */
export interface Rollup {
  /** The worst state of any application. */
  state: RollupState;
  /** How many apps are in each state, for "2 of 5 degraded" headers. */
  counts: Record<RollupState, number>;
  /** How many applications were rolled up. */
  total: number;
}

/** The state one application contributes to its entity. */
export function applicationState(app: RollupInput): RollupState {
  const health = app.healthStatus;
  if (health === 'Unknown') return 'unknown';
  if (health === 'Degraded') return 'degraded';
  if (app.operationPhase === 'Failed' || app.operationPhase === 'Error')
    return 'failed';
  // Not compared yet (a just-created app) counts as not deployed, like Missing.
  if (health === 'Missing' || (!health && !app.syncStatus)) return 'missing';
  if (app.syncStatus === 'OutOfSync') return 'out-of-sync';
  if (
    health === 'Progressing' ||
    app.operationPhase === 'Running' ||
    app.operationPhase === 'Terminating'
  ) {
    return 'progressing';
  }
  if (health === 'Healthy' && app.syncStatus === 'Synced') return 'healthy';
  if (health === 'Suspended' && app.syncStatus === 'Synced') return 'healthy';
  return 'unknown';
}

/**
 * Rolls many apps into one state: the worst one wins (Synced-but-Degraded is degraded).
 *
 * @public
 */
export function rollUp(apps: readonly RollupInput[]): Rollup {
  const counts = Object.fromEntries(ROLLUP_STATES.map(s => [s, 0])) as Record<
    RollupState,
    number
  >;
  for (const app of apps) counts[applicationState(app)] += 1;
  const state =
    ROLLUP_STATES.find(s => s !== 'none' && counts[s] > 0) ?? 'none';
  return { state, counts, total: apps.length };
}
