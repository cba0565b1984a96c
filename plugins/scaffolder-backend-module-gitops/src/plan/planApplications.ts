import { ConflictError, InputError } from '@backstage/errors';
import {
  SYNC_POLICIES,
  type SyncPolicyMode,
  type TenantNaming,
  requireDns1123Label,
  requireDns1123Subdomain,
} from '@kupe/plugin-gitops-common';
import {
  type Application,
  type ApplicationSourceKustomize,
  isDestinationPermitted,
  isSourceRepoPermitted,
} from '@kupe/plugin-gitops-node';
import type {
  ApplicationScope,
  ApplicationTarget,
} from '../argocd/ApplicationTarget';
import {
  buildTenantApplication,
  describeApplication,
  isSameApplication,
} from '../argocd/buildTenantApplication';
import { loadTenantProject } from '../argocd/loadTenantProject';
import { serviceSources } from '../layouts/serviceLayout';
import type { ManifestType } from '../layouts/types';
import { NOTHING_WRITTEN } from './messages';

/** One environment of the service as a template gives it. */
export interface ApplicationEnvironment {
  name: string;
  /** The tenant's short cluster name, e.g. `dev` for `acme-dev`. */
  cluster: string;
  namespace?: string;
  syncPolicy?: string;
}

export interface ApplicationsRequest {
  tenant: string;
  component: string;
  repoUrl: string;
  targetRevision: string;
  manifestType: ManifestType;
  environments: ApplicationEnvironment[];
  paths?: Record<string, string>;
  valueFiles?: Record<string, string[]>;
  kustomize?: ApplicationSourceKustomize;
  /** Destination namespace of every environment without its own; default the component. */
  namespace?: string;
  /** Replace existing Applications whose spec differs, instead of refusing. */
  upsert: boolean;
}

export interface PlannedApplication {
  environment: string;
  app: Application;
  /** What exists now: nothing, the same app, or a different one (replaced on upsert). */
  existing?: Application;
  unchanged: boolean;
}

export interface ApplicationsPlan {
  project: string;
  scope: ApplicationScope;
  applications: PlannedApplication[];
}

function requireSyncPolicy(value: string | undefined, env: string) {
  const policy = value ?? 'manual';
  if (!(SYNC_POLICIES as readonly string[]).includes(policy)) {
    throw new InputError(
      `Sync policy "${policy}" (environment ${env}) is not one of: ${SYNC_POLICIES.join(
        ', ',
      )}. ${NOTHING_WRITTEN}`,
    );
  }
  return policy as SyncPolicyMode;
}

/**
 * Checks the Applications of a service against the tenant's project, clusters and what
 * already exists, and returns what writing them would do. Reads only: both the template's
 * first step and `kupe:argocd-application:create` run it before any write, so a cluster
 * that does not exist stops the run before its repository is touched.
 */
export async function planApplications(
  request: ApplicationsRequest,
  deps: { store: ApplicationTarget; naming: TenantNaming },
): Promise<ApplicationsPlan> {
  const { store, naming } = deps;
  const tenant = requireDns1123Label('tenant', request.tenant);
  const component = requireDns1123Label('name', request.component);
  const envs = request.environments.map(e => {
    const name = requireDns1123Label('environment name', e.name);
    if (!e.cluster) {
      throw new InputError(
        `Environment ${name} has no cluster; choose one of the tenant's clusters. ${NOTHING_WRITTEN}`,
      );
    }
    return {
      name,
      cluster: requireDns1123Label('cluster', e.cluster),
      destinationName: naming.clusterOf(tenant, e.cluster),
      syncPolicy: requireSyncPolicy(e.syncPolicy, name),
      namespace: requireDns1123Label(
        'namespace',
        e.namespace ?? request.namespace ?? component,
      ),
      appName: requireDns1123Subdomain(
        'application name',
        `${component}-${name}`,
      ),
    };
  });
  if (new Set(envs.map(e => e.name)).size !== envs.length) {
    throw new InputError('Environment names must be unique');
  }
  const sources = serviceSources(
    request.manifestType,
    component,
    envs.map(e => e.name),
  );
  const project = naming.projectOf(tenant);
  const scope: ApplicationScope = { project, tenant };
  const appProject = await loadTenantProject(store, project, tenant);
  if (!isSourceRepoPermitted(appProject, request.repoUrl)) {
    throw new InputError(
      `Repository ${
        request.repoUrl
      } is not allowed by AppProject ${project} (sourceRepos: ${(
        appProject.spec.sourceRepos ?? []
      ).join(', ')}). ${NOTHING_WRITTEN}`,
    );
  }
  const clusters = await store.listClusters(scope);
  const choices = clusters
    .map(c => naming.shortClusterOf(tenant, c.name))
    .filter((c): c is string => !!c);
  for (const env of envs) {
    const cluster = clusters.find(c => c.name === env.destinationName);
    if (!cluster) {
      throw new InputError(
        `Cluster "${env.cluster}" (environment ${
          env.name
        }) is not one of tenant ${tenant}'s clusters; choose one of: ${
          choices.join(', ') || 'none registered, ask the platform team'
        }. ${NOTHING_WRITTEN}`,
      );
    }
    if (
      !isDestinationPermitted(appProject, {
        name: cluster.name,
        server: cluster.server,
        namespace: env.namespace,
      })
    ) {
      throw new InputError(
        `AppProject ${project} does not allow cluster ${cluster.name} namespace ${env.namespace} (environment ${env.name}). ${NOTHING_WRITTEN}`,
      );
    }
  }
  const applications: PlannedApplication[] = [];
  for (const env of envs) {
    const app = buildTenantApplication({
      name: env.appName,
      tenant,
      project,
      environment: env.name,
      component,
      destinationName: env.destinationName,
      namespace: env.namespace,
      repoUrl: request.repoUrl,
      path: request.paths?.[env.name] ?? sources[env.name].path,
      targetRevision: request.targetRevision,
      syncPolicy: env.syncPolicy,
      valueFiles:
        request.valueFiles?.[env.name] ?? sources[env.name].valueFiles,
      kustomize:
        request.manifestType === 'kustomize' ? request.kustomize : undefined,
    });
    const existing = await store.get(env.appName, scope);
    if (existing?.metadata.deletionTimestamp) {
      throw new ConflictError(
        `Application ${env.appName} is being deleted (Argo CD is removing its resources). ${NOTHING_WRITTEN} Run the template again once it is gone`,
      );
    }
    if (!existing && (await store.isNameTakenElsewhere(env.appName, scope))) {
      throw new ConflictError(
        `Application ${env.appName} (environment ${env.name}) already exists in another tenant's project; Argo CD Application names are unique across tenants. ${NOTHING_WRITTEN} Choose another name`,
      );
    }
    const unchanged = !!existing && isSameApplication(existing, app);
    if (existing && !unchanged && !request.upsert) {
      throw new ConflictError(
        `Application ${
          env.appName
        } already exists in project ${project} (${describeApplication(
          existing,
          tenant,
          naming,
        )}) and differs from what this run would create. ${NOTHING_WRITTEN} Choose another name, or set upsert: true to replace it`,
      );
    }
    applications.push({ environment: env.name, app, existing, unchanged });
  }
  return { project, scope, applications };
}
