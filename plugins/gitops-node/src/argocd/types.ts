/*
 * Wire types of the Argo CD v3.5.1 REST API, the subset Kupe GitOps uses.
 * Shaped from Argo CD's swagger (`assets/swagger.json`, Apache-2.0, see NOTICE) and Go types:
 * `omitempty` fields are optional, int64 values are numbers, times are RFC3339 strings, and
 * objects carry no apiVersion/kind.
 */

export type SyncStatusCode = 'Synced' | 'OutOfSync' | 'Unknown' | '';
export type HealthStatusCode =
  | 'Healthy'
  | 'Progressing'
  | 'Degraded'
  | 'Suspended'
  | 'Missing'
  | 'Unknown';
export type OperationPhase =
  | 'Running'
  | 'Terminating'
  | 'Failed'
  | 'Error'
  | 'Succeeded';
export type ResultCode = 'Synced' | 'SyncFailed' | 'Pruned' | 'PruneSkipped';
export type SyncPhase = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail';
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

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

export interface ApplicationSourceHelm {
  valueFiles?: string[];
  values?: string;
  valuesObject?: unknown;
  parameters?: Array<{ name?: string; value?: string; forceString?: boolean }>;
  releaseName?: string;
  version?: string;
}

export interface ApplicationSourceKustomize {
  namePrefix?: string;
  nameSuffix?: string;
  images?: string[];
  commonLabels?: Record<string, string>;
  namespace?: string;
}

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

export interface ApplicationDestination {
  server?: string;
  namespace?: string;
  name?: string;
}

export interface SyncPolicyAutomated {
  prune?: boolean;
  selfHeal?: boolean;
  allowEmpty?: boolean;
  enabled?: boolean;
}

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

export interface SyncOperationResource {
  group?: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface OperationInitiator {
  username?: string;
  automated?: boolean;
}

export interface Operation {
  sync?: SyncOperation;
  initiatedBy?: OperationInitiator;
  info?: Array<{ name: string; value: string }>;
  retry?: unknown;
}

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

export interface SyncOperationResult {
  resources?: ResourceResult[];
  revision: string;
  revisions?: string[];
  source?: ApplicationSource;
  sources?: ApplicationSource[];
}

export interface OperationState {
  operation: Operation;
  phase: OperationPhase;
  message?: string;
  syncResult?: SyncOperationResult;
  startedAt: string;
  finishedAt?: string;
  retryCount?: number;
}

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

export interface HealthStatus {
  status?: HealthStatusCode;
  message?: string;
  lastTransitionTime?: string;
}

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

export interface ApplicationCondition {
  type: string;
  message: string;
  lastTransitionTime?: string;
}

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

export interface Application {
  metadata: ObjectMeta;
  spec: ApplicationSpec;
  status?: ApplicationStatus;
  operation?: Operation;
}

export interface ApplicationList {
  metadata: { resourceVersion?: string };
  /** `null` when `fields` is given and nothing matched. */
  items: Application[] | null;
}

export interface ApplicationWatchEvent {
  type: WatchEventType;
  application: Application;
}

export interface ResourceRef {
  group?: string;
  version?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
}

export interface ResourceNode extends ResourceRef {
  parentRefs?: ResourceRef[];
  info?: Array<{ name?: string; value?: string }>;
  networkingInfo?: unknown;
  resourceVersion?: string;
  images?: string[];
  health?: HealthStatus;
  createdAt?: string;
}

export interface ApplicationTree {
  nodes?: ResourceNode[];
  orphanedNodes?: ResourceNode[];
  hosts?: unknown[];
  shardsCount?: number;
}

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

export interface ManagedResourcesResponse {
  items?: ResourceDiff[];
}

export interface RevisionMetadata {
  author?: string;
  date: string;
  tags?: string[];
  message?: string;
}

export interface ChartDetails {
  description?: string;
  home?: string;
  maintainers?: string[];
}

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

export interface EventList {
  metadata: { resourceVersion?: string };
  items: KubernetesEvent[];
}

export interface ApplicationDestinationRule {
  server?: string;
  namespace?: string;
  name?: string;
}

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
 */
export interface ApplicationSyncWindowsResponse {
  activeWindows?: ApplicationSyncWindow[];
  assignedWindows?: ApplicationSyncWindow[];
  canSync: boolean;
}

export interface AppProjectList {
  metadata: { resourceVersion?: string };
  items: AppProject[] | null;
}

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

export interface ClusterList {
  metadata: { resourceVersion?: string };
  items: Cluster[];
}

export interface UserInfo {
  loggedIn?: boolean;
  username?: string;
  iss?: string;
  groups?: string[];
}

export interface VersionMessage {
  Version?: string;
  BuildDate?: string;
  GitCommit?: string;
}

/** Body of `POST /api/v1/applications/{name}/sync`. Note `syncOptions` is `{items}` here. */
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

/** Body of `POST /api/v1/applications/{name}/rollback`. */
export interface ApplicationRollbackRequest {
  name: string;
  id: number;
  prune?: boolean;
  dryRun?: boolean;
  appNamespace?: string;
  project?: string;
}

/** grpc-gateway v1.16 error body: `error` and `message` carry the same text. */
export interface ArgoCdErrorBody {
  error: string;
  code: number;
  message: string;
  details?: unknown[];
}

/** A mid-stream error line (`runtimeStreamError`). */
export interface ArgoCdStreamError {
  grpc_code: number;
  http_code: number;
  message: string;
  http_status: string;
}
