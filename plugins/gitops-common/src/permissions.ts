import { createPermission } from '@backstage/plugin-permission-common';
import { isDns1123Label, isDns1123Subdomain } from './names';

/**
 * Resource type of an Argo CD application as the permission framework sees it.
 *
 * @public
 */
export const GITOPS_APPLICATION_RESOURCE_TYPE = 'gitops-application';

/**
 * Resource ref of an application: `<instance>:<appNamespace>/<name>`. Collated search
 * documents and permission checks use the same ref.
 *
 * @public
 */
export function applicationResourceRef(app: {
  instance: string;
  appNamespace: string;
  name: string;
}): string {
  return `${app.instance}:${app.appNamespace}/${app.name}`;
}

/**
 * Parses {@link applicationResourceRef}; undefined when malformed or a name is invalid.
 *
 * @public
 */
export function parseApplicationResourceRef(
  ref: string,
): { instance: string; appNamespace: string; name: string } | undefined {
  const match = /^([^:/]+):([^:/]+)\/([^:/]+)$/.exec(ref);
  if (
    !match ||
    !isDns1123Label(match[1]) ||
    !isDns1123Label(match[2]) ||
    !isDns1123Subdomain(match[3])
  ) {
    return undefined;
  }
  return { instance: match[1], appNamespace: match[2], name: match[3] };
}

/**
 * Permission to see an Argo CD application (its status, history, resources and events).
 *
 * @public
 */
export const gitOpsApplicationReadPermission = createPermission({
  name: 'gitops.application.read',
  attributes: { action: 'read' },
  resourceType: GITOPS_APPLICATION_RESOURCE_TYPE,
});

/**
 * Permission to sync or refresh an Argo CD application.
 *
 * @public
 */
export const gitOpsApplicationSyncPermission = createPermission({
  name: 'gitops.application.sync',
  attributes: { action: 'update' },
  resourceType: GITOPS_APPLICATION_RESOURCE_TYPE,
});

/**
 * Permission to force a sync (`kubectl apply --force`: a resource that cannot be patched is
 * deleted and created again), asked beside {@link gitOpsApplicationSyncPermission} whenever a
 * sync asks for force, so a policy can keep it to the platform team where it matters, e.g.
 * with the `HAS_ENVIRONMENT` rule for production.
 *
 * @public
 */
export const gitOpsApplicationSyncForcePermission = createPermission({
  name: 'gitops.application.sync.force',
  attributes: { action: 'update' },
  resourceType: GITOPS_APPLICATION_RESOURCE_TYPE,
});

/**
 * Permission to prune in a sync or rollback (delete live resources no longer in Git), asked
 * beside the action's own permission whenever a request asks for prune; a policy decides
 * where it is needed, e.g. production only.
 *
 * @public
 */
export const gitOpsApplicationSyncPrunePermission = createPermission({
  name: 'gitops.application.sync.prune',
  attributes: { action: 'delete' },
  resourceType: GITOPS_APPLICATION_RESOURCE_TYPE,
});

/**
 * Permission to roll an Argo CD application back to an earlier revision, or to revert a deployment.
 *
 * @public
 */
export const gitOpsApplicationRollbackPermission = createPermission({
  name: 'gitops.application.rollback',
  attributes: { action: 'update' },
  resourceType: GITOPS_APPLICATION_RESOURCE_TYPE,
});

/**
 * Permission to promote an application's versions to the next environment.
 *
 * @public
 */
export const gitOpsApplicationPromotePermission = createPermission({
  name: 'gitops.application.promote',
  attributes: { action: 'update' },
  resourceType: GITOPS_APPLICATION_RESOURCE_TYPE,
});

/**
 * Permission to pause an application's auto-sync (with a reason) and to resume it, as Argo
 * CD's own auto-sync toggle does. Separate from sync so a policy can give or keep it apart.
 *
 * @public
 */
export const gitOpsApplicationAutomationPermission = createPermission({
  name: 'gitops.application.automation',
  attributes: { action: 'update' },
  resourceType: GITOPS_APPLICATION_RESOURCE_TYPE,
});

/**
 * Permission to read the logs of an application's pods (Argo CD's `logs, get`). Apart from
 * read because logs can hold what the app's resources do not show: tokens a service printed,
 * customer data in a request line; a policy can keep production's to fewer people.
 *
 * @public
 */
export const gitOpsApplicationLogsPermission = createPermission({
  name: 'gitops.application.logs',
  attributes: { action: 'read' },
  resourceType: GITOPS_APPLICATION_RESOURCE_TYPE,
});

/**
 * Permission to promote an Argo Rollout past its current pause step (Argo CD's `resume`
 * action): the canary goes on to its next steps and their analyses. The portal's policy keeps
 * it to the platform team in production, where promoting is a release decision.
 *
 * @public
 */
export const gitOpsRolloutPromotePermission = createPermission({
  name: 'gitops.rollout.promote',
  attributes: { action: 'update' },
  resourceType: GITOPS_APPLICATION_RESOURCE_TYPE,
});

/**
 * Permission to promote an Argo Rollout fully (Argo CD's `promote-full`): every remaining
 * step and analysis is skipped and the canary becomes stable at once.
 *
 * @public
 */
export const gitOpsRolloutPromoteFullPermission = createPermission({
  name: 'gitops.rollout.promote-full',
  attributes: { action: 'update' },
  resourceType: GITOPS_APPLICATION_RESOURCE_TYPE,
});

/**
 * Permission to abort an Argo Rollout (Argo CD's `abort`): traffic goes back to the stable
 * version. Stopping a bad release is always safe, so a tenant's members may do it anywhere.
 *
 * @public
 */
export const gitOpsRolloutAbortPermission = createPermission({
  name: 'gitops.rollout.abort',
  attributes: { action: 'update' },
  resourceType: GITOPS_APPLICATION_RESOURCE_TYPE,
});

/**
 * Permission to retry an aborted Argo Rollout (Argo CD's `retry`): the canary starts again
 * from its first step, analyses included.
 *
 * @public
 */
export const gitOpsRolloutRetryPermission = createPermission({
  name: 'gitops.rollout.retry',
  attributes: { action: 'update' },
  resourceType: GITOPS_APPLICATION_RESOURCE_TYPE,
});

/**
 * Creating Applications from templates; checked before the scaffolder writes anything.
 *
 * @public
 */
export const gitOpsApplicationCreatePermission = createPermission({
  name: 'gitops.application.create',
  attributes: { action: 'create' },
});

/**
 * Reading DORA figures (deployment frequency, lead time, change failure rate, time to
 * restore) of an entity or a tenant. The figures stay inside the caller's tenants whatever a
 * policy says; the permission lets a policy keep the tenant view to the platform team.
 *
 * @public
 */
export const gitOpsMetricsReadPermission = createPermission({
  name: 'gitops.metrics.read',
  attributes: { action: 'read' },
});

/**
 * Quarantining a release of a service (an image tag, chart version or Git revision its
 * applications deploy) and lifting a quarantine, checked with each of the entity's
 * applications as the resource, so the portal's policy keeps it to the tenant's members.
 *
 * @public
 */
export const gitOpsReleaseQuarantinePermission = createPermission({
  name: 'gitops.release.quarantine',
  attributes: { action: 'update' },
  resourceType: GITOPS_APPLICATION_RESOURCE_TYPE,
});

/**
 * Every permission of Kupe GitOps, for the permission framework's registry.
 *
 * @public
 */
export const gitOpsPermissions = [
  gitOpsApplicationReadPermission,
  gitOpsApplicationSyncPermission,
  gitOpsApplicationSyncForcePermission,
  gitOpsApplicationSyncPrunePermission,
  gitOpsApplicationRollbackPermission,
  gitOpsApplicationPromotePermission,
  gitOpsRolloutPromotePermission,
  gitOpsRolloutPromoteFullPermission,
  gitOpsRolloutAbortPermission,
  gitOpsRolloutRetryPermission,
  gitOpsApplicationAutomationPermission,
  gitOpsApplicationLogsPermission,
  gitOpsApplicationCreatePermission,
  gitOpsMetricsReadPermission,
  gitOpsReleaseQuarantinePermission,
];
