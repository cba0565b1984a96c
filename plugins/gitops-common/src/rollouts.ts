/**
 * Wire types of post-deploy validation: what the backend recorded about each rollout (one
 * Argo CD sync operation and the sync and health transitions after it), generated from the
 * backend's OpenAPI document like the other route types (see ./api.ts).
 * `GET /instances/{instance}/applications/{name}/rollouts[?appNamespace=]`.
 */
import type { GitOpsApiSchemas } from './api';

/**
 * - `in-progress`: the operation runs, or the app is not yet Healthy, or it is baking.
 * - `passed`: Synced and Healthy, and not Degraded through the environment's bake time.
 * - `failed`: the operation Failed or Errored, the app turned Degraded before the bake time
 *   ended, or it was not Synced and Healthy within the timeout; `reason` says which.
 * - `superseded`: a newer operation started (or the app was deleted) before validation ended.
 *
 * @public
 */
export type RolloutOutcome = GitOpsApiSchemas['RolloutOutcome'];

/**
 * Every outcome of a rollout record.
 *
 * @public
 */
export const ROLLOUT_OUTCOMES: readonly RolloutOutcome[] = [
  'in-progress',
  'passed',
  'failed',
  'superseded',
];

/**
 * One followed rollout of an application.
 *
 * @public
 */
export type RolloutRecord = GitOpsApiSchemas['RolloutRecord'];

/**
 * `GET /instances/{instance}/applications/{name}/rollouts`: newest first.
 *
 * @public
 */
export type RolloutsResponse = GitOpsApiSchemas['RolloutsResponse'];
