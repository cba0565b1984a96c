import type {
  AppProject,
  AppProjectList,
  Application,
  ApplicationList,
  ApplicationSet,
  ApplicationSetList,
  ApplicationRollbackRequest,
  ApplicationSyncRequest,
  ApplicationSyncWindowsResponse,
  ApplicationTree,
  ApplicationWatchEvent,
  ChartDetails,
  ClusterList,
  EventList,
  ManagedResourcesResponse,
  RevisionMetadata,
  UserInfo,
  VersionMessage,
} from '../argocd/types';
import type {
  ApplicationResourceRef,
  ApplicationResourceResponse,
  ResourceActionParameter,
  ResourceActionsListResponse,
} from '../argocd/resourceActionTypes';
import type { ApplicationMergePatch } from './patchRequest';
import type {
  ApplicationLogEntry,
  EventResourceRef,
  PodLogsQuery,
} from '../argocd/logTypes';

/**
 * One configured Argo CD instance, as `gitops.instances[]` describes it.
 *
 * @public
 */
export interface ArgoCdInstanceConfig {
  name: string;
  url: string;
  uiUrl?: string;
  token?: string;
  username?: string;
  password?: string;
  /** tenant → project-role token */
  projectTokens?: Record<string, string>;
  timeoutMs?: number;
  /**
   * A watch stream that receives no bytes for this long (ms) is closed with an error so the
   * caller reconnects and relists: the watch is read as SSE, on which Argo CD writes a
   * keepalive every 15 s, so silence is the sign of a half-open connection. Default 30 s (see
   * `DEFAULT_WATCH_IDLE_TIMEOUT_MS`).
   */
  watchIdleTimeoutMs?: number;
  caCert?: string;
  skipTlsVerify?: boolean;
}

/**
 * What may be shown about an instance: no credentials.
 *
 * @public
 */
export interface ArgoCdInstanceInfo {
  name: string;
  url: string;
  uiUrl: string;
}

/**
 * Options every per-application call takes.
 *
 * @public
 */
export interface ArgoCdAppScope {
  /**
   * The AppProject the app must belong to. Argo CD then answers 404 for an app of another
   * project, so a tenant can never reach another tenant's app through this call.
   */
  project?: string;
  /** Namespace of the Application resource, for apps outside the control-plane namespace. */
  appNamespace?: string;
  /** Tenant on whose behalf the call is made: its project token is used when configured. */
  tenant?: string;
  signal?: AbortSignal;
}

/**
 * Filters and limits of one Argo CD application listing.
 *
 * @public
 */
export interface ListApplicationsQuery {
  projects?: string[];
  /** Kubernetes label selector, validated before it is sent. */
  selector?: string;
  name?: string;
  repo?: string;
  appNamespace?: string;
  /** `fields=` projection (Argo CD's fixed whitelist). */
  fields?: string[];
  tenant?: string;
  signal?: AbortSignal;
  /**
   * This listing's timeout (ms) instead of the instance's per-request one: listing every app
   * of a large instance legitimately takes longer than a single request. Not used by watches.
   */
  timeoutMs?: number;
  /**
   * Receives each app as soon as it has arrived, parsed on its own, and the listing resolves
   * without its items: the body is never held whole. Not used by watches.
   */
  onItem?: (app: Application) => void;
  /**
   * With `onItem`: sees the digest of each app's JSON bytes as listed (`listedItemDigest`)
   * before it is decoded, and an app it answers true for is neither decoded, parsed nor
   * handed to `onItem`. For a caller that recognises an app unchanged since an earlier
   * listing by its listed bytes alone.
   */
  skipItem?: (digest: number) => boolean;
}

/**
 * Filters of one Argo CD ApplicationSet listing.
 *
 * @public
 */
export interface ListApplicationSetsQuery {
  /** Only sets whose template's project is one of these. */
  projects?: string[];
  /** Kubernetes label selector on the sets, validated before it is sent. */
  selector?: string;
  appsetNamespace?: string;
  tenant?: string;
  signal?: AbortSignal;
}

/**
 * Options of one ApplicationSet read.
 *
 * @public
 */
export interface GetApplicationSetOptions {
  appsetNamespace?: string;
  tenant?: string;
  signal?: AbortSignal;
}

/**
 * Filters of one Argo CD application watch stream.
 *
 * @public
 */
export interface WatchApplicationsQuery extends ListApplicationsQuery {
  resourceVersion?: string;
  /** This watch's idle timeout (ms) instead of the instance's `watchIdleTimeoutMs`. */
  idleTimeoutMs?: number;
}

/**
 * Typed client of one Argo CD instance (v3.5.1 REST API). Every name is validated and
 * encoded before it becomes part of a URL; invalid input throws `InputError` and sends nothing.
 * Argo CD errors are thrown as `@backstage/errors` types (404 NotFoundError, 403
 * NotAllowedError, 400 InputError, 409 ConflictError, 401 AuthenticationError, 5xx/timeout
 * ServiceUnavailableError) carrying Argo CD's message.
 *
 * @public
 */
export interface ArgoCdClient {
  readonly instance: ArgoCdInstanceInfo;

  getVersion(options?: { signal?: AbortSignal }): Promise<VersionMessage>;
  getUserInfo(options?: {
    tenant?: string;
    signal?: AbortSignal;
  }): Promise<UserInfo>;

  listApplications(query?: ListApplicationsQuery): Promise<ApplicationList>;
  getApplication(
    name: string,
    scope?: ArgoCdAppScope & { refresh?: 'normal' | 'hard' },
  ): Promise<Application>;
  getResourceTree(
    name: string,
    scope?: ArgoCdAppScope,
  ): Promise<ApplicationTree>;
  getManagedResources(
    name: string,
    scope?: ArgoCdAppScope,
  ): Promise<ManagedResourcesResponse>;
  /**
   * `GET /api/v1/applications/{name}/resource`: the live manifest of one resource of the
   * app's tree (Argo CD's RBAC: `applications, get`; 400 for a resource outside the tree).
   */
  getResource(
    name: string,
    ref: ApplicationResourceRef,
    scope?: ArgoCdAppScope,
  ): Promise<ApplicationResourceResponse>;
  /** `GET /api/v1/applications/{name}/resource/actions`: the resource's actions. */
  listResourceActions(
    name: string,
    ref: ApplicationResourceRef,
    scope?: ArgoCdAppScope,
  ): Promise<ResourceActionsListResponse>;
  /**
   * `POST /api/v1/applications/{name}/resource/actions/v2`: runs a resource action, e.g.
   * `resume` or `abort` of an Argo Rollout (Argo CD's RBAC: `action/<group>/<kind>/<action>`).
   */
  runResourceAction(
    name: string,
    ref: ApplicationResourceRef,
    action: string,
    scope?: ArgoCdAppScope & { parameters?: ResourceActionParameter[] },
  ): Promise<void>;
  getRevisionMetadata(
    name: string,
    revision: string,
    scope?: ArgoCdAppScope & { sourceIndex?: number; versionId?: number },
  ): Promise<RevisionMetadata>;
  getRevisionChartDetails(
    name: string,
    revision: string,
    scope?: ArgoCdAppScope & { sourceIndex?: number; versionId?: number },
  ): Promise<ChartDetails>;
  /**
   * `GET /api/v1/applications/{name}/events`: the Application's own Kubernetes events, or with
   * `resource` those of one resource of its tree (Argo CD answers 400 for one outside it).
   */
  listEvents(
    name: string,
    scope?: ArgoCdAppScope & { resource?: EventResourceRef },
  ): Promise<EventList>;
  /**
   * `GET /api/v1/applications/{name}/logs` for one container of one pod, parsed line by line
   * (Argo CD's RBAC: `logs, get` on the app). Ends after Argo CD's `last` entry, or when
   * `scope.signal` aborts, which closes the upstream stream (a followed pod included).
   */
  streamPodLogs(
    name: string,
    query: PodLogsQuery,
    scope?: ArgoCdAppScope,
  ): AsyncIterable<ApplicationLogEntry>;
  /**
   * `GET /api/v1/applications/{name}/syncwindows`: the project's sync windows that apply to
   * the app, those open now, and whether a manual sync may run now (what `syncApplication`
   * checks before refusing with 403 `cannot sync: blocked by sync window`).
   */
  getApplicationSyncWindows(
    name: string,
    scope?: ArgoCdAppScope,
  ): Promise<ApplicationSyncWindowsResponse>;

  syncApplication(
    name: string,
    request: Omit<ApplicationSyncRequest, 'name' | 'project' | 'appNamespace'>,
    scope?: ArgoCdAppScope,
  ): Promise<Application>;
  rollbackApplication(
    name: string,
    request: Omit<
      ApplicationRollbackRequest,
      'name' | 'project' | 'appNamespace'
    >,
    scope?: ArgoCdAppScope,
  ): Promise<Application>;
  terminateOperation(name: string, scope?: ArgoCdAppScope): Promise<void>;
  /**
   * `PATCH /api/v1/applications/{name}` with a JSON merge patch: changes only what the patch
   * names (e.g. `spec.syncPolicy.automated.enabled`, keeping prune and self-heal). Needs
   * Argo CD's `update` on the app.
   */
  patchApplication(
    name: string,
    patch: ApplicationMergePatch,
    scope?: ArgoCdAppScope,
  ): Promise<Application>;
  createApplication(
    application: Application,
    options?: {
      upsert?: boolean;
      validate?: boolean;
      tenant?: string;
      signal?: AbortSignal;
    },
  ): Promise<Application>;
  deleteApplication(
    name: string,
    scope?: ArgoCdAppScope & {
      cascade?: boolean;
      propagationPolicy?: 'foreground' | 'background';
    },
  ): Promise<void>;

  /**
   * `GET /api/v1/stream/applications`, parsed incrementally line by line. Starts with ADDED for
   * every matching app; ends when `signal` aborts or the server closes; a mid-stream error line
   * is thrown as the mapped error.
   */
  watchApplications(
    query?: WatchApplicationsQuery,
  ): AsyncIterable<ApplicationWatchEvent>;

  /** `GET /api/v1/applicationsets`: the sets the caller may read. */
  listApplicationSets(
    query?: ListApplicationSetsQuery,
  ): Promise<ApplicationSetList>;
  /** `GET /api/v1/applicationsets/{name}`: 404 when missing, 403 when not readable. */
  getApplicationSet(
    name: string,
    options?: GetApplicationSetOptions,
  ): Promise<ApplicationSet>;

  listProjects(options?: {
    tenant?: string;
    signal?: AbortSignal;
  }): Promise<AppProjectList>;
  getProject(
    name: string,
    options?: { tenant?: string; signal?: AbortSignal },
  ): Promise<AppProject>;
  listClusters(options?: {
    tenant?: string;
    signal?: AbortSignal;
  }): Promise<ClusterList>;
}

/**
 * All configured instances; the service behind `argoCdServiceRef`.
 *
 * @public
 */
export interface ArgoCdService {
  /** Instances in config order; the first is the default. */
  listInstances(): ArgoCdInstanceInfo[];
  /** The client of one instance; `NotFoundError` for an unknown or invalid name. */
  forInstance(name: string): ArgoCdClient;
}
