import type { Application } from '@kupe/plugin-gitops-node';
import {
  ENVIRONMENT_LABEL,
  type HealthStatusValue,
  type OperationPhaseValue,
  type SyncPolicyMode,
  type SyncStatusValue,
  type TenantNaming,
  fromArgoSyncPolicy,
  normalizeEnvironment,
} from '@kupe/plugin-gitops-common';

/**
 * What the index keeps of one Application: only the fields summaries, selectors and
 * permission rules need, so memory stays small however large the Argo CD objects are.
 */
export interface IndexedApplication {
  instance: string;
  name: string;
  appNamespace: string;
  project: string;
  tenant?: string;
  environment?: string;
  labels: Record<string, string>;
  destination: { cluster?: string; server?: string; namespace?: string };
  syncStatus: SyncStatusValue;
  revision?: string;
  revisions?: string[];
  healthStatus?: HealthStatusValue;
  healthMessage?: string;
  operation?: {
    phase: OperationPhaseValue;
    message?: string;
    startedAt?: string;
    finishedAt?: string;
  };
  /** The current operation's revision: synced (syncResult) once known, else requested. */
  operationRevision?: string;
  /** While the app is Degraded: its first Degraded resources, `Kind name: message`. */
  degradedResources?: string[];
  syncPolicy: SyncPolicyMode;
  source?: {
    repoURL: string;
    path?: string;
    targetRevision?: string;
    chart?: string;
  };
  images: string[];
  lastSyncedAt?: string;
  /** What runs: the revision of the last successful sync (not the sync target). */
  deployedRevision?: string;
  /** Since when the portal has seen the app OutOfSync; kept across updates. */
  outOfSyncSince?: string;
}

// Long messages (e.g. a failed hook's whole output) would dominate the index's memory.
const MAX_MESSAGE = 1_000;
const MAX_IMAGES = 50;
const MAX_DEGRADED_RESOURCES = 3;

function clip(text: string | undefined): string | undefined {
  return text && text.length > MAX_MESSAGE
    ? `${text.slice(0, MAX_MESSAGE)}…`
    : text;
}

/**
 * Projects an Argo CD Application onto its index record. `previous` carries the
 * OutOfSync start time across updates; `now` stamps a fresh OutOfSync transition.
 */
export function toIndexedApplication(
  instance: string,
  app: Application,
  naming: TenantNaming,
  defaultNamespace: string,
  previous: IndexedApplication | undefined,
  now: Date,
): IndexedApplication {
  const project = app.spec?.project ?? '';
  const tenant = naming.tenantOfProject(project);
  const labels = app.metadata.labels ?? {};
  const destination = app.spec?.destination ?? {};
  const labelled = labels[ENVIRONMENT_LABEL]?.trim();
  let environment: string | undefined;
  if (labelled) {
    environment = normalizeEnvironment(labelled);
  } else if (tenant) {
    environment = naming.shortClusterOf(tenant, destination.name);
  }
  const status = app.status;
  const syncStatus = status?.sync?.status ?? '';
  const source = app.spec?.source ?? app.spec?.sources?.[0];
  const history = status?.history ?? [];
  const last = history.length > 0 ? history[history.length - 1] : undefined;
  const operationState = status?.operationState;

  let outOfSyncSince: string | undefined;
  if (syncStatus === 'OutOfSync') {
    outOfSyncSince =
      previous?.syncStatus === 'OutOfSync' && previous.outOfSyncSince
        ? previous.outOfSyncSince
        : now.toISOString();
  }

  return {
    instance,
    name: app.metadata.name ?? '',
    appNamespace: app.metadata.namespace || defaultNamespace,
    project,
    tenant,
    environment: environment || undefined,
    labels: { ...labels },
    destination: {
      cluster: destination.name,
      server: destination.server,
      namespace: destination.namespace,
    },
    syncStatus,
    revision: status?.sync?.revision,
    revisions: status?.sync?.revisions,
    healthStatus: status?.health?.status,
    healthMessage: clip(status?.health?.message),
    operation: operationState
      ? {
          phase: operationState.phase,
          message: clip(operationState.message),
          startedAt: operationState.startedAt,
          finishedAt: operationState.finishedAt,
        }
      : undefined,
    operationRevision:
      operationState?.syncResult?.revision ||
      operationState?.syncResult?.revisions?.[0] ||
      operationState?.operation?.sync?.revision ||
      undefined,
    degradedResources:
      status?.health?.status === 'Degraded'
        ? (status.resources ?? [])
            .filter(r => r.health?.status === 'Degraded')
            .slice(0, MAX_DEGRADED_RESOURCES)
            .map(r =>
              clip(
                `${r.kind} ${r.name}${
                  r.health?.message ? `: ${r.health.message}` : ''
                }`,
              ),
            )
            .filter((text): text is string => !!text)
        : undefined,
    syncPolicy: fromArgoSyncPolicy(app.spec?.syncPolicy),
    source: source
      ? {
          repoURL: source.repoURL,
          path: source.path,
          targetRevision: source.targetRevision,
          chart: source.chart,
        }
      : undefined,
    images: (status?.summary?.images ?? []).slice(0, MAX_IMAGES),
    lastSyncedAt:
      last?.deployedAt ??
      (operationState?.phase === 'Succeeded'
        ? operationState.finishedAt
        : undefined),
    deployedRevision:
      last?.revision ??
      last?.revisions?.[0] ??
      (operationState?.phase === 'Succeeded'
        ? operationState.syncResult?.revision ||
          operationState.syncResult?.revisions?.[0]
        : undefined),
    outOfSyncSince,
  };
}
