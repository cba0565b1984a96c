/**
 * Wire types of the gitops backend's routes under `/api/gitops`. The backend's
 * `src/schema/openapi.yaml` describes the same shapes; its tests validate every response
 * against that document, so these types and the document cannot drift apart unnoticed.
 */
import type {
  HealthStatusValue,
  OperationPhaseValue,
  SyncStatusValue,
} from './status';
import type { SyncPolicyMode } from './syncPolicy';

/** One Argo CD application as the card and the tab show it. */
export interface ApplicationSummary {
  instance: string;
  name: string;
  appNamespace: string;
  project: string;
  /** undefined for an app outside every tenant project (only admins see those) */
  tenant?: string;
  environment?: string;
  destination: { cluster?: string; server?: string; namespace?: string };
  sync: { status: SyncStatusValue; revision?: string; revisions?: string[] };
  health: { status?: HealthStatusValue; message?: string };
  operation?: {
    phase: OperationPhaseValue;
    message?: string;
    startedAt?: string;
    finishedAt?: string;
  };
  syncPolicy: SyncPolicyMode;
  source?: {
    repoURL: string;
    path?: string;
    targetRevision?: string;
    chart?: string;
  };
  images: string[];
  /** When the last sync finished (last history entry). */
  lastSyncedAt?: string;
  /**
   * The revision that runs: that of the last successful sync (the last `status.history`
   * entry, else `status.operationState.syncResult.revision`). `sync.revision` is the target
   * Argo CD compares against, which differs while the app is OutOfSync.
   */
  deployedRevision?: string;
  /** Since when the app has been OutOfSync, as observed by the portal. */
  outOfSyncSince?: string;
  /** Link into the Argo CD UI. */
  argoCdUrl?: string;
  /** True when the data could not be refreshed from Argo CD recently. */
  stale: boolean;
  /** Age of the data in milliseconds. */
  ageMs: number;
}

export interface InstanceError {
  instance: string;
  message: string;
}

/** `GET /entities/:namespace/:kind/:name/applications` */
export interface EntityApplicationsResponse {
  items: ApplicationSummary[];
  errors: InstanceError[];
}

export interface ApplicationHistoryEntry {
  id: number;
  revision?: string;
  /** Helm chart version, when the source is a chart. */
  chartVersion?: string;
  deployedAt: string;
  deployStartedAt?: string;
  initiatedBy?: { username?: string; automated?: boolean };
  author?: string;
  date?: string;
  message?: string;
}

export interface ApplicationCondition {
  type: string;
  message: string;
  lastTransitionTime?: string;
}

export interface ApplicationResourceSummary {
  group?: string;
  version?: string;
  kind: string;
  namespace?: string;
  name: string;
  status?: SyncStatusValue;
  health?: HealthStatusValue;
  requiresPruning?: boolean;
}

/** `GET /instances/:instance/applications/:name` */
export interface ApplicationDetail {
  summary: ApplicationSummary;
  conditions: ApplicationCondition[];
  operationState?: {
    phase: OperationPhaseValue;
    message?: string;
    startedAt: string;
    finishedAt?: string;
    initiatedBy?: { username?: string; automated?: boolean };
    revision?: string;
  };
  history: ApplicationHistoryEntry[];
  resources: ApplicationResourceSummary[];
}

/** One managed resource; for OutOfSync ones the normalized manifests for a diff. */
export interface ManagedResource {
  group?: string;
  kind: string;
  namespace?: string;
  name: string;
  modified: boolean;
  /** YAML of the live object (absent when the resource does not exist yet). */
  liveManifest?: string;
  /** YAML of the desired object (absent when it will be pruned). */
  desiredManifest?: string;
}

/** `GET /instances/:instance/applications/:name/resources` */
export interface ManagedResourcesResponseBody {
  items: ManagedResource[];
}

/** `POST .../sync` */
export interface SyncRequestBody {
  prune?: boolean;
  dryRun?: boolean;
  revision?: string;
  resources?: Array<{
    group?: string;
    kind: string;
    name: string;
    namespace?: string;
  }>;
}

/** `POST .../refresh` */
export interface RefreshRequestBody {
  hard?: boolean;
}

/** `POST .../rollback` */
export interface RollbackRequestBody {
  id: number;
  prune?: boolean;
  dryRun?: boolean;
}

/** Outcome of a mutation. */
export interface ActionResponse {
  summary: ApplicationSummary;
}

/** `GET /tenants`: what the scaffolder form offers. */
export interface TenantInfo {
  name: string;
  project: string;
  instance: string;
  sourceRepos: string[];
  clusters: Array<{ name: string; cluster: string; server?: string }>;
}

export interface TenantsResponse {
  items: TenantInfo[];
}

/** Payload of each `GET /events` server-sent event (`event: applications`). */
export interface ApplicationsEvent {
  entityRef: string;
  items: ApplicationSummary[];
  errors: InstanceError[];
}
