/*
 * The portal's permission policy: tenants see only their own GitOps applications, in the
 * gitops routes and in search alike, because both ask `gitops-application` permissions.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  isResourcePermission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  createGitopsApplicationConditionalDecision,
  gitopsApplicationConditions,
} from '@kupe/plugin-gitops-backend';
import { GITOPS_APPLICATION_RESOURCE_TYPE } from '@kupe/plugin-gitops-common';
import { TenantResolver } from '@kupe/plugin-gitops-node';

/**
 * `gitops-application` permissions: platform admins ALLOW, tenant members CONDITIONAL on
 * the gitops plugin's `IS_IN_TENANT` rule with their tenants, everyone else DENY. Other
 * permissions are not tenant-scoped in this portal and are allowed.
 */
export class KupePermissionPolicy implements PermissionPolicy {
  constructor(
    private readonly tenants: Pick<TenantResolver, 'getCallerTenants'>,
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!isResourcePermission(permission, GITOPS_APPLICATION_RESOURCE_TYPE)) {
      return { result: AuthorizeResult.ALLOW };
    }
    // No user (a service acting on its own) gets nothing: tenancy is about people.
    if (!user) return { result: AuthorizeResult.DENY };
    const caller = await this.tenants.getCallerTenants(user.credentials);
    if (caller.isAdmin) return { result: AuthorizeResult.ALLOW };
    if (caller.tenants.size === 0) return { result: AuthorizeResult.DENY };
    return createGitopsApplicationConditionalDecision(
      permission,
      gitopsApplicationConditions.isInTenant({
        tenants: [...caller.tenants].sort(),
      }),
    );
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
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        userInfo: coreServices.userInfo,
        auth: coreServices.auth,
      },
      async init({ policy, config, catalog, userInfo, auth }) {
        policy.setPolicy(
          new KupePermissionPolicy(
            TenantResolver.fromConfig(config, { catalog, userInfo, auth }),
          ),
        );
      },
    });
  },
});

export default kupePermissionPolicyModule;
