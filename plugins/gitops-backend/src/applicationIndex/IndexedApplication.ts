import {
  type Application,
  type ApplicationSource,
  type AutoSyncPauseRecord,
  isAutoSyncPaused,
  readAutoSyncPauseRecord,
} from '@kupe/plugin-gitops-node';
import {
  type ApplicationParent,
  ENVIRONMENT_LABEL,
  type HealthStatusValue,
  type OperationPhaseValue,
  type SyncPolicyMode,
  type SyncStatusValue,
  type TenantNaming,
  fromArgoSyncPolicy,
  normalizeEnvironment,
} from '@kupe/plugin-gitops-common';
import { parentOf } from './applicationParent';

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
    /** A dry run: Argo CD applied nothing and recorded no deployment. */
    dryRun?: true;
  };
  /** The current operation's revision: synced (syncResult) once known, else requested. */
  operationRevision?: string;
  /** While the app is Degraded: its first Degraded resources, `Kind name: message`. */
  degradedResources?: string[];
  syncPolicy: SyncPolicyMode;
  /** The first source (the only one of a single-source app). */
  source?: IndexedSource;
  /** Every source in `spec.sources` order, or the one `spec.source`. */
  sources?: IndexedSource[];
  /**
   * What runs from each source (a commit SHA, or a chart's version), in source order: what
   * Argo CD reports as synced while the app is Synced, else the last successful sync's.
   */
  deployedRevisions?: string[];
  images: string[];
  lastSyncedAt?: string;
  /** What runs: the revision of the last successful sync (not the sync target). */
  deployedRevision?: string;
  /** The ApplicationSet or app-of-apps parent that generates or deploys it. */
  parent?: ApplicationParent;
  /** Since when the portal has seen the app OutOfSync; kept across updates. */
  outOfSyncSince?: string;
  /**
   * While the automated policy is switched off: who paused it from the portal, when and why
   * (empty when it was switched off in Argo CD).
   */
  autoSyncPause?: Partial<AutoSyncPauseRecord>;
  /** The portal's pause annotations outlived the pause (auto-sync was turned on in Argo CD). */
  stalePauseRecord?: true;
  /**
   * Built from a listing alone: what only a watch event carries (history, so what runs and
   * since when; the sync result's revisions; owner references) is not known yet. Set until
   * the app's first watch event, which Argo CD sends right after a start.
   */
  historyPending?: true;
}

/** One source of an app as the index keeps it. */
export interface IndexedSource {
  repoURL: string;
  path?: string;
  targetRevision?: string;
  /** A chart from a Helm repository (`repoURL`); its revisions are chart versions. */
  chart?: string;
  /** Name other sources use for this one's files (`$values/...`). */
  ref?: string;
}

function indexedSource(source: ApplicationSource): IndexedSource {
  return {
    repoURL: source.repoURL,
    path: source.path,
    targetRevision: source.targetRevision,
    chart: source.chart,
    ref: source.ref,
  };
}

/**
 * The per-source revisions of a revision-carrying object (sync status, history entry, sync
 * result): `revisions` for a multi-source app (whose `revision` Argo CD leaves empty), else
 * the one `revision`.
 */
function revisionsOf(
  multi: boolean,
  holder: { revision?: string; revisions?: string[] } | undefined,
): string[] | undefined {
  if (!holder) return undefined;
  if (multi) return holder.revisions?.length ? holder.revisions : undefined;
  return holder.revision ? [holder.revision] : undefined;
}

// Long messages (e.g. a failed hook's whole output) would dominate the index's memory.
const MAX_MESSAGE = 1_000;
const MAX_IMAGES = 50;
const MAX_DEGRADED_RESOURCES = 3;

function clip(text: string): string;
function clip(text: string | undefined): string | undefined;
function clip(text: string | undefined): string | undefined {
  return text && text.length > MAX_MESSAGE
    ? `${text.slice(0, MAX_MESSAGE)}…`
    : text;
}

/**
 * An Application's environment. The plugin passes its tenant resolver's
 * `getApplicationEnvironment`, so a rule a module set (through `gitOpsTenancyExtensionPoint`
 * or the resolver's service factory) decides the index's environment as it does the card's,
 * the search documents' and the permission policy's.
 */
export type EnvironmentOf = (app: Application) => string | undefined;

/**
 * The built-in environment rule, for an index built without a resolver: the
 * `kupe.cloud/environment` label (normalized), else the tenant's short cluster name.
 */
export function defaultEnvironmentOf(naming: TenantNaming): EnvironmentOf {
  return app => {
    const labelled = app.metadata.labels?.[ENVIRONMENT_LABEL]?.trim();
    if (labelled) return normalizeEnvironment(labelled);
    const tenant = naming.tenantOfProject(app.spec?.project ?? '');
    return tenant
      ? naming.shortClusterOf(tenant, app.spec?.destination?.name)
      : undefined;
  };
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
  environmentOf: EnvironmentOf = defaultEnvironmentOf(naming),
): IndexedApplication {
  const project = app.spec?.project ?? '';
  const tenant = naming.tenantOfProject(project);
  const labels = app.metadata.labels ?? {};
  const destination = app.spec?.destination ?? {};
  const environment = environmentOf(app);
  const status = app.status;
  const syncStatus = status?.sync?.status ?? '';
  const multi = Boolean(app.spec?.sources?.length);
  const specSources = multi
    ? app.spec.sources!
    : [app.spec?.source].filter((s): s is ApplicationSource => !!s);
  const source = specSources[0];
  const indexedSources = specSources.map(indexedSource);
  const history = status?.history ?? [];
  const last = history.length > 0 ? history[history.length - 1] : undefined;
  const operationState = status?.operationState;
  const syncRevisions = revisionsOf(multi, status?.sync);
  // What Argo CD reports as synced is what runs: a chart range may move from 2.4.0 to 2.4.1
  // without a sync when both render the same manifests, and the last history entry still
  // says 2.4.0. Otherwise what the last successful sync deployed runs.
  const deployedRevisions =
    syncStatus === 'Synced' && syncRevisions
      ? syncRevisions
      : revisionsOf(multi, last) ??
        (operationState?.phase === 'Succeeded'
          ? revisionsOf(multi, operationState.syncResult)
          : undefined);

  let outOfSyncSince: string | undefined;
  if (syncStatus === 'OutOfSync') {
    outOfSyncSince =
      previous?.syncStatus === 'OutOfSync' && previous.outOfSyncSince
        ? previous.outOfSyncSince
        : now.toISOString();
  }

  const paused = isAutoSyncPaused(app);
  const pauseRecord = readAutoSyncPauseRecord(app.metadata.annotations);

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
    // Go omits an empty revision (multi-source apps), a projection may write '': the same.
    revision: status?.sync?.revision || undefined,
    revisions: status?.sync?.revisions,
    healthStatus: status?.health?.status,
    healthMessage: clip(status?.health?.message),
    operation: operationState
      ? {
          phase: operationState.phase,
          message: clip(operationState.message),
          startedAt: operationState.startedAt,
          finishedAt: operationState.finishedAt,
          ...(operationState.operation?.sync?.dryRun && { dryRun: true }),
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
            // `map` allocates exactly what it holds (a `filter` last would keep 17 slots).
            .map(r =>
              clip(
                `${r.kind} ${r.name}${
                  r.health?.message ? `: ${r.health.message}` : ''
                }`,
              ),
            )
        : undefined,
    syncPolicy: fromArgoSyncPolicy(app.spec?.syncPolicy),
    // The same object as the first of `sources`.
    source: indexedSources[0],
    sources: indexedSources,
    deployedRevisions,
    images: (status?.summary?.images ?? []).slice(0, MAX_IMAGES),
    lastSyncedAt:
      last?.deployedAt ??
      (operationState?.phase === 'Succeeded'
        ? operationState.finishedAt
        : undefined),
    deployedRevision:
      (source?.chart ? deployedRevisions?.[0] : undefined) ??
      last?.revision ??
      last?.revisions?.[0] ??
      (operationState?.phase === 'Succeeded'
        ? operationState.syncResult?.revision ||
          operationState.syncResult?.revisions?.[0]
        : undefined),
    outOfSyncSince,
    parent: parentOf(app),
    autoSyncPause: paused ? { ...pauseRecord } : undefined,
    stalePauseRecord: !paused && pauseRecord ? true : undefined,
  };
}
