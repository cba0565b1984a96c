import { createHash } from 'node:crypto';
import {
  ENVIRONMENT_LABEL,
  KUBERNETES_ID_LABEL,
  SyncPolicyMode,
  TENANT_LABEL,
  toArgoSyncPolicy,
} from '@kupe/plugin-gitops-common';
import type {
  Application,
  HealthStatusCode,
  ResourceStatus,
  RevisionHistory,
  SyncStatusCode,
} from '../../argocd/types';
import { syncedResourceResults } from '../fake/syncResult';

export interface BuildApplicationOptions {
  name: string;
  project?: string;
  /** Namespace of the Application object; default `argocd`. */
  namespace?: string;
  /** Sets the `kupe.cloud/tenant` label (and the project `tenant-<tenant>` when none given). */
  tenant?: string;
  environment?: string;
  /** Sets the `backstage.io/kubernetes-id` label. */
  component?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  repoURL?: string;
  path?: string;
  targetRevision?: string;
  destination?: { name?: string; server?: string; namespace?: string };
  syncPolicy?: SyncPolicyMode;
  syncStatus?: SyncStatusCode;
  health?: HealthStatusCode;
  /** Deployed SHA; derived from the name when omitted. */
  revision?: string;
  /** Number of history entries to generate (ids 0..n-1, the last one is `revision`). */
  historyLength?: number;
  images?: string[];
  resources?: ResourceStatus[];
  /** Last time of the newest history entry, RFC3339. */
  deployedAt?: string;
}

function shaOf(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

function minus(iso: string, minutes: number): string {
  return `${new Date(Date.parse(iso) - minutes * 60_000)
    .toISOString()
    .slice(0, 19)}Z`;
}

/**
 * An Application as `GET /api/v1/applications/{name}` returns it: no apiVersion/kind, a
 * `status` laid out like argo-cd's `controller/testdata/diff-cache.yaml` (sync with
 * comparedTo, health, history with numeric ids, a Succeeded operationState, resources with
 * inline health, summary.images).
 */
export function buildApplication(
  options: BuildApplicationOptions,
): Application {
  const project =
    options.project ??
    (options.tenant ? `tenant-${options.tenant}` : 'default');
  const environment = options.environment ?? 'dev';
  const namespace = options.destination?.namespace ?? options.name;
  const revision = options.revision ?? shaOf(`${options.name}:deployed`);
  const deployedAt = options.deployedAt ?? '2026-01-05T10:00:00Z';
  const source = {
    repoURL:
      options.repoURL ??
      `https://git.example.com/${options.tenant ?? 'platform'}/gitops.git`,
    path:
      options.path ??
      `apps/${options.component ?? options.name}/${environment}`,
    targetRevision: options.targetRevision ?? 'main',
  };
  const destination = options.destination?.server
    ? { server: options.destination.server, namespace }
    : {
        name:
          options.destination?.name ??
          (options.tenant ? `${options.tenant}-${environment}` : 'in-cluster'),
        namespace,
      };
  const health = options.health ?? 'Healthy';
  const syncStatus = options.syncStatus ?? 'Synced';
  const images = options.images ?? [
    `registry.example.com/${options.component ?? options.name}:1.0.0`,
  ];
  const resources: ResourceStatus[] = options.resources ?? [
    {
      version: 'v1',
      kind: 'Service',
      namespace,
      name: options.name,
      status: syncStatus,
      health: { status: 'Healthy' },
    },
    {
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      namespace,
      name: options.name,
      status: syncStatus,
      health: { status: health },
    },
  ];
  const historyLength = options.historyLength ?? 2;
  const history: RevisionHistory[] = Array.from(
    { length: historyLength },
    (_, i) => {
      const last = i === historyLength - 1;
      const at = minus(deployedAt, (historyLength - 1 - i) * 60);
      return {
        id: i,
        revision: last ? revision : shaOf(`${options.name}:${i}`),
        deployStartedAt: minus(at, 1),
        deployedAt: at,
        source,
        initiatedBy: i % 2 === 0 ? { automated: true } : { username: 'admin' },
      };
    },
  );
  const labels: Record<string, string> = {
    ...(options.tenant ? { [TENANT_LABEL]: options.tenant } : {}),
    [ENVIRONMENT_LABEL]: environment,
    ...(options.component ? { [KUBERNETES_ID_LABEL]: options.component } : {}),
    ...options.labels,
  };
  const lastHistory = history[history.length - 1];
  return {
    metadata: {
      name: options.name,
      namespace: options.namespace ?? 'argocd',
      labels,
      annotations: options.annotations,
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
      generation: historyLength + 1,
      creationTimestamp: minus(deployedAt, historyLength * 60 + 5),
    },
    spec: {
      project,
      source,
      destination,
      syncPolicy: toArgoSyncPolicy(options.syncPolicy ?? 'manual', [
        'CreateNamespace=true',
      ]),
    },
    status: {
      sync: {
        status: syncStatus,
        revision:
          syncStatus === 'OutOfSync'
            ? shaOf(`${options.name}:newer`)
            : revision,
        comparedTo: { source, destination },
      },
      health: { status: health, lastTransitionTime: deployedAt },
      history,
      operationState: lastHistory
        ? {
            operation: {
              sync: { revision, syncOptions: ['CreateNamespace=true'] },
              initiatedBy: lastHistory.initiatedBy,
            },
            phase: 'Succeeded',
            message: 'successfully synced (all tasks run)',
            startedAt: lastHistory.deployStartedAt!,
            finishedAt: lastHistory.deployedAt,
            syncResult: {
              revision,
              source,
              resources: syncedResourceResults(resources),
            },
          }
        : undefined,
      resources,
      summary: { images },
      reconciledAt: deployedAt,
      sourceType: 'Directory',
      resourceHealthSource: undefined,
      controllerNamespace: 'argocd',
    },
  };
}
