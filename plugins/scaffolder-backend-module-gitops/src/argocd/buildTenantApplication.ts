import {
  ENVIRONMENT_LABEL,
  KUBERNETES_ID_LABEL,
  TENANT_LABEL,
  type SyncPolicyMode,
  canonicalJson,
  toArgoSyncPolicy,
} from '@kupe/plugin-gitops-common';
import type {
  Application,
  ApplicationSourceKustomize,
} from '@kupe/plugin-gitops-node';

/** Argo CD deletes an app's resources with it only when this finalizer is set. */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

export interface TenantApplicationOptions {
  name: string;
  tenant: string;
  project: string;
  environment: string;
  /** Catalog entity name, the `backstage.io/kubernetes-id` label. */
  component: string;
  /** Registered destination cluster name, e.g. `acme-dev`. */
  destinationName: string;
  namespace: string;
  repoUrl: string;
  path: string;
  targetRevision: string;
  syncPolicy: SyncPolicyMode;
  valueFiles?: string[];
  kustomize?: ApplicationSourceKustomize;
}

/**
 * One environment's Application. Everything the portal later relies on is set here: the
 * labels that tie it to tenant, environment and catalog entity, and the finalizer.
 */
export function buildTenantApplication(
  options: TenantApplicationOptions,
): Application {
  return {
    metadata: {
      name: options.name,
      labels: {
        [TENANT_LABEL]: options.tenant,
        [ENVIRONMENT_LABEL]: options.environment,
        [KUBERNETES_ID_LABEL]: options.component,
      },
      finalizers: [RESOURCES_FINALIZER],
    },
    spec: {
      project: options.project,
      destination: {
        name: options.destinationName,
        namespace: options.namespace,
      },
      source: {
        repoURL: options.repoUrl,
        path: options.path,
        targetRevision: options.targetRevision,
        ...(options.valueFiles?.length
          ? { helm: { valueFiles: options.valueFiles } }
          : {}),
        ...(options.kustomize ? { kustomize: options.kustomize } : {}),
      },
      syncPolicy: toArgoSyncPolicy(options.syncPolicy, [
        'CreateNamespace=true',
      ]),
    },
  };
}

/**
 * Whether an existing Application already is what the template asks for: the same fields
 * Argo CD compares on create (spec, labels, annotations, finalizers), independent of key order.
 */
export function isSameApplication(
  existing: Application,
  desired: Application,
): boolean {
  const pick = (a: Application) =>
    canonicalJson({
      spec: a.spec,
      labels: a.metadata.labels ?? {},
      annotations: a.metadata.annotations ?? {},
      finalizers: a.metadata.finalizers ?? [],
    });
  return pick(existing) === pick(desired);
}

/**
 * What an existing Application is, for a conflict message: its environment, cluster (as the
 * tenant names it), namespace and source, and the component it belongs to.
 */
export function describeApplication(
  app: Application,
  tenant: string,
  naming: { shortClusterOf(tenant: string, name?: string): string | undefined },
): string {
  const destination = app.spec.destination ?? {};
  const cluster =
    naming.shortClusterOf(tenant, destination.name) ??
    destination.name ??
    destination.server;
  const source = app.spec.source ?? app.spec.sources?.[0];
  const labels = app.metadata.labels ?? {};
  return [
    labels[KUBERNETES_ID_LABEL] && `component ${labels[KUBERNETES_ID_LABEL]}`,
    labels[ENVIRONMENT_LABEL] && `environment ${labels[ENVIRONMENT_LABEL]}`,
    cluster && `cluster ${cluster}`,
    destination.namespace && `namespace ${destination.namespace}`,
    source &&
      `source ${source.repoURL} ${source.path ?? source.chart ?? ''}@${
        source.targetRevision ?? 'HEAD'
      }`.replace(' @', '@'),
  ]
    .filter(Boolean)
    .join(', ');
}
