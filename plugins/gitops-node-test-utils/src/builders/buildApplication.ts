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
  ApplicationSource,
  HealthStatusCode,
  ResourceStatus,
  RevisionHistory,
  SyncStatusCode,
} from '@kupe/plugin-gitops-node';
import { syncedResourceResults } from '../fake/syncResult';
import {
  isChartSource,
  isExactChartVersion,
  isRefOnlySource,
  nextChartVersion,
  olderChartVersion,
} from '../fake/helmCharts';

/**
 * The fields of an Argo CD application that `buildApplication` fills in.
 *
 * @public
 */
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
  /**
   * A chart from the Helm repository `repoURL` instead of a Git path; `targetRevision` is a
   * chart version or a semver range. Revision fields hold chart versions, as Argo CD's do.
   */
  chart?: string;
  /**
   * A multi-source app (`spec.sources`, e.g. a chart plus a `ref: values` Git source whose
   * files `helm.valueFiles` name as `$values/...`); replaces repoURL/path/chart. Status then
   * carries `revisions` in source order and `revision` stays empty, as Argo CD writes it.
   */
  sources?: ApplicationSource[];
  /**
   * Deployed revision of each source of a multi-source app (a Git SHA, or a chart version);
   * derived from the name (Git) or an exact `targetRevision` (chart) when omitted.
   */
  revisions?: string[];
  destination?: { name?: string; server?: string; namespace?: string };
  syncPolicy?: SyncPolicyMode;
  syncStatus?: SyncStatusCode;
  health?: HealthStatusCode;
  /**
   * Deployed SHA (or chart version of a chart source); derived from the name (or an exact
   * chart `targetRevision`) when omitted.
   */
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
 *
 * @public
 */
export function buildApplication(
  options: BuildApplicationOptions,
): Application {
  const project =
    options.project ??
    (options.tenant ? `tenant-${options.tenant}` : 'default');
  const environment = options.environment ?? 'dev';
  const namespace = options.destination?.namespace ?? options.name;
  const deployedAt = options.deployedAt ?? '2026-01-05T10:00:00Z';
  const source: ApplicationSource = options.chart
    ? {
        repoURL: options.repoURL ?? 'https://charts.example.com/stable',
        chart: options.chart,
        targetRevision: options.targetRevision ?? '1.0.0',
      }
    : {
        repoURL:
          options.repoURL ??
          `https://git.example.com/${options.tenant ?? 'platform'}/gitops.git`,
        path:
          options.path ??
          `apps/${options.component ?? options.name}/${environment}`,
        targetRevision: options.targetRevision ?? 'main',
      };
  const layout = sourceLayout(options, source);
  const destination = options.destination?.server
    ? { server: options.destination.server, namespace }
    : {
        name:
          options.destination?.name ??
          (options.tenant ? `${options.tenant}-${environment}` : 'in-cluster'),
        namespace,
      };
  if (options.neverSynced) {
    return neverSyncedApplication(options, layout, destination, namespace);
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
      const at = minus(deployedAt, (historyLength - 1 - i) * 60);
      return {
        id: i,
        ...layout.revisionFields(layout.revisionsAt(historyLength - 1 - i, i)),
        deployStartedAt: minus(at, 1),
        deployedAt: at,
        initiatedBy: i % 2 === 0 ? { automated: true } : { username: 'admin' },
      };
    },
  );
  const labels = labelsOf(options, environment);
  const lastHistory = history[history.length - 1];
  const deployed = layout.revisionsAt(0, historyLength - 1);
  const target =
    syncStatus === 'OutOfSync' ? layout.newerRevisions() : deployed;
  const deployedFields = layout.revisionFields(deployed);
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
      ...layout.specFields,
      destination,
      syncPolicy: toArgoSyncPolicy(options.syncPolicy ?? 'manual', [
        'CreateNamespace=true',
      ]),
    },
    status: {
      sync: {
        status: syncStatus,
        ...layout.syncRevisionFields(target),
        comparedTo: { ...layout.specFields, destination },
      },
      health: { status: health, lastTransitionTime: deployedAt },
      history,
      operationState: lastHistory
        ? {
            operation: {
              sync: {
                ...layout.syncRevisionFields(deployed),
                syncOptions: ['CreateNamespace=true'],
              },
              initiatedBy: lastHistory.initiatedBy,
            },
            phase: 'Succeeded',
            message: 'successfully synced (all tasks run)',
            startedAt: lastHistory.deployStartedAt!,
            finishedAt: lastHistory.deployedAt,
            syncResult: {
              // `revision` has no omitempty: a multi-source result carries ''.
              revision: deployedFields.revision ?? '',
              ...deployedFields,
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
      ...layout.sourceTypeFields,
      resourceHealthSource: undefined,
      controllerNamespace: 'argocd',
    },
  };
}

/**
 * Where an app's revisions live, which differs between a single source (`source`,
 * `revision`) and several (`sources`, `revisions` in source order, `revision` empty), and
 * what a revision is for each source (a Git SHA, or a chart version for a Helm chart).
 */
interface SourceLayout {
  specFields: { source: ApplicationSource } | { sources: ApplicationSource[] };
  /** Revisions deployed `stepsBack` syncs ago (history entry `id`). */
  revisionsAt(stepsBack: number, id: number): string[];
  /** What an OutOfSync comparison resolves the targets to. */
  newerRevisions(): string[];
  /** `revision` + `source`, or `revisions` + `sources`, as history and syncResult carry them. */
  revisionFields(revisions: string[]): {
    revision?: string;
    source?: ApplicationSource;
    revisions?: string[];
    sources?: ApplicationSource[];
  };
  /** `status.sync` and `operation.sync`: `revision` or `revisions` only. */
  syncRevisionFields(revisions: string[]): {
    revision?: string;
    revisions?: string[];
  };
  sourceTypeFields: {
    sourceType?: 'Helm' | 'Directory';
    sourceTypes?: string[];
  };
}

function sourceLayout(
  options: BuildApplicationOptions,
  single: ApplicationSource,
): SourceLayout {
  const multi = options.sources !== undefined;
  const sources = options.sources ?? [single];
  if (sources.length === 0) throw new Error('sources must not be empty');
  let given = options.revisions;
  if (!multi) given = options.revision ? [options.revision] : undefined;
  const seed = (i: number, what: string) =>
    multi ? `${options.name}:${what}:${i}` : `${options.name}:${what}`;
  const deployedOf = () =>
    sources.map((s, i) => {
      if (given?.[i]) return given[i];
      if (!isChartSource(s)) return shaOf(seed(i, 'deployed'));
      if (s.targetRevision && isExactChartVersion(s.targetRevision)) {
        return s.targetRevision;
      }
      throw new Error(
        `chart ${s.chart} targets the range '${s.targetRevision}': give the deployed version in revision(s)`,
      );
    });
  return {
    specFields: multi ? { sources } : { source: single },
    revisionsAt: (stepsBack, id) => {
      const deployed = deployedOf();
      return sources.map((s, i) => {
        if (stepsBack === 0) return deployed[i];
        if (isChartSource(s)) return olderChartVersion(deployed[i], stepsBack);
        return shaOf(
          multi ? `${options.name}:${id}:${i}` : `${options.name}:${id}`,
        );
      });
    },
    newerRevisions: () => {
      const deployed = deployedOf();
      return sources.map((s, i) => {
        if (!isChartSource(s)) return shaOf(seed(i, 'newer'));
        // A pinned version cannot move; a range picks up the next release.
        return s.targetRevision && isExactChartVersion(s.targetRevision)
          ? deployed[i]
          : nextChartVersion(deployed[i]);
      });
    },
    revisionFields: revisions =>
      multi
        ? { revisions, sources }
        : { revision: revisions[0], source: single },
    syncRevisionFields: revisions =>
      multi ? { revisions } : { revision: revisions[0] },
    sourceTypeFields: multi
      ? {
          sourceTypes: sources.map(s => {
            if (isChartSource(s)) return 'Helm';
            return isRefOnlySource(s) ? '' : 'Directory';
          }),
        }
      : { sourceType: isChartSource(single) ? 'Helm' : 'Directory' },
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
  layout: SourceLayout,
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
      ...layout.specFields,
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
              ...layout.syncRevisionFields(
                options.revision || options.revisions
                  ? layout.revisionsAt(0, 0)
                  : layout.newerRevisions(),
              ),
              comparedTo: { ...layout.specFields, destination },
            },
      health: { status: options.health ?? 'Missing' },
      resources: syncStatus === '' ? undefined : resources,
      summary: {},
      reconciledAt: syncStatus === '' ? undefined : createdAt,
      ...(syncStatus === '' ? {} : layout.sourceTypeFields),
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
