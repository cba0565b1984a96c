/*
 * The portal's permission policy. The tenant boundary is only as strong as the portal's weakest
 * door, so this policy covers the catalog and the scaffolder as well as GitOps:
 * - GitOps applications (routes and search): a tenant's members, conditionally on the gitops
 *   plugin's IS_IN_TENANT rule; forcing a sync, pruning and promoting an Argo Rollout only
 *   outside production (the HAS_ENVIRONMENT rule), so in production they are the platform
 *   team's; aborting and retrying a Rollout anywhere in the tenant.
 * - Catalog: registering locations needs a tenant; deleting an entity is for its owners;
 *   deleting locations and managing ingestion is for the platform team.
 * - Scaffolder: running templates needs a tenant; tasks are visible to and cancellable by
 *   their creator only; non-admins run only actions that respect tenants (the built-in fetch,
 *   publish and GitHub actions would read and write any tenant's repositories with the
 *   portal's service token, so they are not offered to them).
 * Platform admins (`gitops.tenancy.adminGroups`) are allowed everything.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogIngestionManagePermission,
  catalogLocationAnalyzePermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  type Permission,
  type PolicyDecision,
  isPermission,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  createScaffolderActionConditionalDecision,
  createScaffolderTaskConditionalDecision,
  scaffolderActionConditions,
  scaffolderTaskConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';
import {
  RESOURCE_TYPE_SCAFFOLDER_TASK,
  actionExecutePermission,
  taskCancelPermission,
  taskCreatePermission,
  taskReadPermission,
  templateDryRunPermission,
  templateManagementPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  createGitOpsApplicationConditionalDecision,
  gitOpsApplicationConditions,
} from '@kupe/plugin-gitops-backend';
import {
  GITOPS_APPLICATION_RESOURCE_TYPE,
  gitOpsApplicationSyncForcePermission,
  gitOpsApplicationSyncPrunePermission,
  gitOpsRolloutPromoteFullPermission,
  gitOpsRolloutPromotePermission,
} from '@kupe/plugin-gitops-common';
import {
  type CallerTenants,
  type TenantResolver,
  gitOpsTenantResolverServiceRef,
} from '@kupe/plugin-gitops-node';

/**
 * The scaffolder actions a tenant member may run. Kupe's actions check the caller's tenant
 * themselves; the built-ins listed here touch only the task's workspace or read the catalog
 * with the caller's own credentials. Everything else (`fetch:*`, `publish:*`, `github:*`,
 * `notification:send`, ...) is for platform admins.
 */
export const TENANT_SAFE_SCAFFOLDER_ACTIONS: readonly string[] = [
  'kupe:gitops-repo:create',
  'kupe:argocd-application:create',
  'kupe:argocd-application:wait',
  'kupe:catalog:register',
  'catalog:register',
  'catalog:fetch',
  'catalog:write',
  'debug:log',
  'debug:wait',
  'fs:delete',
  'fs:rename',
];

const allow: PolicyDecision = { result: AuthorizeResult.ALLOW };
const deny: PolicyDecision = { result: AuthorizeResult.DENY };

const oneOf = (permission: Permission, candidates: Permission[]) =>
  candidates.some(candidate => isPermission(permission, candidate));

/** See the file comment for the rules. */
export class KupePermissionPolicy implements PermissionPolicy {
  constructor(
    private readonly tenants: Pick<TenantResolver, 'getCallerTenants'>,
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    const governed =
      isResourcePermission(permission, GITOPS_APPLICATION_RESOURCE_TYPE) ||
      oneOf(permission, [
        catalogEntityCreatePermission,
        catalogEntityDeletePermission,
        catalogIngestionManagePermission,
        catalogLocationAnalyzePermission,
        catalogLocationCreatePermission,
        catalogLocationDeletePermission,
        actionExecutePermission,
        taskCancelPermission,
        taskCreatePermission,
        taskReadPermission,
        templateDryRunPermission,
        templateManagementPermission,
      ]);
    // Reading the catalog and the rest of the portal is not tenant-scoped.
    if (!governed) return allow;
    // No user (a service acting on its own) gets nothing governed: tenancy is about people.
    if (!user) return deny;
    const caller = await this.tenants.getCallerTenants(user.credentials);
    if (caller.isAdmin) return allow;
    return this.#forMember(permission, caller, user);
  }

  #forMember(
    permission: Permission,
    caller: CallerTenants,
    user: PolicyQueryUser,
  ): PolicyDecision {
    const member = caller.tenants.size > 0;
    if (isResourcePermission(permission, GITOPS_APPLICATION_RESOURCE_TYPE)) {
      if (!member) return deny;
      const inTenant = gitOpsApplicationConditions.isInTenant({
        tenants: [...caller.tenants].sort(),
      });
      // Pausing and resuming auto-sync (gitops.application.automation) stays with members in
      // production too: it ships nothing, and resuming deploys only what Git (four eyes) holds.
      // Force and prune in production are the platform team's: members use them elsewhere.
      // So is promoting an Argo Rollout there: production changes need a second person
      // (four eyes), and a promotion sends the release to more users with no one else
      // asked, so in production it is the platform team's. Aborting and retrying stay
      // with the members everywhere: stopping a bad canary must never wait.
      if (
        oneOf(permission, [
          gitOpsApplicationSyncForcePermission,
          gitOpsApplicationSyncPrunePermission,
          gitOpsRolloutPromotePermission,
          gitOpsRolloutPromoteFullPermission,
        ])
      ) {
        return createGitOpsApplicationConditionalDecision(permission, {
          allOf: [
            inTenant,
            {
              not: gitOpsApplicationConditions.hasEnvironment({
                environments: ['production'],
              }),
            },
          ],
        });
      }
      return createGitOpsApplicationConditionalDecision(permission, inTenant);
    }
    if (isPermission(permission, catalogEntityDeletePermission)) {
      // Owners only, by the trusted ownership the tenant rules computed (never by a group
      // someone registered).
      const claims = caller.ownershipRefs ?? [];
      if (claims.length === 0) return deny;
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims: [...claims] }),
      );
    }
    if (isResourcePermission(permission, RESOURCE_TYPE_SCAFFOLDER_TASK)) {
      // Reading and cancelling (and so retrying) a task: its creator only.
      return createScaffolderTaskConditionalDecision(
        permission,
        scaffolderTaskConditions.isTaskOwner({
          createdBy: [user.info.userEntityRef],
        }),
      );
    }
    if (isPermission(permission, actionExecutePermission)) {
      if (!member) return deny;
      const [first, ...rest] = TENANT_SAFE_SCAFFOLDER_ACTIONS.map(actionId =>
        scaffolderActionConditions.hasActionId({ actionId }),
      );
      return createScaffolderActionConditionalDecision(permission, {
        anyOf: [first, ...rest],
      });
    }
    // Registering components and running templates: tenant members. Deleting locations,
    // creating entities directly, managing ingestion and editing templates: admins only.
    if (
      oneOf(permission, [
        catalogLocationCreatePermission,
        catalogLocationAnalyzePermission,
        taskCreatePermission,
        templateDryRunPermission,
      ])
    ) {
      return member ? allow : deny;
    }
    return deny;
  }
}

/** Installs {@link KupePermissionPolicy} in the permission backend. */
export const kupePermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'kupe-policy',
  register(env) {
    env.registerInit({
      deps: {
        policy: policyExtensionPoint,
        // The tenant rules and group cache the gitops, scaffolder and search plugins use.
        tenants: gitOpsTenantResolverServiceRef,
      },
      async init({ policy, tenants }) {
        policy.setPolicy(new KupePermissionPolicy(tenants));
      },
    });
  },
});

export default kupePermissionPolicyModule;
