import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { isDns1123Label } from '@kupe/plugin-gitops-common';
import type {
  AppProject,
  AppProjectList,
  Application,
  ApplicationList,
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
  ApplicationLogEntry,
  EventResourceRef,
  PodLogsQuery,
} from '../argocd/logTypes';
import { podLogsRequest, resourceEventParams, streamLogs } from './logCalls';
import type {
  ArgoCdAppScope,
  ArgoCdClient,
  ArgoCdInstanceConfig,
  ArgoCdInstanceInfo,
  ListApplicationsQuery,
  WatchApplicationsQuery,
} from './ArgoCdClient';
import { getApplicationSet, listApplicationSets } from './applicationSetCalls';
import {
  createApplicationRequest,
  deleteApplicationRequest,
} from './applicationWriteRequests';
import {
  requireAppName,
  requireChartVersion,
  requireCommitSha,
  requireNonNegativeInteger,
  requireOneOf,
  requireProjectName,
  requireResourceVersion,
} from './argoCdInputRules';
import { readApplicationList } from './applicationListReader';
import {
  type ApplicationMergePatch,
  applicationPatchRequest,
} from './patchRequest';
import type { OpenHttpResponse } from './openHttpRequest';
import {
  apiPath,
  listParams,
  optionalTenant,
  requirePositiveTimeout,
  scopeBody,
  scopeParams,
  sourceParams,
} from './requestParams';
import { type ArgoCdRequest, transportError } from './sendRequest';
import { ArgoCdConnection } from './argoCdConnection';
import { ResourceCalls } from './resourceCalls';
import {
  DEFAULT_WATCH_IDLE_TIMEOUT_MS,
  WatchIdleTimeout,
  brokenStreamError,
  idleWatchdog,
  readWatchEvents,
  touching,
} from './watchStream';

/**
 * The one Argo CD client of Kupe GitOps, for one instance (Argo CD v3.5.1 REST API).
 *
 * Authenticates with a static token, or logs in with username/password and caches the session
 * token, logging in again once when Argo CD answers 401. Tenant calls use the tenant's
 * project-role token when configured, so Argo CD's own RBAC confines them to that tenant.
 *
 * @public
 */
export class DefaultArgoCdClient implements ArgoCdClient {
  readonly instance: ArgoCdInstanceInfo;
  readonly #connection: ArgoCdConnection;
  readonly #resources: ResourceCalls;
  readonly #watchIdleTimeoutMs: number;

  constructor(
    config: ArgoCdInstanceConfig,
    options: { logger?: LoggerService } = {},
  ) {
    if (!isDns1123Label(config.name)) {
      throw new InputError(
        `Invalid Argo CD instance name ${JSON.stringify(config.name)}`,
      );
    }
    this.#connection = new ArgoCdConnection(config, options.logger);
    this.#resources = new ResourceCalls(this.#connection);
    this.#watchIdleTimeoutMs =
      config.watchIdleTimeoutMs === undefined
        ? DEFAULT_WATCH_IDLE_TIMEOUT_MS
        : requirePositiveTimeout(config.watchIdleTimeoutMs);
    this.instance = {
      name: config.name,
      url: config.url,
      uiUrl: config.uiUrl ?? config.url,
    };
  }

  async getVersion(
    options: { signal?: AbortSignal } = {},
  ): Promise<VersionMessage> {
    return this.#connection.json({
      method: 'GET',
      path: apiPath('api', 'version'),
      signal: options.signal,
    });
  }

  async getUserInfo(
    options: { tenant?: string; signal?: AbortSignal } = {},
  ): Promise<UserInfo> {
    return this.#connection.json({
      method: 'GET',
      path: apiPath('api', 'v1', 'session', 'userinfo'),
      tenant: optionalTenant(options.tenant),
      signal: options.signal,
    });
  }

  async listApplications(
    query: ListApplicationsQuery = {},
  ): Promise<ApplicationList> {
    const params = listParams(query);
    const request: ArgoCdRequest = {
      method: 'GET',
      path: apiPath('api', 'v1', 'applications'),
      query: params,
      tenant: query.tenant,
      signal: query.signal,
      timeoutMs:
        query.timeoutMs === undefined
          ? undefined
          : requirePositiveTimeout(query.timeoutMs),
    };
    if (!query.onItem) return this.#connection.json(request);
    const opened = await this.#connection.open(request);
    try {
      return await readApplicationList(
        opened.response,
        query.onItem,
        query.skipItem,
      );
    } catch (error) {
      if (!(error instanceof SyntaxError))
        throw transportError(this.#connection.transport, error, request.signal);
      throw new ServiceUnavailableError(
        `Argo CD ${this.instance.name}: answered GET ${request.path} with a body that is not an application list`,
      );
    } finally {
      opened.close();
    }
  }

  async getApplication(
    name: string,
    scope: ArgoCdAppScope & { refresh?: 'normal' | 'hard' } = {},
  ): Promise<Application> {
    const query = scopeParams(scope);
    if (scope.refresh !== undefined) {
      query.set(
        'refresh',
        requireOneOf('refresh', scope.refresh, ['normal', 'hard'] as const),
      );
    }
    return this.#connection.json({
      method: 'GET',
      path: apiPath('api', 'v1', 'applications', requireAppName(name)),
      query,
      tenant: scope.tenant,
      signal: scope.signal,
    });
  }

  async getResourceTree(
    name: string,
    scope: ArgoCdAppScope = {},
  ): Promise<ApplicationTree> {
    return this.#appGet(name, ['resource-tree'], scope);
  }

  async getManagedResources(
    name: string,
    scope: ArgoCdAppScope = {},
  ): Promise<ManagedResourcesResponse> {
    return this.#appGet(name, ['managed-resources'], scope);
  }

  getResource: ArgoCdClient['getResource'] = (...args) =>
    this.#resources.getResource(...args);
  listResourceActions: ArgoCdClient['listResourceActions'] = (...args) =>
    this.#resources.listResourceActions(...args);
  runResourceAction: ArgoCdClient['runResourceAction'] = (...args) =>
    this.#resources.runResourceAction(...args);

  async getRevisionMetadata(
    name: string,
    revision: string,
    scope: ArgoCdAppScope & { sourceIndex?: number; versionId?: number } = {},
  ): Promise<RevisionMetadata> {
    requireCommitSha(revision);
    return this.#appGet(
      name,
      ['revisions', revision, 'metadata'],
      scope,
      sourceParams(scope),
    );
  }

  async getRevisionChartDetails(
    name: string,
    revision: string,
    scope: ArgoCdAppScope & { sourceIndex?: number; versionId?: number } = {},
  ): Promise<ChartDetails> {
    requireChartVersion(revision);
    return this.#appGet(
      name,
      ['revisions', revision, 'chartdetails'],
      scope,
      sourceParams(scope),
    );
  }

  async listEvents(
    name: string,
    scope: ArgoCdAppScope & { resource?: EventResourceRef } = {},
  ): Promise<EventList> {
    return this.#appGet(
      name,
      ['events'],
      scope,
      resourceEventParams(scope.resource),
    );
  }

  streamPodLogs(
    name: string,
    query: PodLogsQuery,
    scope: ArgoCdAppScope = {},
  ): AsyncIterable<ApplicationLogEntry> {
    // Validated now, not on first iteration, so a bad query fails where it was made.
    return streamLogs(this.#connection, podLogsRequest(name, query, scope));
  }

  async getApplicationSyncWindows(
    name: string,
    scope: ArgoCdAppScope = {},
  ): Promise<ApplicationSyncWindowsResponse> {
    return this.#appGet(name, ['syncwindows'], scope);
  }

  async syncApplication(
    name: string,
    request: Omit<ApplicationSyncRequest, 'name' | 'project' | 'appNamespace'>,
    scope: ArgoCdAppScope = {},
  ): Promise<Application> {
    requireAppName(name);
    const body: ApplicationSyncRequest = {
      ...request,
      name,
      ...scopeBody(scope),
    };
    return this.#connection.json({
      method: 'POST',
      path: apiPath('api', 'v1', 'applications', name, 'sync'),
      body,
      tenant: scope.tenant,
      signal: scope.signal,
    });
  }

  async rollbackApplication(
    name: string,
    request: Omit<
      ApplicationRollbackRequest,
      'name' | 'project' | 'appNamespace'
    >,
    scope: ArgoCdAppScope = {},
  ): Promise<Application> {
    requireAppName(name);
    requireNonNegativeInteger('history id', request.id);
    const body: ApplicationRollbackRequest = {
      ...request,
      name,
      ...scopeBody(scope),
    };
    return this.#connection.json({
      method: 'POST',
      path: apiPath('api', 'v1', 'applications', name, 'rollback'),
      body,
      tenant: scope.tenant,
      signal: scope.signal,
    });
  }

  async terminateOperation(
    name: string,
    scope: ArgoCdAppScope = {},
  ): Promise<void> {
    const query = scopeParams(scope);
    await this.#connection.json({
      method: 'DELETE',
      path: apiPath(
        'api',
        'v1',
        'applications',
        requireAppName(name),
        'operation',
      ),
      query,
      tenant: scope.tenant,
      signal: scope.signal,
    });
  }

  async patchApplication(
    name: string,
    patch: ApplicationMergePatch,
    scope: ArgoCdAppScope = {},
  ): Promise<Application> {
    return this.#connection.json(applicationPatchRequest(name, patch, scope));
  }

  createApplication: ArgoCdClient['createApplication'] = (
    application,
    options = {},
  ) => this.#connection.json(createApplicationRequest(application, options));

  deleteApplication: ArgoCdClient['deleteApplication'] = async (
    name,
    scope = {},
  ) => {
    await this.#connection.json(deleteApplicationRequest(name, scope));
  };

  watchApplications(
    query: WatchApplicationsQuery = {},
  ): AsyncIterable<ApplicationWatchEvent> {
    // Validate now, not on first iteration, so a bad query fails where it was made.
    const params = listParams(query);
    if (query.resourceVersion !== undefined) {
      params.set(
        'resourceVersion',
        requireResourceVersion(query.resourceVersion),
      );
    }
    return this.#watch(params, query);
  }

  listApplicationSets: ArgoCdClient['listApplicationSets'] = (...args) =>
    listApplicationSets(this.#connection, ...args);
  getApplicationSet: ArgoCdClient['getApplicationSet'] = (...args) =>
    getApplicationSet(this.#connection, ...args);

  async listProjects(
    options: { tenant?: string; signal?: AbortSignal } = {},
  ): Promise<AppProjectList> {
    return this.#connection.json({
      method: 'GET',
      path: apiPath('api', 'v1', 'projects'),
      tenant: optionalTenant(options.tenant),
      signal: options.signal,
    });
  }

  async getProject(
    name: string,
    options: { tenant?: string; signal?: AbortSignal } = {},
  ): Promise<AppProject> {
    return this.#connection.json({
      method: 'GET',
      path: apiPath('api', 'v1', 'projects', requireProjectName(name)),
      tenant: optionalTenant(options.tenant),
      signal: options.signal,
    });
  }

  async listClusters(
    options: { tenant?: string; signal?: AbortSignal } = {},
  ): Promise<ClusterList> {
    return this.#connection.json({
      method: 'GET',
      path: apiPath('api', 'v1', 'clusters'),
      tenant: optionalTenant(options.tenant),
      signal: options.signal,
    });
  }

  async #appGet<T>(
    name: string,
    subPath: string[],
    scope: ArgoCdAppScope,
    extra?: URLSearchParams,
  ): Promise<T> {
    requireAppName(name);
    const query = scopeParams(scope);
    extra?.forEach((value, key) => query.append(key, value));
    return this.#connection.json({
      method: 'GET',
      path: apiPath('api', 'v1', 'applications', name, ...subPath),
      query,
      tenant: scope.tenant,
      signal: scope.signal,
    });
  }

  /**
   * The watch stream, closed as dead when no byte (an event or the SSE keepalive) arrives for
   * the idle timeout, from the request on, so a half-open connection that never sends
   * headers is caught too.
   */
  async *#watch(
    params: URLSearchParams,
    query: WatchApplicationsQuery,
  ): AsyncGenerator<ApplicationWatchEvent> {
    const { signal } = query;
    const idleMs = query.idleTimeoutMs ?? this.#watchIdleTimeoutMs;
    const idle = new AbortController();
    const watchdog = idleWatchdog(idleMs, () =>
      idle.abort(new WatchIdleTimeout(idleMs)),
    );
    let opened: OpenHttpResponse | undefined;
    try {
      opened = await this.#connection.open(
        {
          method: 'GET',
          path: apiPath('api', 'v1', 'stream', 'applications'),
          query: params,
          // SSE, as Argo CD's UI reads it: the server then writes a keepalive every 15 s,
          // so silence longer than the idle timeout means a dead connection even on an
          // instance where nothing changes (NDJSON has no keepalive).
          accept: 'text/event-stream',
          tenant: query.tenant,
          signal: signal ? AbortSignal.any([signal, idle.signal]) : idle.signal,
        },
        { stream: true },
      );
      yield* readWatchEvents(touching(opened.response, watchdog.touch), {
        instance: this.instance.name,
        secrets: () => this.#connection.secrets(),
      });
    } catch (error) {
      if (signal?.aborted) return;
      throw brokenStreamError(
        this.instance.name,
        idle.signal.aborted ? idle.signal.reason : error,
        this.#connection.secrets(),
      );
    } finally {
      watchdog.stop();
      opened?.close();
    }
  }
}
