/**
 * Wire types of the Argo Rollouts an application deploys, generated from the backend's
 * OpenAPI document like the other route types (see ./api.ts).
 * `GET /instances/{instance}/applications/{name}/argo-rollouts` and
 * `POST .../argo-rollouts/{rolloutNamespace}/{rollout}/{promote|promote-full|abort|retry}`.
 */
import type { GitOpsApiSchemas } from './api';

/**
 * A portal action on a Rollout: `promote` runs Argo CD's `resume` (past the current pause
 * step), the others the Argo CD action of the same name.
 *
 * @public
 */
export type ArgoRolloutAction = GitOpsApiSchemas['ArgoRolloutAction'];

/**
 * Every portal action on a Rollout, in the order the UI offers them.
 *
 * @public
 */
export const ARGO_ROLLOUT_ACTIONS: readonly ArgoRolloutAction[] = [
  'promote',
  'promote-full',
  'abort',
  'retry',
];

/**
 * One step of a canary.
 *
 * @public
 */
export type ArgoRolloutStep = GitOpsApiSchemas['ArgoRolloutStep'];

/**
 * The stable or the canary version of a Rollout: its pod template hash and images.
 *
 * @public
 */
export type ArgoRolloutVersion = GitOpsApiSchemas['ArgoRolloutVersion'];

/**
 * An AnalysisRun of a Rollout.
 *
 * @public
 */
export type ArgoRolloutAnalysisRun = GitOpsApiSchemas['ArgoRolloutAnalysisRun'];

/**
 * An Argo Rollout of an application, as the portal shows it.
 *
 * @public
 */
export type ArgoRollout = GitOpsApiSchemas['ArgoRollout'];

/**
 * `GET /instances/{instance}/applications/{name}/argo-rollouts`.
 *
 * @public
 */
export type ArgoRolloutsResponse = GitOpsApiSchemas['ArgoRolloutsResponse'];
