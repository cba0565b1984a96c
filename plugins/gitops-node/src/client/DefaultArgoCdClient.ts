import type http from 'node:http';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
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
  ArgoCdStreamError,
  ChartDetails,
  ClusterList,
  EventList,
  ManagedResourcesResponse,
  RevisionMetadata,
  UserInfo,
  VersionMessage,
} from '../argocd/types';
import type {
  ArgoCdAppScope,
  ArgoCdClient,
  ArgoCdInstanceConfig,
  ArgoCdInstanceInfo,
  ListApplicationsQuery,
  WatchApplicationsQuery,
} from './ArgoCdClient';
import {
  requireAppName,
  requireAppNamespace,
  requireBoolean,
  requireChartVersion,
  requireCommitSha,
  requireFieldPath,
  requireNonNegativeInteger,
  requireOneOf,
  requireProjectName,
  requireRepoFilter,
  requireResourceVersion,
  requireTenant,
} from './argoCdInputRules';
import { readApplicationList } from './applicationListReader';
import { createArgoCdAgent } from './createArgoCdAgent';
import {
  errorForStatus,
  mapArgoCdError,
  redactSecrets,
  sanitizeUpstreamText,
} from './mapArgoCdError';
import { readNdjsonLines } from './ndjsonLines';
import { OpenHttpResponse, openHttpRequest } from './openHttpRequest';
import { validateLabelSelector } from '../labels/labelSelector';

const DEFAULT_TIMEOUT_MS = 15000;

type Method = 'GET' | 'POST' | 'DELETE';

interface ArgoCdRequest {
  method: Method;
  /** Already-encoded path below the base URL, starting with `/api/`. */
  path: string;
  query?: URLSearchParams;
  body?: unknown;
  tenant?: string;
  signal?: AbortSignal;
  /** Overrides the instance's per-request timeout (ms). */
  timeoutMs?: number;
}

/** Marks an abort caused by our own per-request timer, as opposed to the caller's signal. */
class RequestTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super('request timed out');
    this.name = 'RequestTimeout';
  }
}

function requirePositiveTimeout(value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new InputError(
      `Invalid timeoutMs ${value}: must be a positive number`,
    );
  }
  return value;
}

/** A tenant, when given, must be a DNS-1123 label: it selects the project-role token. */
function optionalTenant(tenant: string | undefined): string | undefined {
  return tenant === undefined ? undefined : requireTenant(tenant);
}

/** Builds a path from segments, each encoded so no value can add a segment or a query. */
function apiPath(...segments: string[]): string {
  return `/${segments.map(encodeURIComponent).join('/')}`;
}

/**
 * The one Argo CD client of Kupe GitOps, for one instance (Argo CD v3.5.1 REST API).
 *
 * Authenticates with a static token, or logs in with username/password and caches the session
 * token, logging in again once when Argo CD answers 401. Tenant calls use the tenant's
 * project-role token when configured, so Argo CD's own RBAC confines them to that tenant.
 */
export class DefaultArgoCdClient implements ArgoCdClient {
  readonly instance: ArgoCdInstanceInfo;
  readonly #config: ArgoCdInstanceConfig;
  readonly #baseUrl: URL;
  readonly #pathPrefix: string;
  readonly #agent: http.Agent;
  readonly #timeoutMs: number;
  readonly #logger?: LoggerService;
  /** By tenant; a Map so a tenant such as `constructor` or `__proto__` finds no inherited value. */
  readonly #projectTokens: ReadonlyMap<string, string>;
  #sessionToken?: string;
  #login?: Promise<string>;

  constructor(
    config: ArgoCdInstanceConfig,
    options: { logger?: LoggerService } = {},
  ) {
    if (!isDns1123Label(config.name)) {
      throw new InputError(
        `Invalid Argo CD instance name ${JSON.stringify(config.name)}`,
      );
    }
    let baseUrl: URL;
    try {
      baseUrl = new URL(config.url);
    } catch {
      throw new InputError(
        `Argo CD instance ${config.name}: url is not a valid URL`,
      );
    }
    if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') {
      throw new InputError(
        `Argo CD instance ${config.name}: url must be http or https`,
      );
    }
    if (!config.token && !(config.username && config.password)) {
      throw new InputError(
        `Argo CD instance ${config.name}: needs either a token or a username and password`,
      );
    }
    // Kept apart from the URL: a URL object turns an empty path back into '/'.
    this.#pathPrefix = baseUrl.pathname.replace(/\/+$/, '');
    baseUrl.search = '';
    baseUrl.hash = '';
    this.#config = config;
    this.#baseUrl = baseUrl;
    this.#agent = createArgoCdAgent(config);
    this.#timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#logger = options.logger;
    this.#projectTokens = new Map(
      Object.entries(config.projectTokens ?? {}).filter(
        ([, token]) => typeof token === 'string' && token.length > 0,
      ),
    );
    this.instance = {
      name: config.name,
      url: config.url,
      uiUrl: config.uiUrl ?? config.url,
    };
  }

  async getVersion(
    options: { signal?: AbortSignal } = {},
  ): Promise<VersionMessage> {
    return this.#json({
      method: 'GET',
      path: apiPath('api', 'version'),
      signal: options.signal,
    });
  }

  async getUserInfo(
    options: { tenant?: string; signal?: AbortSignal } = {},
  ): Promise<UserInfo> {
    return this.#json({
      method: 'GET',
      path: apiPath('api', 'v1', 'session', 'userinfo'),
      tenant: optionalTenant(options.tenant),
      signal: options.signal,
    });
  }

  async listApplications(
    query: ListApplicationsQuery = {},
  ): Promise<ApplicationList> {
    const params = this.#listParams(query);
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
    if (!query.onItem) return this.#json(request);
    const opened = await this.#open(request);
    try {
      return await readApplicationList(opened.response, query.onItem);
    } catch (error) {
      if (!(error instanceof SyntaxError))
        throw this.#transportError(error, request.signal);
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
    const query = this.#scopeParams(scope);
    if (scope.refresh !== undefined) {
      query.set(
        'refresh',
        requireOneOf('refresh', scope.refresh, ['normal', 'hard'] as const),
      );
    }
    return this.#json({
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
      this.#sourceParams(scope),
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
      this.#sourceParams(scope),
    );
  }

  async listEvents(
    name: string,
    scope: ArgoCdAppScope = {},
  ): Promise<EventList> {
    return this.#appGet(name, ['events'], scope);
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
      ...this.#scopeBody(scope),
    };
    return this.#json({
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
      ...this.#scopeBody(scope),
    };
    return this.#json({
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
    const query = this.#scopeParams(scope);
    await this.#json({
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

  async createApplication(
    application: Application,
    options: {
      upsert?: boolean;
      validate?: boolean;
      tenant?: string;
      signal?: AbortSignal;
    } = {},
  ): Promise<Application> {
    requireAppName(application?.metadata?.name);
    requireProjectName(application.spec?.project);
    if (application.metadata.namespace !== undefined) {
      requireAppNamespace(application.metadata.namespace);
    }
    if (options.tenant !== undefined) requireTenant(options.tenant);
    const query = new URLSearchParams();
    if (options.upsert !== undefined) {
      query.set('upsert', String(requireBoolean('upsert', options.upsert)));
    }
    if (options.validate !== undefined) {
      query.set(
        'validate',
        String(requireBoolean('validate', options.validate)),
      );
    }
    return this.#json({
      method: 'POST',
      path: apiPath('api', 'v1', 'applications'),
      query,
      body: application,
      tenant: options.tenant,
      signal: options.signal,
    });
  }

  async deleteApplication(
    name: string,
    scope: ArgoCdAppScope & {
      cascade?: boolean;
      propagationPolicy?: 'foreground' | 'background';
    } = {},
  ): Promise<void> {
    requireAppName(name);
    const query = this.#scopeParams(scope);
    if (scope.cascade !== undefined) {
      query.set('cascade', String(requireBoolean('cascade', scope.cascade)));
    }
    if (scope.propagationPolicy !== undefined) {
      query.set(
        'propagationPolicy',
        requireOneOf('propagationPolicy', scope.propagationPolicy, [
          'foreground',
          'background',
        ] as const),
      );
    }
    await this.#json({
      method: 'DELETE',
      path: apiPath('api', 'v1', 'applications', name),
      query,
      tenant: scope.tenant,
      signal: scope.signal,
    });
  }

  watchApplications(
    query: WatchApplicationsQuery = {},
  ): AsyncIterable<ApplicationWatchEvent> {
    // Validate now, not on first iteration, so a bad query fails where it was made.
    const params = this.#listParams(query);
    if (query.resourceVersion !== undefined) {
      params.set(
        'resourceVersion',
        requireResourceVersion(query.resourceVersion),
      );
    }
    return this.#watch(params, query);
  }

  async listProjects(
    options: { tenant?: string; signal?: AbortSignal } = {},
  ): Promise<AppProjectList> {
    return this.#json({
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
    return this.#json({
      method: 'GET',
      path: apiPath('api', 'v1', 'projects', requireProjectName(name)),
      tenant: optionalTenant(options.tenant),
      signal: options.signal,
    });
  }

  async listClusters(
    options: { tenant?: string; signal?: AbortSignal } = {},
  ): Promise<ClusterList> {
    return this.#json({
      method: 'GET',
      path: apiPath('api', 'v1', 'clusters'),
      tenant: optionalTenant(options.tenant),
      signal: options.signal,
    });
  }

  // --- query building -------------------------------------------------------------------

  #scopeParams(scope: ArgoCdAppScope): URLSearchParams {
    const query = new URLSearchParams();
    const { project, appNamespace } = this.#scopeBody(scope);
    if (project !== undefined) query.set('project', project);
    if (appNamespace !== undefined) query.set('appNamespace', appNamespace);
    if (scope.tenant !== undefined) requireTenant(scope.tenant);
    return query;
  }

  #scopeBody(scope: ArgoCdAppScope): {
    project?: string;
    appNamespace?: string;
  } {
    const result: { project?: string; appNamespace?: string } = {};
    if (scope.project !== undefined)
      result.project = requireProjectName(scope.project);
    if (scope.appNamespace !== undefined) {
      result.appNamespace = requireAppNamespace(scope.appNamespace);
    }
    if (scope.tenant !== undefined) requireTenant(scope.tenant);
    return result;
  }

  #sourceParams(scope: {
    sourceIndex?: number;
    versionId?: number;
  }): URLSearchParams {
    const query = new URLSearchParams();
    if (scope.sourceIndex !== undefined) {
      query.set(
        'sourceIndex',
        String(requireNonNegativeInteger('sourceIndex', scope.sourceIndex)),
      );
    }
    if (scope.versionId !== undefined) {
      query.set(
        'versionId',
        String(requireNonNegativeInteger('versionId', scope.versionId)),
      );
    }
    return query;
  }

  #listParams(query: ListApplicationsQuery): URLSearchParams {
    const params = new URLSearchParams();
    for (const project of query.projects ?? []) {
      params.append('projects', requireProjectName(project));
    }
    if (query.selector !== undefined && query.selector.trim() !== '') {
      params.set('selector', validateLabelSelector(query.selector));
    }
    if (query.name !== undefined)
      params.set('name', requireAppName(query.name));
    if (query.repo !== undefined)
      params.set('repo', requireRepoFilter(query.repo));
    if (query.appNamespace !== undefined) {
      params.set('appNamespace', requireAppNamespace(query.appNamespace));
    }
    if (query.fields !== undefined && query.fields.length > 0) {
      params.set('fields', query.fields.map(requireFieldPath).join(','));
    }
    if (query.tenant !== undefined) requireTenant(query.tenant);
    return params;
  }

  async #appGet<T>(
    name: string,
    subPath: string[],
    scope: ArgoCdAppScope,
    extra?: URLSearchParams,
  ): Promise<T> {
    requireAppName(name);
    const query = this.#scopeParams(scope);
    extra?.forEach((value, key) => query.append(key, value));
    return this.#json({
      method: 'GET',
      path: apiPath('api', 'v1', 'applications', name, ...subPath),
      query,
      tenant: scope.tenant,
      signal: scope.signal,
    });
  }

  // --- transport ------------------------------------------------------------------------

  /** Every value that must never appear in an error or a log line. */
  #secrets(): string[] {
    const secrets = [
      this.#config.token,
      this.#config.password,
      this.#sessionToken,
      ...this.#projectTokens.values(),
    ];
    return secrets.filter(
      (s): s is string => typeof s === 'string' && s.length > 0,
    );
  }

  async #json<T>(request: ArgoCdRequest): Promise<T> {
    const opened = await this.#open(request);
    const text = await opened.text();
    if (!text.trim()) return {} as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ServiceUnavailableError(
        `Argo CD ${this.instance.name}: answered ${request.method} ${request.path} with a body that is not JSON`,
      );
    }
  }

  /**
   * Sends a request with the right credentials and returns the 2xx answer with its body unread.
   * A session token rejected with 401 is replaced by one new login and the request retried
   * once; a second 401 is the caller's error, so a broken account cannot loop.
   */
  async #open(request: ArgoCdRequest, options: { stream?: boolean } = {}) {
    // Every public method validated the tenant already; checked again here because this is
    // where a bad one would pick a credential.
    const projectToken =
      request.tenant !== undefined
        ? this.#projectTokens.get(requireTenant(request.tenant))
        : undefined;
    const staticToken = projectToken || this.#config.token;

    let token = staticToken ?? (await this.#session());
    let opened = await this.#send(request, token, options);
    if (opened.response.statusCode === 401 && !staticToken) {
      opened.close();
      if (this.#sessionToken === token) this.#sessionToken = undefined;
      this.#logger?.info(
        `Argo CD ${this.instance.name}: session rejected, logging in again`,
      );
      token = await this.#session();
      opened = await this.#send(request, token, options);
    }
    const status = opened.response.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      const body = await opened.text().catch(() => '');
      throw mapArgoCdError({
        instance: this.instance.name,
        status,
        body,
        secrets: this.#secrets(),
      });
    }
    return opened;
  }

  /** The cached session token, logging in first when there is none; one login at a time. */
  async #session(): Promise<string> {
    if (this.#sessionToken) return this.#sessionToken;
    if (!this.#login) {
      this.#login = this.#createSession()
        .then(token => {
          this.#sessionToken = token;
          return token;
        })
        .finally(() => {
          this.#login = undefined;
        });
    }
    return this.#login;
  }

  async #createSession(): Promise<string> {
    const { username, password } = this.#config;
    // No caller signal: the login is shared, one caller giving up must not fail the others.
    const opened = await this.#send(
      {
        method: 'POST',
        path: apiPath('api', 'v1', 'session'),
        body: { username, password },
      },
      undefined,
    );
    const status = opened.response.statusCode ?? 0;
    const text = await opened.text().catch(() => '');
    if (status < 200 || status >= 300) {
      const mapped = mapArgoCdError({
        instance: this.instance.name,
        status,
        body: text,
        secrets: this.#secrets(),
      });
      const message = `${mapped.message} (login as ${JSON.stringify(
        username,
      )})`;
      throw status === 401
        ? new AuthenticationError(message)
        : errorForStatus(status, message);
    }
    let token: unknown;
    try {
      token = (JSON.parse(text) as { token?: unknown }).token;
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string' || !token) {
      throw new ServiceUnavailableError(
        `Argo CD ${this.instance.name}: login answer carried no session token`,
      );
    }
    return token;
  }

  /**
   * One HTTP exchange under the per-request timeout. For streams the timer stops once the
   * connection is established: Argo CD's gateway sends a watch's headers only with its first
   * event, so on a quiet instance an incremental watch (from a resourceVersion) may wait for
   * its headers as long as nothing changes, and must not be cut and re-listed for that.
   * Otherwise the timer covers the headers and reading the body.
   */
  async #send(
    request: ArgoCdRequest,
    token: string | undefined,
    options: { stream?: boolean } = {},
  ): Promise<OpenHttpResponse> {
    const url = new URL(this.#baseUrl.toString());
    url.pathname = `${this.#pathPrefix}${request.path}`;
    const search = request.query?.toString();
    url.search = search ? `?${search}` : '';

    const headers: Record<string, string> = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (request.method !== 'GET') {
      // Argo CD compares the whole header: a charset suffix already gets 415.
      headers['Content-Type'] = 'application/json';
      body =
        request.body === undefined ? undefined : JSON.stringify(request.body);
    }

    const timeoutMs = request.timeoutMs ?? this.#timeoutMs;
    const timer = new AbortController();
    const handle = setTimeout(
      () => timer.abort(new RequestTimeout(timeoutMs)),
      timeoutMs,
    );
    const signal = request.signal
      ? AbortSignal.any([request.signal, timer.signal])
      : timer.signal;

    let opened: OpenHttpResponse;
    try {
      opened = await openHttpRequest({
        url,
        method: request.method,
        headers,
        body,
        agent: this.#agent,
        signal,
        onConnected: options.stream ? () => clearTimeout(handle) : undefined,
      });
    } catch (error) {
      clearTimeout(handle);
      throw this.#transportError(error, request.signal);
    }
    if (options.stream) {
      clearTimeout(handle);
      return opened;
    }
    return {
      response: opened.response,
      close: () => {
        clearTimeout(handle);
        opened.close();
      },
      text: async () => {
        try {
          return await opened.text();
        } catch (error) {
          throw this.#transportError(error, request.signal);
        } finally {
          clearTimeout(handle);
        }
      },
    };
  }

  #transportError(error: unknown, callerSignal?: AbortSignal): unknown {
    if (error instanceof RequestTimeout) {
      return new ServiceUnavailableError(
        `Argo CD ${this.instance.name} timed out after ${error.timeoutMs} ms`,
      );
    }
    if (callerSignal?.aborted) return callerSignal.reason;
    const code = (error as { code?: unknown })?.code;
    const detail =
      typeof code === 'string'
        ? code
        : (error as Error)?.message ?? String(error);
    return new ServiceUnavailableError(
      `Argo CD ${this.instance.name} is unreachable: ${sanitizeUpstreamText(
        detail,
        this.#secrets(),
      )}`,
    );
  }

  async *#watch(
    params: URLSearchParams,
    query: WatchApplicationsQuery,
  ): AsyncGenerator<ApplicationWatchEvent> {
    const { signal } = query;
    let opened: OpenHttpResponse;
    try {
      opened = await this.#open(
        {
          method: 'GET',
          path: apiPath('api', 'v1', 'stream', 'applications'),
          query: params,
          tenant: query.tenant,
          signal,
        },
        { stream: true },
      );
    } catch (error) {
      if (signal?.aborted) return;
      throw error;
    }
    const name = this.instance.name;
    try {
      for await (const line of readNdjsonLines(opened.response)) {
        let message: {
          result?: ApplicationWatchEvent;
          error?: ArgoCdStreamError;
        };
        try {
          message = JSON.parse(line.text);
        } catch {
          throw new ServiceUnavailableError(
            line.terminated
              ? `Argo CD ${name}: the application stream sent an unreadable line`
              : `Argo CD ${name}: the application stream was cut mid-message`,
          );
        }
        if (message?.error) {
          const { http_code: httpCode, message: text } = message.error;
          throw errorForStatus(
            typeof httpCode === 'number' ? httpCode : 500,
            `Argo CD ${name}: ${sanitizeUpstreamText(
              String(text ?? ''),
              this.#secrets(),
            )}`,
          );
        }
        if (message?.result?.type && message.result.application) {
          yield {
            type: message.result.type,
            application: message.result.application,
          };
        }
      }
    } catch (error) {
      if (signal?.aborted) return;
      if (isMappedError(error)) throw error;
      throw new ServiceUnavailableError(
        `Argo CD ${name}: the application stream broke: ${redactSecrets(
          (error as Error)?.message ?? String(error),
          this.#secrets(),
        )}`,
      );
    } finally {
      opened.close();
    }
  }
}

/** Errors this client already mapped; anything else from the socket is a broken stream. */
function isMappedError(error: unknown): boolean {
  return [
    InputError,
    AuthenticationError,
    NotAllowedError,
    NotFoundError,
    ConflictError,
    ServiceUnavailableError,
  ].some(type => error instanceof type);
}
