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

// The API's other objects, kept apart so neither file passes 500 lines.
export type {
  ResourceRef,
  ResourceNode,
  ApplicationTree,
  ResourceDiff,
  ManagedResourcesResponse,
  RevisionMetadata,
  ChartDetails,
  KubernetesEvent,
  EventList,
  ApplicationDestinationRule,
  AppProject,
  SyncWindow,
  ApplicationSyncWindow,
  ApplicationSyncWindowsResponse,
  AppProjectList,
  Cluster,
  ClusterList,
  UserInfo,
  VersionMessage,
  ApplicationSyncRequest,
  ApplicationRollbackRequest,
  ArgoCdErrorBody,
  ArgoCdStreamError,
} from './apiTypes';
