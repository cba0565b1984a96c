/*
 * Wire types of the Argo CD v3.5.1 REST API, the subset Kupe GitOps uses.
 * Shaped from Argo CD's swagger (`assets/swagger.json`, Apache-2.0, see NOTICE) and Go types:
 * `omitempty` fields are optional, int64 values are numbers, times are RFC3339 strings, and
 * objects carry no apiVersion/kind.
 */

/**
 * Argo CD's sync status of an application or resource.
 *
 * @public
 */
export type SyncStatusCode = 'Synced' | 'OutOfSync' | 'Unknown' | '';
/**
 * Argo CD's health status of an application or resource.
 *
 * @public
 */
export type HealthStatusCode =
  | 'Healthy'
  | 'Progressing'
  | 'Degraded'
  | 'Suspended'
  | 'Missing'
  | 'Unknown';
/**
 * Argo CD's phase of a running or finished operation.
 *
 * @public
 */
export type OperationPhase =
  | 'Running'
  | 'Terminating'
  | 'Failed'
  | 'Error'
  | 'Succeeded';
/**
 * Argo CD's result of syncing one resource.
 *
 * @public
 */
export type ResultCode = 'Synced' | 'SyncFailed' | 'Pruned' | 'PruneSkipped';
/**
 * Argo CD's sync phase in which a resource or hook was applied.
 *
 * @public
 */
export type SyncPhase = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail';
/**
 * The kind of change in one event of Argo CD's application watch stream.
 *
 * @public
 */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/**
 * Kubernetes object metadata, as Argo CD v3.5.1 returns it.
 *
 * @public
 */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
}

/**
 * The Helm settings of an Argo CD application source (Argo CD v3.5.1 `v1alpha1.ApplicationSourceHelm`).
 *
 * @public
 */
export interface ApplicationSourceHelm {
  valueFiles?: string[];
  values?: string;
  valuesObject?: unknown;
  parameters?: Array<{ name?: string; value?: string; forceString?: boolean }>;
  releaseName?: string;
  version?: string;
}

/**
 * The Kustomize settings of an Argo CD application source (Argo CD v3.5.1 `v1alpha1.ApplicationSourceKustomize`).
 *
 * @public
 */
export interface ApplicationSourceKustomize {
  namePrefix?: string;
  nameSuffix?: string;
  images?: string[];
  commonLabels?: Record<string, string>;
  namespace?: string;
}

/**
 * Where an Argo CD application's manifests come from (Argo CD v3.5.1 `v1alpha1.ApplicationSource`).
 *
 * @public
 */
export interface ApplicationSource {
  repoURL: string;
  path?: string;
  targetRevision?: string;
  chart?: string;
  ref?: string;
  name?: string;
  helm?: ApplicationSourceHelm;
  kustomize?: ApplicationSourceKustomize;
  directory?: { recurse?: boolean; include?: string; exclude?: string };
}

/**
 * The cluster and namespace an Argo CD application deploys to (Argo CD v3.5.1 `v1alpha1.ApplicationDestination`).
 *
 * @public
 */
export interface ApplicationDestination {
  server?: string;
  namespace?: string;
  name?: string;
}

/**
 * Automated sync settings of an Argo CD application (Argo CD v3.5.1 `v1alpha1.SyncPolicyAutomated`).
 *
 * @public
 */
export interface SyncPolicyAutomated {
  prune?: boolean;
  selfHeal?: boolean;
  allowEmpty?: boolean;
  enabled?: boolean;
}

/**
 * The sync policy of an Argo CD application (Argo CD v3.5.1 `v1alpha1.SyncPolicy`).
 *
 * @public
 */
export interface SyncPolicy {
  automated?: SyncPolicyAutomated;
  syncOptions?: string[];
  retry?: {
    limit?: number;
    backoff?: { duration?: string; factor?: number; maxDuration?: string };
  };
  managedNamespaceMetadata?: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
}

/**
 * The desired state of an Argo CD application (Argo CD v3.5.1 `v1alpha1.ApplicationSpec`).
 *
 * @public
 */
export interface ApplicationSpec {
  project: string;
  destination: ApplicationDestination;
  source?: ApplicationSource;
  sources?: ApplicationSource[];
  syncPolicy?: SyncPolicy;
  revisionHistoryLimit?: number;
  info?: Array<{ name: string; value: string }>;
  ignoreDifferences?: unknown[];
}

/**
 * A requested sync (Argo CD v3.5.1 `v1alpha1.SyncOperation`).
 *
 * @public
 */
export interface SyncOperation {
  revision?: string;
  revisions?: string[];
  prune?: boolean;
  dryRun?: boolean;
  syncOptions?: string[];
  syncStrategy?: { hook?: { force?: boolean }; apply?: { force?: boolean } };
  resources?: SyncOperationResource[];
  source?: ApplicationSource;
  sources?: ApplicationSource[];
}

/**
 * One resource a sync is limited to (Argo CD v3.5.1 `v1alpha1.SyncOperationResource`).
 *
 * @public
 */
export interface SyncOperationResource {
  group?: string;
  kind: string;
  name: string;
  namespace?: string;
}

/**
 * Who started an operation (Argo CD v3.5.1 `v1alpha1.OperationInitiator`).
 *
 * @public
 */
export interface OperationInitiator {
  username?: string;
  automated?: boolean;
}

/**
 * An operation requested on an Argo CD application (Argo CD v3.5.1 `v1alpha1.Operation`).
 *
 * @public
 */
export interface Operation {
  sync?: SyncOperation;
  initiatedBy?: OperationInitiator;
  info?: Array<{ name: string; value: string }>;
  retry?: unknown;
}

/**
 * The result of syncing one resource (Argo CD v3.5.1 `v1alpha1.ResourceResult`).
 *
 * @public
 */
export interface ResourceResult {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  status?: ResultCode;
  message?: string;
  hookType?: string;
  hookPhase?: OperationPhase;
  syncPhase?: SyncPhase;
}

/**
 * The result of a sync (Argo CD v3.5.1 `v1alpha1.SyncOperationResult`).
 *
 * @public
 */
export interface SyncOperationResult {
  resources?: ResourceResult[];
  revision: string;
  revisions?: string[];
  source?: ApplicationSource;
  sources?: ApplicationSource[];
}

/**
 * The state of an application's current or last operation (Argo CD v3.5.1 `v1alpha1.OperationState`).
 *
 * @public
 */
export interface OperationState {
  operation: Operation;
  phase: OperationPhase;
  message?: string;
  syncResult?: SyncOperationResult;
  startedAt: string;
  finishedAt?: string;
  retryCount?: number;
}

/**
 * One deployment in an application's history (Argo CD v3.5.1 `v1alpha1.RevisionHistory`).
 *
 * @public
 */
export interface RevisionHistory {
  id: number;
  revision?: string;
  revisions?: string[];
  deployedAt: string;
  deployStartedAt?: string;
  source?: ApplicationSource;
  sources?: ApplicationSource[];
  initiatedBy?: OperationInitiator;
}

/**
 * The health of an application or resource (Argo CD v3.5.1 `v1alpha1.HealthStatus`).
 *
 * @public
 */
export interface HealthStatus {
  status?: HealthStatusCode;
  message?: string;
  lastTransitionTime?: string;
}

/**
 * The sync and health status of one managed resource (Argo CD v3.5.1 `v1alpha1.ResourceStatus`).
 *
 * @public
 */
export interface ResourceStatus {
  group?: string;
  version?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  status?: SyncStatusCode;
  health?: HealthStatus;
  hook?: boolean;
  requiresPruning?: boolean;
  syncWave?: number;
}

/**
 * A warning or error condition Argo CD reports on an application.
 *
 * @public
 */
export interface ApplicationCondition {
  type: string;
  message: string;
  lastTransitionTime?: string;
}

/**
 * The sync status of an application (Argo CD v3.5.1 `v1alpha1.SyncStatus`).
 *
 * @public
 */
export interface SyncStatus {
  status: SyncStatusCode;
  revision?: string;
  revisions?: string[];
  comparedTo?: {
    source?: ApplicationSource;
    sources?: ApplicationSource[];
    destination: ApplicationDestination;
  };
}

/**
 * The observed state of an Argo CD application (Argo CD v3.5.1 `v1alpha1.ApplicationStatus`).
 *
 * @public
 */
export interface ApplicationStatus {
  resources?: ResourceStatus[];
  sync?: SyncStatus;
  health?: HealthStatus;
  history?: RevisionHistory[];
  conditions?: ApplicationCondition[];
  reconciledAt?: string;
  operationState?: OperationState;
  observedAt?: string;
  sourceType?: 'Helm' | 'Kustomize' | 'Directory' | 'Plugin';
  /** One per `spec.sources` entry of a multi-source app ('' for a `ref`-only source). */
  sourceTypes?: string[];
  summary?: { images?: string[]; externalURLs?: string[] };
  resourceHealthSource?: string;
  controllerNamespace?: string;
}

/**
 * An Argo CD application (Argo CD v3.5.1 `v1alpha1.Application`), the fields Kupe reads.
 *
 * @public
 */
export interface Application {
  metadata: ObjectMeta;
  spec: ApplicationSpec;
  status?: ApplicationStatus;
  operation?: Operation;
}

/**
 * A page of Argo CD applications (Argo CD v3.5.1 `v1alpha1.ApplicationList`).
 *
 * @public
 */
export interface ApplicationList {
  metadata: { resourceVersion?: string };
  /** `null` when `fields` is given and nothing matched. */
  items: Application[] | null;
}

/**
 * One event of Argo CD's application watch stream (Argo CD v3.5.1 `v1alpha1.ApplicationWatchEvent`).
 *
 * @public
 */
export interface ApplicationWatchEvent {
  type: WatchEventType;
  application: Application;
}

/**
 * A reference to one Kubernetes resource in an application's tree (Argo CD v3.5.1 `v1alpha1.ResourceRef`).
 *
 * @public
 */
export interface ResourceRef {
  group?: string;
  version?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
}

/**
 * One node of an application's resource tree (Argo CD v3.5.1 `v1alpha1.ResourceNode`).
 *
 * @public
 */
export interface ResourceNode extends ResourceRef {
  parentRefs?: ResourceRef[];
  info?: Array<{ name?: string; value?: string }>;
  networkingInfo?: unknown;
  resourceVersion?: string;
  images?: string[];
  health?: HealthStatus;
  createdAt?: string;
}

/**
 * The resource tree of an application (Argo CD v3.5.1 `v1alpha1.ApplicationTree`).
 *
 * @public
 */
export interface ApplicationTree {
  nodes?: ResourceNode[];
  orphanedNodes?: ResourceNode[];
  hosts?: unknown[];
  shardsCount?: number;
}

/**
 * The live and desired state of one managed resource (Argo CD v3.5.1 `v1alpha1.ResourceDiff`).
 *
 * @public
 */
export interface ResourceDiff {
  group?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  /** JSON-encoded manifests; the literal string "null" when that side is absent. */
  targetState?: string;
  liveState?: string;
  normalizedLiveState?: string;
  predictedLiveState?: string;
  resourceVersion?: string;
  modified?: boolean;
  hook?: boolean;
}

/**
 * The managed resources of an application (Argo CD v3.5.1 `application.ManagedResourcesResponse`).
 *
 * @public
 */
export interface ManagedResourcesResponse {
  items?: ResourceDiff[];
}

/**
 * The author, date and message of a Git revision (Argo CD v3.5.1 `v1alpha1.RevisionMetadata`).
 *
 * @public
 */
export interface RevisionMetadata {
  author?: string;
  date: string;
  tags?: string[];
  message?: string;
}

/**
 * The description and maintainers of a Helm chart revision (Argo CD v3.5.1 `v1alpha1.ChartDetails`).
 *
 * @public
 */
export interface ChartDetails {
  description?: string;
  home?: string;
  maintainers?: string[];
}

/**
 * A Kubernetes event about an application or one of its resources (`v1.Event`).
 *
 * @public
 */
export interface KubernetesEvent {
  metadata: ObjectMeta;
  involvedObject: {
    kind?: string;
    namespace?: string;
    name?: string;
    uid?: string;
    apiVersion?: string;
  };
  reason?: string;
  message?: string;
  type?: 'Normal' | 'Warning';
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  source?: { component?: string; host?: string };
  reportingComponent?: string;
}

/**
 * A list of Kubernetes events (`v1.EventList`).
 *
 * @public
 */
export interface EventList {
  metadata: { resourceVersion?: string };
  items: KubernetesEvent[];
}

/**
 * A destination an Argo CD project permits (Argo CD v3.5.1 `v1alpha1.ApplicationDestination` in a project).
 *
 * @public
 */
export interface ApplicationDestinationRule {
  server?: string;
  namespace?: string;
  name?: string;
}

/**
 * An Argo CD project (Argo CD v3.5.1 `v1alpha1.AppProject`), the fields Kupe reads.
 *
 * @public
 */
export interface AppProject {
  metadata: ObjectMeta;
  spec: {
    description?: string;
    sourceRepos?: string[];
    destinations?: ApplicationDestinationRule[];
    sourceNamespaces?: string[];
    clusterResourceWhitelist?: Array<{ group: string; kind: string }>;
    namespaceResourceBlacklist?: Array<{ group: string; kind: string }>;
    roles?: Array<{
      name: string;
      description?: string;
      policies?: string[];
      groups?: string[];
      jwtTokens?: Array<{ iat: number; exp?: number; id?: string }>;
    }>;
    syncWindows?: SyncWindow[];
    permitOnlyProjectScopedClusters?: boolean;
  };
  status?: unknown;
}

/**
 * One entry of an AppProject's `spec.syncWindows` (`v1alpha1SyncWindow`): from each cron
 * `schedule` fire (evaluated in `timeZone`, default UTC) the window is open for `duration`
 * (a Go duration such as `1h30m`). It applies to apps whose name, destination cluster (name
 * or server) or destination namespace matches one of the globs; all set lists must match
 * when `andOperator` is true.
 *
 * @public
 */
export interface SyncWindow {
  kind?: 'allow' | 'deny' | string;
  schedule?: string;
  duration?: string;
  applications?: string[];
  namespaces?: string[];
  clusters?: string[];
  manualSync?: boolean;
  timeZone?: string;
  andOperator?: boolean;
  description?: string;
  syncOverrun?: boolean;
}

/**
 * A window as `GET /api/v1/applications/{name}/syncwindows` reports it
 * (`applicationApplicationSyncWindow`): only these four fields, always present, so neither
 * the description nor the time zone of the project's window.
 *
 * @public
 */
export interface ApplicationSyncWindow {
  kind: string;
  schedule: string;
  duration: string;
  manualSync: boolean;
}

/**
 * `applicationApplicationSyncWindowsResponse`: the windows assigned to the app, those active
 * now, and whether a manual sync may run now. Empty lists are absent (Go nil slices).
 *
 * @public
 */
export interface ApplicationSyncWindowsResponse {
  activeWindows?: ApplicationSyncWindow[];
  assignedWindows?: ApplicationSyncWindow[];
  canSync: boolean;
}

/**
 * A list of Argo CD projects (Argo CD v3.5.1 `v1alpha1.AppProjectList`).
 *
 * @public
 */
export interface AppProjectList {
  metadata: { resourceVersion?: string };
  items: AppProject[] | null;
}

/**
 * A cluster registered in Argo CD (Argo CD v3.5.1 `v1alpha1.Cluster`), without its credentials.
 *
 * @public
 */
export interface Cluster {
  server: string;
  name: string;
  project?: string;
  namespaces?: string[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  config?: { tlsClientConfig?: { insecure?: boolean; serverName?: string } };
  info?: {
    serverVersion?: string;
    connectionState?: {
      status?: string;
      message?: string;
      attemptedAt?: string;
    };
    applicationsCount?: number;
  };
  connectionState?: { status?: string; message?: string; attemptedAt?: string };
  serverVersion?: string;
}

/**
 * A list of Argo CD clusters (Argo CD v3.5.1 `v1alpha1.ClusterList`).
 *
 * @public
 */
export interface ClusterList {
  metadata: { resourceVersion?: string };
  items: Cluster[];
}

/**
 * Who Argo CD thinks the caller is (Argo CD v3.5.1 `session.GetUserInfoResponse`).
 *
 * @public
 */
export interface UserInfo {
  loggedIn?: boolean;
  username?: string;
  iss?: string;
  groups?: string[];
}

/**
 * The version of an Argo CD server (Argo CD v3.5.1 `version.VersionMessage`).
 *
 * @public
 */
export interface VersionMessage {
  Version?: string;
  BuildDate?: string;
  GitCommit?: string;
}

/**
 * Body of `POST /api/v1/applications/{name}/sync`. Note `syncOptions` is `{items}` here.
 *
 * @public
 */
export interface ApplicationSyncRequest {
  name: string;
  appNamespace?: string;
  project?: string;
  revision?: string;
  /** Multi-source apps: revisions for the sources at `sourcePositions` (1-based). */
  revisions?: string[];
  sourcePositions?: number[];
  prune?: boolean;
  dryRun?: boolean;
  strategy?: { hook?: { force?: boolean }; apply?: { force?: boolean } };
  resources?: SyncOperationResource[];
  syncOptions?: { items: string[] };
  infos?: Array<{ name: string; value: string }>;
}

/**
 * Body of `POST /api/v1/applications/{name}/rollback`.
 *
 * @public
 */
export interface ApplicationRollbackRequest {
  name: string;
  id: number;
  prune?: boolean;
  dryRun?: boolean;
  appNamespace?: string;
  project?: string;
}

/**
 * grpc-gateway v1.16 error body: `error` and `message` carry the same text.
 *
 * @public
 */
export interface ArgoCdErrorBody {
  error: string;
  code: number;
  message: string;
  details?: unknown[];
}

/**
 * A mid-stream error line (`runtimeStreamError`).
 *
 * @public
 */
export interface ArgoCdStreamError {
  grpc_code: number;
  http_code: number;
  message: string;
  http_status: string;
}
