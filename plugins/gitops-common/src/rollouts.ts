/**
 * Wire types of post-deploy validation: what the backend recorded about each rollout (one
 * Argo CD sync operation and the sync and health transitions after it).
 * `GET /instances/{instance}/applications/{name}/rollouts[?appNamespace=]`.
 */

/**
 * - `in-progress`: the operation runs, or the app is not yet Healthy, or it is baking.
 * - `passed`: Synced and Healthy, and not Degraded through the environment's bake time.
 * - `failed`: the operation Failed or Errored, the app turned Degraded before the bake time
 *   ended, or it was not Synced and Healthy within the timeout; `reason` says which.
 * - `superseded`: a newer operation started (or the app was deleted) before validation ended.
 */
export type RolloutOutcome = 'in-progress' | 'passed' | 'failed' | 'superseded';

export const ROLLOUT_OUTCOMES: readonly RolloutOutcome[] = [
  'in-progress',
  'passed',
  'failed',
  'superseded',
];

/** One followed rollout of an application. */
export interface RolloutRecord {
  instance: string;
  appNamespace: string;
  name: string;
  environment?: string;
  /** The synced revision (commit SHA, or chart version), when Argo CD reported it. */
  revision?: string;
  /** `status.operationState.startedAt` of the sync operation. */
  startedAt: string;
  /** When the operation ended (Succeeded, Failed or Error). */
  operationFinishedAt?: string;
  /** Milliseconds from the operation's start until the app was seen Synced. */
  timeToSyncedMs?: number;
  /** Milliseconds from the operation's start until the app was seen Healthy. */
  timeToHealthyMs?: number;
  /** Bake time that applied to the rollout's environment, in milliseconds. */
  bakeTimeMs: number;
  outcome: RolloutOutcome;
  /** Why the rollout failed or was superseded (Argo CD's operation or health message). */
  reason?: string;
  /** When the outcome was decided. */
  decidedAt?: string;
}

/** `GET /instances/{instance}/applications/{name}/rollouts`: newest first. */
export interface RolloutsResponse {
  items: RolloutRecord[];
}
