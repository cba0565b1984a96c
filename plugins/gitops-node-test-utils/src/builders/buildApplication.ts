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
} from '@kupe/plugin-gitops-node';
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
  /**
   * Created but never synced: no history, no operationState, health Missing, resources all
   * OutOfSync and Missing, no images; sync status `''` as before the controller's first
   * comparison unless `syncStatus` says otherwise (`OutOfSync` after it).
   */
  neverSynced?: boolean;
  /**
   * The size of a production Application, for memory and load figures: `resourceCount`
   * resources (default 40) of the usual kinds, a few conditions, several images and
   * external URLs, and a full 10-entry history. A tiny app (2 resources) is the default.
   */
  realistic?: boolean | { resourceCount?: number };
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
  if (options.neverSynced) {
    return neverSyncedApplication(options, source, destination, namespace);
  }
  const health = options.health ?? 'Healthy';
  const syncStatus = options.syncStatus ?? 'Synced';
  const realistic = options.realistic
    ? realisticParts(
        options.name,
        options.component ?? options.name,
        namespace,
        syncStatus,
        health,
        typeof options.realistic === 'object'
          ? options.realistic.resourceCount ?? 40
          : 40,
      )
    : undefined;
  const images = options.images ??
    realistic?.images ?? [
      `registry.example.com/${options.component ?? options.name}:1.0.0`,
    ];
  const resources: ResourceStatus[] = options.resources ??
    realistic?.resources ?? [
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
  const historyLength = options.historyLength ?? (realistic ? 10 : 2);
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
  const labels = labelsOf(options, environment);
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
      summary: realistic
        ? { images, externalURLs: realistic.externalURLs }
        : { images },
      conditions: realistic?.conditions,
      reconciledAt: deployedAt,
      sourceType: 'Directory',
      resourceHealthSource: undefined,
      controllerNamespace: 'argocd',
    },
  };
}

function labelsOf(
  options: BuildApplicationOptions,
  environment: string,
): Record<string, string> {
  return {
    ...(options.tenant ? { [TENANT_LABEL]: options.tenant } : {}),
    [ENVIRONMENT_LABEL]: environment,
    ...(options.component ? { [KUBERNETES_ID_LABEL]: options.component } : {}),
    ...options.labels,
  };
}

function neverSyncedApplication(
  options: BuildApplicationOptions,
  source: { repoURL: string; path: string; targetRevision: string },
  destination: { name?: string; server?: string; namespace: string },
  namespace: string,
): Application {
  const createdAt = options.deployedAt ?? '2026-01-05T10:00:00Z';
  const syncStatus = options.syncStatus ?? '';
  const resources: ResourceStatus[] = (
    options.resources ?? [
      { version: 'v1', kind: 'Service', namespace, name: options.name },
      {
        group: 'apps',
        version: 'v1',
        kind: 'Deployment',
        namespace,
        name: options.name,
      },
    ]
  ).map(r => ({ ...r, status: 'OutOfSync', health: { status: 'Missing' } }));
  return {
    metadata: {
      name: options.name,
      namespace: options.namespace ?? 'argocd',
      labels: labelsOf(options, options.environment ?? 'dev'),
      annotations: options.annotations,
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
      generation: 1,
      creationTimestamp: createdAt,
    },
    spec: {
      project:
        options.project ??
        (options.tenant ? `tenant-${options.tenant}` : 'default'),
      source,
      destination,
      syncPolicy: toArgoSyncPolicy(options.syncPolicy ?? 'manual', [
        'CreateNamespace=true',
      ]),
    },
    status: {
      // `status.sync.status` has no omitempty: '' is written, as Argo CD does before comparing.
      sync:
        syncStatus === ''
          ? { status: '' }
          : {
              status: syncStatus,
              revision: options.revision ?? shaOf(`${options.name}:newer`),
              comparedTo: { source, destination },
            },
      health: { status: options.health ?? 'Missing' },
      resources: syncStatus === '' ? undefined : resources,
      summary: {},
      reconciledAt: syncStatus === '' ? undefined : createdAt,
      sourceType: syncStatus === '' ? undefined : 'Directory',
      controllerNamespace: 'argocd',
    },
  };
}

const REALISTIC_KINDS: Array<{ group?: string; kind: string }> = [
  { group: 'apps', kind: 'Deployment' },
  { kind: 'Service' },
  { kind: 'ConfigMap' },
  { kind: 'Secret' },
  { kind: 'ServiceAccount' },
  { group: 'networking.k8s.io', kind: 'Ingress' },
  { group: 'autoscaling', kind: 'HorizontalPodAutoscaler' },
  { group: 'policy', kind: 'PodDisruptionBudget' },
  { group: 'rbac.authorization.k8s.io', kind: 'Role' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
  { group: 'batch', kind: 'CronJob' },
  { group: 'monitoring.coreos.com', kind: 'ServiceMonitor' },
];

/** The bulk of a production app: many resources, conditions, images and links. */
function realisticParts(
  name: string,
  component: string,
  namespace: string,
  syncStatus: SyncStatusCode,
  health: HealthStatusCode,
  resourceCount: number,
) {
  const resources: ResourceStatus[] = Array.from(
    { length: resourceCount },
    (_, i) => {
      const { group, kind } = REALISTIC_KINDS[i % REALISTIC_KINDS.length];
      const healthy = !['ConfigMap', 'Secret', 'ServiceAccount'].includes(kind);
      return {
        group,
        version: group === 'autoscaling' ? 'v2' : 'v1',
        kind,
        namespace,
        name: `${component}-${kind.toLowerCase()}-${Math.floor(
          i / REALISTIC_KINDS.length,
        )}`,
        status: i === 0 ? syncStatus : 'Synced',
        health: healthy ? { status: i === 0 ? health : 'Healthy' } : undefined,
        syncWave: kind === 'ConfigMap' || kind === 'Secret' ? -1 : undefined,
      };
    },
  );
  const images = [
    `registry.example.com/${component}:1.0.0`,
    `registry.example.com/${component}-worker:1.0.0`,
    `registry.example.com/${component}-migrations:1.0.0`,
    'docker.io/envoyproxy/envoy:v1.31.2',
    'ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib:0.111.0',
    'docker.io/library/redis:7.4.1-alpine',
  ];
  return {
    resources,
    images,
    externalURLs: [
      `https://${component}.example.com/`,
      `https://${component}-admin.example.com/`,
    ],
    conditions: [
      {
        type: 'OrphanedResourceWarning',
        message: `Application has 3 orphaned resources`,
        lastTransitionTime: '2026-01-05T10:00:00Z',
      },
      {
        type: 'SharedResourceWarning',
        message: `ConfigMap/${component}-shared is part of applications argocd/${name} and argocd/${component}-shared`,
        lastTransitionTime: '2026-01-05T10:00:00Z',
      },
      {
        type: 'ExcludedResourceWarning',
        message: 'Resource /Endpoints endpoints is excluded in the settings',
        lastTransitionTime: '2026-01-05T10:00:00Z',
      },
    ],
  };
}
