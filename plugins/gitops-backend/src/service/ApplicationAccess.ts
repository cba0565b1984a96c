import type {
  BackstageCredentials,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  AuthorizeResult,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  GITOPS_APPLICATION_RESOURCE_TYPE,
  applicationResourceRef as toResourceRef,
  gitOpsApplicationReadPermission,
  requireDns1123Label,
  requireDns1123Subdomain,
} from '@kupe/plugin-gitops-common';
import type {
  ArgoCdAppScope,
  ArgoCdClient,
  ArgoCdService,
  CallerTenants,
  TenantResolver,
} from '@kupe/plugin-gitops-node';
import type { ApplicationIndex } from '../applicationIndex/ApplicationIndex';
import type { IndexedApplication } from '../applicationIndex/IndexedApplication';
import type { InstanceIndex } from '../applicationIndex/InstanceIndex';
import { applicationResourceRef } from '../permissions/applicationResource';

type ApplicationPermission = ResourcePermission<
  typeof GITOPS_APPLICATION_RESOURCE_TYPE
>;

/** An application the caller may see, with everything an upstream call needs. */
export interface VisibleApplication {
  app: IndexedApplication;
  index: InstanceIndex;
  client: ArgoCdClient;
  /** `project` and `tenant` for every per-app call, so Argo CD itself scopes the call. */
  scope: ArgoCdAppScope;
}

/**
 * A permission a request needs beside its action's, e.g. force or prune on a sync; `asking`
 * names what it allows, for the refusal's message ("force a sync of").
 */
export interface AdditionalPermission {
  permission: ApplicationPermission;
  asking: string;
}

/**
 * The gate in front of every application: tenant isolation first (from the index, before
 * any upstream call), then the permission framework on top, so even an allow-all policy
 * cannot reach across tenants. Invisible and nonexistent apps give the same 404.
 */
export class ApplicationAccess {
  readonly #index: ApplicationIndex;
  readonly #argoCd: ArgoCdService;
  readonly #tenants: TenantResolver;
  readonly #permissions: PermissionsService;
  readonly #authorizeConditions: ReturnType<
    typeof createConditionAuthorizer<IndexedApplication>
  >;

  constructor(options: {
    index: ApplicationIndex;
    argoCd: ArgoCdService;
    tenants: TenantResolver;
    permissions: PermissionsService;
    permissionsRegistry: PermissionsRegistryService;
  }) {
    this.#index = options.index;
    this.#argoCd = options.argoCd;
    this.#tenants = options.tenants;
    this.#permissions = options.permissions;
    this.#authorizeConditions = createConditionAuthorizer(
      options.permissionsRegistry.getPermissionRuleset(applicationResourceRef),
    );
  }

  caller(credentials: BackstageCredentials): Promise<CallerTenants> {
    return this.#tenants.getCallerTenants(credentials);
  }

  /**
   * Finds an application the caller may see and, when `action` is given, act on (and do
   * what each of `additional` allows, asked in the same batch with the app as the resource,
   * so a policy's conditions on its environment apply). Throws 404 for unknown instances,
   * unknown apps and invisible apps alike, 403 naming the first permission denied.
   */
  async requireApplication(
    credentials: BackstageCredentials,
    target: { instance: string; name: string; appNamespace?: string },
    action?: ApplicationPermission,
    additional: readonly AdditionalPermission[] = [],
  ): Promise<VisibleApplication> {
    const index = this.#index.instance(target.instance);
    // Validated even though the index is local: these names go to Argo CD next.
    const name = requireDns1123Subdomain('application name', target.name);
    const appNamespace =
      target.appNamespace === undefined
        ? undefined
        : requireDns1123Label('appNamespace', target.appNamespace);
    const notFound = new NotFoundError(
      `Application ${JSON.stringify(
        name,
      )} not found on instance ${JSON.stringify(index.instance)}`,
    );

    if (!(await this.#index.whenReady(index))) {
      throw new ServiceUnavailableError(
        `Argo CD instance ${JSON.stringify(index.instance)} is not reachable`,
      );
    }
    const caller = await this.caller(credentials);
    const candidates = (
      appNamespace ? [index.get(appNamespace, name)] : index.findByName(name)
    ).filter(
      (a): a is IndexedApplication =>
        !!a && this.#tenants.canSee(caller, a.tenant),
    );
    if (candidates.length === 0) throw notFound;
    if (candidates.length > 1) {
      // Only reachable by callers who see both namespaces; never reveals hidden apps.
      throw new NotFoundError(
        `Several applications named ${JSON.stringify(name)}; pass appNamespace`,
      );
    }
    const app = candidates[0];

    const resourceRef = toResourceRef(app);
    const requests: Array<{
      permission: ApplicationPermission;
      resourceRef: string;
    }> = [{ permission: gitOpsApplicationReadPermission, resourceRef }];
    const refusals: string[] = [];
    if (action && action.name !== gitOpsApplicationReadPermission.name) {
      requests.push({ permission: action, resourceRef });
      refusals.push(
        `Not allowed to ${action.name
          .split('.')
          .pop()} application ${JSON.stringify(name)}`,
      );
    }
    for (const { permission, asking } of additional) {
      requests.push({ permission, resourceRef });
      const where = app.environment ? ` in ${app.environment}` : '';
      refusals.push(
        `Not allowed to ${asking} application ${JSON.stringify(
          name,
        )}${where}: that needs the ${permission.name} permission`,
      );
    }
    const decisions = await this.#permissions.authorize(requests, {
      credentials,
    });
    if (decisions[0].result !== AuthorizeResult.ALLOW) throw notFound;
    const denied = decisions.findIndex(
      (d, i) => i > 0 && d.result !== AuthorizeResult.ALLOW,
    );
    if (denied > 0) throw new NotAllowedError(refusals[denied - 1]);

    return {
      app,
      index,
      client: this.#argoCd.forInstance(index.instance),
      scope: {
        project: app.tenant
          ? this.#tenants.naming.projectOf(app.tenant)
          : app.project,
        appNamespace: app.appNamespace,
        tenant: app.tenant,
      },
    };
  }

  /** The subset the caller may read: tenant rule, then the read permission as a filter. */
  async filterReadable(
    credentials: BackstageCredentials,
    caller: CallerTenants,
    apps: IndexedApplication[],
  ): Promise<IndexedApplication[]> {
    const visible = apps.filter(a => this.#tenants.canSee(caller, a.tenant));
    if (visible.length === 0) return visible;
    const [decision] = await this.#permissions.authorizeConditional(
      [{ permission: gitOpsApplicationReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) return visible;
    if (decision.result === AuthorizeResult.DENY) return [];
    return visible.filter(a => this.#authorizeConditions(decision, a));
  }
}
