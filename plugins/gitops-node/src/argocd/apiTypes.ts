/*
 * Wire types of the Argo CD v3.5.1 REST API beside the Application (resource trees, events,
 * projects, clusters, requests and errors); see ./types.ts for the source and conventions.
 */
import type { ObjectMeta, SyncOperationResource, HealthStatus } from './types';

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
