import { randomUUID } from 'node:crypto';
import { isAutoSync } from '@kupe/plugin-gitops-common';
import type {
  AppProject,
  Application,
  ApplicationRollbackRequest,
  ApplicationSyncRequest,
  Cluster,
  KubernetesEvent,
  Operation,
  SyncWindow,
  WatchEventType,
} from '@kupe/plugin-gitops-node';
import type { AppKey, ArgoCdFakeController } from './controller';
import {
  ArgoCdApiError,
  GrpcCode,
  applicationNotFound,
  jsonResponse,
  permissionDenied,
  projectNotFound,
  textResponse,
} from './errors';
import { LabelSelector } from './labelSelector';
import {
  type ApplicationPatchRequest,
  patchApplicationObject,
} from './applicationPatch';
import { parseFields, projectApplication } from './listFields';
import {
  isDestinationPermitted,
  isSourceRepoPermitted,
} from '@kupe/plugin-gitops-node';
import { CONTROL_PLANE_NAMESPACE, appRbacObject, enforce } from './rbac';
import { SimpleController } from './SimpleController';
import { type AppSetAccess, FakeApplicationSets } from './applicationSets';
import {
  ResourceRoutes,
  resourceQueryOf,
  runRequestOfBody,
} from './resourceRoutes';
import { chartSourceOf } from './chartSource';
import {
  canSyncNow,
  isSyncWindowActive,
  matchSyncWindows,
} from '@kupe/plugin-gitops-node';
import { StreamFraming } from './streams';
import { podLogsResponse } from './podLogs';
import { resourceEventList } from './resourceEvents';
import {
  type BufferedEvent,
  DEFAULT_WATCH_BUFFER_SIZE,
  WatchBuffer,
} from './watchBuffer';
import { ReconcileClock, type ReconcileClockOptions } from './reconcileClock';
import {
  isNamespaceEnabled,
  matchesNamespaceList,
} from './applicationNamespaces';
import {
  ARGOCD_FAKE_ADMIN_TOKEN,
  FakeTokenClaims,
  looksLikeJwt,
  makeFakeJwt,
  newClaims,
  parseProjectRoleSubject,
} from './tokens';

/**
 * One request the fake received, for "was Argo CD called?" assertions.
 *
 * @public
 */
export interface FakeRequestRecord {
  method: string;
  path: string;
  /** Raw query string without the leading `?`. */
  search: string;
  query: URLSearchParams;
  /** Subject of the bearer token, when it was valid. */
  subject?: string;
}

/**
 * Options of an `ArgoCdFake`: its controller, latency, admin password, clock and watch buffer.
 *
 * @public
 */
export interface ArgoCdFakeOptions {
  /** Runs operations and reconciles; default a {@link SimpleController}. */
  controller?: ArgoCdFakeController;
  /** Delay before every response, for benchmarks and timeout tests. */
  latencyMs?: number;
  /** Password of the local `admin` account for `POST /api/v1/session`. */
  adminPassword?: string;
  now?: () => Date;
  /**
   * Events each watch stream may have waiting (`ARGOCD_WATCH_API_BUFFER_SIZE`, default
   * 1000); what arrives while it is full is dropped, as Argo CD's broadcaster does.
   */
  watchBufferSize?: number;
  /**
   * The controller's periodic refresh that rewrites every app's `status.reconciledAt` (Argo CD:
   * 120 s + up to 60 s jitter). Off unless given.
   */
  reconcile?: ReconcileClockOptions;
  /**
   * `application.namespaces`: namespaces (globs or `/regex/`) besides `argocd` whose
   * Applications the server serves. Default none, as Argo CD's.
   */
  applicationNamespaces?: string[];
  /** Create the built-in `default` AppProject, as argocd-server does on start (default true). */
  defaultProject?: boolean;
}

interface RouteContext {
  request: Request;
  url: URL;
  params: string[];
  claims?: FakeTokenClaims;
}

interface Route {
  method: string;
  pattern: RegExp;
  /** Session and version endpoints answer without a token (`AuthFuncOverride`). */
  anonymous?: boolean;
  handler: (ctx: RouteContext) => Promise<Response> | Response;
}

interface Watcher {
  buffer: WatchBuffer;
  fail: (error: ArgoCdApiError) => void;
  close: () => void;
}

interface AppQuery {
  project?: string;
  appNamespace?: string;
}

const SHA = /^[0-9a-fA-F]{7,40}$/;
const VERSION = {
  Version: 'v3.5.1+109ca7c',
  BuildDate: '2026-08-12T10:21:47Z',
  GitCommit: '109ca7ca71139e514114499d294a492e7910a965',
  GitTag: 'v3.5.1',
  GitTreeState: 'clean',
  GoVersion: 'go1.25.0',
  Compiler: 'gc',
  Platform: 'linux/amd64',
  KustomizeVersion: 'v5.7.0',
  HelmVersion: 'v3.18.4',
  KubectlVersion: 'v0.34.0',
};

function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Go's omitempty: an empty list is not written. */
const nonEmpty = <T>(list: T[] | undefined): T[] | undefined =>
  list?.length ? list : undefined;

/** The user name Argo CD reports for a subject (`admin:login` is user `admin`). */
function usernameOf(sub: string): string {
  return sub.endsWith(':login') ? sub.slice(0, -':login'.length) : sub;
}

/**
 * An in-memory Argo CD v3.5.1 API server: the routes, status codes, error bodies, RBAC and
 * stream framing of the real one (see API-NOTES), over a store of Applications, AppProjects
 * and Clusters. Reconciliation is delegated to an {@link ArgoCdFakeController}.
 *
 * Stored objects are never mutated in place: every change replaces the object, so a
 * response or event serialised earlier cannot change afterwards.
 *
 * @public
 */
export class ArgoCdFake {
  /** The admin token (subject `admin`) every fake accepts. */
  static readonly adminToken = ARGOCD_FAKE_ADMIN_TOKEN;

  readonly requests: FakeRequestRecord[] = [];
  latencyMs: number;
  readonly controller: ArgoCdFakeController;
  /** The ApplicationSets it serves (`/api/v1/applicationsets`). */
  readonly applicationSets: FakeApplicationSets;

  readonly #apps = new Map<string, Application>();
  readonly #projects = new Map<string, AppProject>();
  readonly #clusters = new Map<string, Cluster>();
  readonly #tokens = new Map<string, FakeTokenClaims>();
  readonly #events = new Map<string, KubernetesEvent[]>();
  readonly #watchers = new Set<Watcher>();
  readonly #routes: Route[];
  readonly #adminPassword: string;
  readonly #now: () => Date;
  readonly #watchBufferSize: number;
  readonly #applicationNamespaces: readonly string[];
  #droppedWatchEvents = 0;
  #resourceVersion = 1000;
  /** The periodic refresh, when `reconcile` was given; `reconcileDue()` runs it by hand. */
  readonly reconciler?: ReconcileClock;

  constructor(options: ArgoCdFakeOptions = {}) {
    this.latencyMs = options.latencyMs ?? 0;
    this.#adminPassword = options.adminPassword ?? 'password';
    this.#now = options.now ?? (() => new Date());
    this.#tokens.set(ARGOCD_FAKE_ADMIN_TOKEN, {
      sub: 'admin',
      iat: 1767225600,
      jti: 'kupe-fake-admin',
    });
    this.#watchBufferSize =
      options.watchBufferSize ?? DEFAULT_WATCH_BUFFER_SIZE;
    this.#applicationNamespaces = [...(options.applicationNamespaces ?? [])];
    this.#routes = this.#buildRoutes();
    this.applicationSets = new FakeApplicationSets(() => this.timestamp());
    if (options.defaultProject !== false) {
      // `initializeDefaultProject` (server/server.go): everything allowed, no roles.
      this.putProject({
        metadata: { name: 'default' },
        spec: {
          sourceRepos: ['*'],
          destinations: [{ server: '*', namespace: '*' }],
          clusterResourceWhitelist: [{ group: '*', kind: '*' }],
        },
      });
    }
    this.controller = options.controller ?? new SimpleController();
    this.controller.attach(this);
    if (options.reconcile) {
      this.reconciler = new ReconcileClock(
        {
          nowMs: () => this.#now().getTime(),
          applications: () => this.#apps.values(),
          stampReconciled: key =>
            this.updateApplication(key, a => {
              a.status = { ...a.status, reconciledAt: this.timestamp() };
            }),
        },
        options.reconcile,
      );
      this.reconciler.start();
    }
  }

  /** Watch events dropped so far because a stream's buffer was full. */
  get droppedWatchEvents(): number {
    return this.#droppedWatchEvents;
  }

  /** Whether the server serves Applications of this namespace (`application.namespaces`). */
  isNamespaceEnabled(namespace: string): boolean {
    return isNamespaceEnabled(
      namespace,
      CONTROL_PLANE_NAMESPACE,
      this.#applicationNamespaces,
    );
  }

  /** Current time as RFC3339 without fractions, as Kubernetes writes it. */
  timestamp(): string {
    return `${this.#now().toISOString().slice(0, 19)}Z`;
  }

  // ------------------------------------------------------------------ tokens

  /** Issues a token for `admin` or a project role `proj:<project>:<role>`. */
  issueToken(subject: string, iat?: number): string {
    const claims = newClaims(subject, iat);
    const token = makeFakeJwt(claims);
    this.#tokens.set(token, claims);
    return token;
  }

  revokeToken(token: string): void {
    this.#tokens.delete(token);
  }

  // ------------------------------------------------------------------ state

  putProject(project: AppProject): void {
    const name = project.metadata.name;
    if (!name) throw new Error('project needs metadata.name');
    this.#projects.set(name, {
      ...project,
      metadata: {
        namespace: CONTROL_PLANE_NAMESPACE,
        uid: randomUUID(),
        creationTimestamp: this.timestamp(),
        ...project.metadata,
        resourceVersion: this.#nextResourceVersion(),
      },
    });
  }

  getProject(name: string): AppProject | undefined {
    return this.#projects.get(name);
  }

  listProjects(): AppProject[] {
    return [...this.#projects.values()].sort((a, b) =>
      (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
    );
  }

  putCluster(cluster: Cluster): void {
    const connectionState = cluster.connectionState ??
      cluster.info?.connectionState ?? {
        status: 'Successful',
        attemptedAt: this.timestamp(),
      };
    const serverVersion =
      cluster.serverVersion ?? cluster.info?.serverVersion ?? '1.33';
    this.#clusters.set(cluster.server, {
      ...cluster,
      config: { tlsClientConfig: { insecure: false }, ...cluster.config },
      info: {
        applicationsCount: 0,
        ...cluster.info,
        connectionState,
        serverVersion,
      },
      connectionState,
      serverVersion,
    });
  }

  listClusters(): Cluster[] {
    return [...this.#clusters.values()];
  }

  findClusterByName(name: string): Cluster | undefined {
    return this.listClusters().find(c => c.name === name);
  }

  /** Adds or replaces an Application; watchers see ADDED or MODIFIED. */
  putApplication(app: Application): Application {
    const namespace = app.metadata.namespace || CONTROL_PLANE_NAMESPACE;
    const name = app.metadata.name;
    if (!name) throw new Error('application needs metadata.name');
    const previous = this.#apps.get(keyOf(namespace, name));
    const stored: Application = {
      ...app,
      metadata: {
        uid: previous?.metadata.uid ?? randomUUID(),
        creationTimestamp:
          previous?.metadata.creationTimestamp ?? this.timestamp(),
        generation: 1,
        ...app.metadata,
        namespace,
        resourceVersion: this.#nextResourceVersion(),
      },
    };
    this.#apps.set(keyOf(namespace, name), stored);
    this.#emit(previous ? 'MODIFIED' : 'ADDED', stored);
    return stored;
  }

  getApplication(
    name: string,
    namespace = CONTROL_PLANE_NAMESPACE,
  ): Application | undefined {
    return this.#apps.get(keyOf(namespace, name));
  }

  /** All applications, sorted by name (treat them as read-only). */
  listApplications(): Application[] {
    return [...this.#apps.values()].sort((a, b) =>
      (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
    );
  }

  /**
   * Changes an Application through a copy and emits MODIFIED. Returns undefined when the app
   * is gone (a controller timer may outlive a delete).
   */
  updateApplication(
    key: AppKey | string,
    mutate: (app: Application) => void,
  ): Application | undefined {
    const { name, namespace } =
      typeof key === 'string'
        ? { name: key, namespace: CONTROL_PLANE_NAMESPACE }
        : key;
    const current = this.#apps.get(keyOf(namespace, name));
    if (!current) return undefined;
    const next = structuredClone(current);
    mutate(next);
    // Like the Kubernetes API, a no-op update keeps the resourceVersion and notifies nobody.
    if (JSON.stringify(next) === JSON.stringify(current)) return current;
    next.metadata.resourceVersion = this.#nextResourceVersion();
    this.#apps.set(keyOf(namespace, name), next);
    this.#emit('MODIFIED', next);
    return next;
  }

  /** Removes an Application; watchers see DELETED. */
  removeApplication(key: AppKey | string): void {
    const { name, namespace } =
      typeof key === 'string'
        ? { name: key, namespace: CONTROL_PLANE_NAMESPACE }
        : key;
    const current = this.#apps.get(keyOf(namespace, name));
    if (!current) return;
    this.#apps.delete(keyOf(namespace, name));
    this.#events.delete(keyOf(namespace, name));
    this.#emit('DELETED', current);
  }

  /** Records a Kubernetes Event on an Application (what `.../events` returns). */
  recordEvent(
    key: AppKey,
    event: { reason: string; message: string; type?: 'Normal' | 'Warning' },
  ): void {
    const app = this.#apps.get(keyOf(key.namespace, key.name));
    if (!app) return;
    const now = this.timestamp();
    const list = this.#events.get(keyOf(key.namespace, key.name)) ?? [];
    list.push({
      metadata: {
        name: `${key.name}.${Date.now().toString(16)}${list.length}`,
        namespace: key.namespace,
        uid: randomUUID(),
        resourceVersion: this.#nextResourceVersion(),
        creationTimestamp: now,
      },
      involvedObject: {
        kind: 'Application',
        namespace: key.namespace,
        name: key.name,
        uid: app.metadata.uid,
        apiVersion: 'argoproj.io/v1alpha1',
      },
      reason: event.reason,
      message: event.message,
      type: event.type ?? 'Normal',
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: 'argocd-application-controller' },
      reportingComponent: 'argocd-application-controller',
    });
    this.#events.set(keyOf(key.namespace, key.name), list.slice(-100));
  }

  /**
   * Whether the project's sync windows let a sync of `app` run now (`CanSync`), for a
   * controller: automated syncs ask with `manual: false` and, like Argo CD's controller, an
   * invalid window counts as blocking.
   */
  syncWindowsAllow(app: Application, options: { manual: boolean }): boolean {
    try {
      return canSyncNow(this.#windowsOf(app), {
        manual: options.manual,
        now: this.#now(),
      });
    } catch {
      return false;
    }
  }

  /** Ends every open watch stream with an error line, as a server-side failure would. */
  failStreams(code: number, message: string): void {
    const error = new ArgoCdApiError(code, message);
    for (const watcher of [...this.#watchers]) watcher.fail(error);
  }

  /** Number of open watch streams (to assert that clients close theirs). */
  get openStreams(): number {
    return this.#watchers.size;
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  /** Closes streams and stops the controller. */
  close(): void {
    for (const watcher of [...this.#watchers]) watcher.close();
    this.reconciler?.stop();
    this.controller.stop();
  }

  // ------------------------------------------------------------------ HTTP

  /** Answers one request as Argo CD v3.5.1 would. */
  async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const record: FakeRequestRecord = {
      method: request.method,
      path: url.pathname,
      search: url.search.replace(/^\?/, ''),
      query: url.searchParams,
    };
    this.requests.push(record);
    if (this.latencyMs > 0) await sleep(this.latencyMs, request.signal);
    try {
      // The content-type check wraps the whole gateway, so it runs before routing and auth.
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        const contentType = request.headers.get('content-type')?.toLowerCase();
        if (contentType !== 'application/json') {
          return textResponse('Invalid content type', 415);
        }
      }
      const route = this.#routes.find(
        r => r.method === request.method && r.pattern.test(url.pathname),
      );
      if (!route) return textResponse('Not Found', 404);
      const params = (route.pattern.exec(url.pathname) ?? [])
        .slice(1)
        .map(p => decodeURIComponent(p));
      const claims = this.#authenticate(request, route.anonymous === true);
      record.subject = claims?.sub;
      return await route.handler({ request, url, params, claims });
    } catch (error) {
      if (error instanceof ArgoCdApiError) return error.toResponse();
      return new ArgoCdApiError(GrpcCode.Internal, String(error)).toResponse();
    }
  }

  #authenticate(
    request: Request,
    anonymous: boolean,
  ): FakeTokenClaims | undefined {
    const header = request.headers.get('authorization') ?? '';
    const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    const cookie = /(?:^|;\s*)argocd\.token=([^;]+)/.exec(
      request.headers.get('cookie') ?? '',
    )?.[1];
    const token = bearer && looksLikeJwt(bearer) ? bearer : cookie;
    if (!token || !looksLikeJwt(token)) {
      if (anonymous) return undefined;
      throw new ArgoCdApiError(
        GrpcCode.Unauthenticated,
        'no session information',
      );
    }
    const claims = this.#tokens.get(token);
    if (!claims) {
      if (anonymous) return undefined;
      throw new ArgoCdApiError(
        GrpcCode.Unauthenticated,
        'invalid session: token signature is invalid: signature is invalid',
      );
    }
    const role = parseProjectRoleSubject(claims.sub);
    if (role) {
      const exists = this.#projects
        .get(role.project)
        ?.spec.roles?.some(r => r.name === role.role);
      if (!exists && !anonymous) {
        throw new ArgoCdApiError(
          GrpcCode.Unauthenticated,
          `invalid session: JWT token for role '${role.role}' issued at '${claims.iat}' does not exist in project '${role.project}'`,
        );
      }
    }
    return claims;
  }

  #claims(ctx: RouteContext): FakeTokenClaims {
    if (!ctx.claims)
      throw new ArgoCdApiError(
        GrpcCode.Unauthenticated,
        'no session information',
      );
    return ctx.claims;
  }

  #can(
    claims: FakeTokenClaims,
    resource: string,
    action: string,
    object: string,
  ): boolean {
    return enforce(
      usernameOf(claims.sub),
      resource,
      action,
      object,
      this.#projects,
    );
  }

  /** `EnforceErr`: a 403 naming what was refused, used after the existence check. */
  #enforceDetailed(
    claims: FakeTokenClaims,
    resource: string,
    action: string,
    object: string,
  ) {
    if (!this.#can(claims, resource, action, object)) {
      const iat = new Date(claims.iat * 1000)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z');
      throw new ArgoCdApiError(
        GrpcCode.PermissionDenied,
        `permission denied: ${resource}, ${action}, ${object}, sub: ${claims.sub}, iat: ${iat}`,
      );
    }
  }

  #appSetAccess(ctx: RouteContext): AppSetAccess {
    const claims = this.#claims(ctx);
    return {
      canGet: object => this.#can(claims, 'applicationsets', 'get', object),
      enforceGet: object =>
        this.#enforceDetailed(claims, 'applicationsets', 'get', object),
      isNamespaceEnabled: ns => this.isNamespaceEnabled(ns),
    };
  }

  /**
   * `getAppEnforceRBAC`: without `project`, a missing and a forbidden app look the same
   * (403); with `project`, an app that is missing or lives in another project is 404.
   */
  #lookupApp(
    claims: FakeTokenClaims,
    name: string,
    query: AppQuery,
    action = 'get',
  ): Application {
    const namespace = query.appNamespace || CONTROL_PLANE_NAMESPACE;
    // `getApplicationEnforceRBACInformer`: a namespace the server does not serve fails the
    // lookup, and every failed lookup is the same opaque 403.
    const app = this.isNamespaceEnabled(namespace)
      ? this.#apps.get(keyOf(namespace, name))
      : undefined;
    if (!query.project) {
      if (!app) throw permissionDenied();
      if (
        !this.#can(
          claims,
          'applications',
          action,
          appRbacObject(app.spec.project, namespace, name),
        )
      ) {
        throw permissionDenied();
      }
      return app;
    }
    if (
      !this.#can(
        claims,
        'applications',
        action,
        appRbacObject(query.project, namespace, name),
      )
    ) {
      throw permissionDenied();
    }
    if (!this.isNamespaceEnabled(namespace)) throw permissionDenied();
    if (!app || app.spec.project !== query.project)
      throw applicationNotFound(name);
    if (
      !this.#can(
        claims,
        'applications',
        action,
        appRbacObject(app.spec.project, namespace, name),
      )
    ) {
      throw applicationNotFound(name);
    }
    return app;
  }

  #appQuery(url: URL): AppQuery {
    const projects = url.searchParams.getAll('project');
    if (projects.length > 1) {
      throw new ArgoCdApiError(
        GrpcCode.InvalidArgument,
        'project param must have at most one value',
      );
    }
    return {
      project: projects[0] || undefined,
      appNamespace: url.searchParams.get('appNamespace') || undefined,
    };
  }

  async #body<T>(request: Request): Promise<Partial<T>> {
    const text = await request.text();
    if (!text.trim()) return {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (
        typeof parsed !== 'object' ||
        parsed === null ||
        Array.isArray(parsed)
      ) {
        throw new Error('not an object');
      }
      return parsed as Partial<T>;
    } catch (e) {
      throw new ArgoCdApiError(
        GrpcCode.InvalidArgument,
        `invalid request body: ${String(e)}`,
      );
    }
  }

  #nextResourceVersion(): string {
    this.#resourceVersion += 1;
    return String(this.#resourceVersion);
  }

  #rbacObjectOf(app: Application): string {
    return appRbacObject(
      app.spec.project,
      app.metadata.namespace ?? CONTROL_PLANE_NAMESPACE,
      app.metadata.name ?? '',
    );
  }

  /** The List/Watch query filter (`projects`/`project`, `selector`, `name`, `repo`, `appNamespace`). */
  #listFilter(
    url: URL,
    claims: FakeTokenClaims,
  ): (app: Application) => boolean {
    const q = url.searchParams;
    const projects = new Set(
      [...q.getAll('projects'), ...q.getAll('project')].filter(Boolean),
    );
    const selectorText = q.get('selector');
    const selector = selectorText
      ? LabelSelector.parse(selectorText)
      : undefined;
    const name = q.get('name') || undefined;
    const repo =
      q
        .get('repo')
        ?.toLowerCase()
        .replace(/\.git$/, '') || undefined;
    const appNamespace = q.get('appNamespace') || undefined;
    return app =>
      // List and Watch skip apps outside the served namespaces silently.
      this.isNamespaceEnabled(
        app.metadata.namespace ?? CONTROL_PLANE_NAMESPACE,
      ) &&
      (projects.size === 0 || projects.has(app.spec.project)) &&
      (!name || app.metadata.name === name) &&
      (!appNamespace || app.metadata.namespace === appNamespace) &&
      (!repo ||
        [app.spec.source, ...(app.spec.sources ?? [])].some(
          s => s?.repoURL.toLowerCase().replace(/\.git$/, '') === repo,
        )) &&
      (!selector || selector.matches(app.metadata.labels)) &&
      this.#can(claims, 'applications', 'get', this.#rbacObjectOf(app));
  }

  /** `broadcast.Handler.notify`: every subscriber is offered every event, unfiltered. */
  #emit(type: WatchEventType, app: Application): void {
    for (const watcher of this.#watchers) {
      if (!watcher.buffer.offer({ type, application: app }))
        this.#droppedWatchEvents += 1;
    }
  }

  // ------------------------------------------------------------------ routes

  #buildRoutes(): Route[] {
    const seg = '([^/]+)';
    const route = (
      method: string,
      path: string,
      handler: Route['handler'],
      anonymous = false,
    ): Route => ({
      method,
      pattern: new RegExp(`^${path}/?$`),
      handler,
      anonymous,
    });
    return [
      route('POST', '/api/v1/session', ctx => this.#createSession(ctx), true),
      route('DELETE', '/api/v1/session', () => jsonResponse({}), true),
      route(
        'GET',
        '/api/v1/session/userinfo',
        ctx => this.#userInfo(ctx),
        true,
      ),
      route('GET', '/api/version', () => jsonResponse(VERSION), true),
      route('GET', `/api/v1/account/can-i/${seg}/${seg}/(.+)`, ctx =>
        this.#canI(ctx),
      ),
      route('GET', '/api/v1/applications', ctx => this.#listApplications(ctx)),
      route('POST', '/api/v1/applications', ctx =>
        this.#createApplication(ctx),
      ),
      route('GET', `/api/v1/applications/${seg}`, ctx =>
        this.#getApplication(ctx),
      ),
      route('DELETE', `/api/v1/applications/${seg}`, ctx =>
        this.#deleteApplication(ctx),
      ),
      route('GET', `/api/v1/applications/${seg}/resource-tree`, ctx =>
        this.#resourceTree(ctx),
      ),
      route('GET', `/api/v1/applications/${seg}/managed-resources`, ctx =>
        this.#managedResources(ctx),
      ),
      route('GET', `/api/v1/applications/${seg}/resource`, ctx =>
        this.#resourceRoutes(ctx).getResource(
          resourceQueryOf(ctx.params[0], ctx.url),
        ),
      ),
      route('GET', `/api/v1/applications/${seg}/resource/actions`, ctx =>
        this.#resourceRoutes(ctx).listActions(
          resourceQueryOf(ctx.params[0], ctx.url),
        ),
      ),
      route('POST', `/api/v1/applications/${seg}/resource/actions`, ctx =>
        this.#runResourceActionV1(ctx),
      ),
      route('POST', `/api/v1/applications/${seg}/resource/actions/v2`, ctx =>
        this.#runResourceActionV2(ctx),
      ),
      route(
        'GET',
        `/api/v1/applications/${seg}/revisions/${seg}/metadata`,
        ctx => this.#revisionMetadata(ctx),
      ),
      route(
        'GET',
        `/api/v1/applications/${seg}/revisions/${seg}/chartdetails`,
        ctx => this.#chartDetails(ctx),
      ),
      route('GET', `/api/v1/applications/${seg}/events`, ctx =>
        this.#listEvents(ctx),
      ),
      route('GET', `/api/v1/applications/${seg}/logs`, ctx =>
        podLogsResponse({
          request: ctx.request,
          url: ctx.url,
          nowMs: () => this.#now().getTime(),
          authorize: () => {
            const claims = this.#claims(ctx);
            const app = this.#lookupApp(
              claims,
              ctx.params[0],
              this.#appQuery(ctx.url),
            );
            this.#enforceDetailed(
              claims,
              'logs',
              'get',
              this.#rbacObjectOf(app),
            );
            return {
              tree: this.controller.resourceTree(app),
              managed: this.controller.managedResources(app),
            };
          },
        }),
      ),
      route('GET', `/api/v1/applications/${seg}/syncwindows`, ctx =>
        this.#syncWindows(ctx),
      ),
      route('POST', `/api/v1/applications/${seg}/sync`, ctx => this.#sync(ctx)),
      route('POST', `/api/v1/applications/${seg}/rollback`, ctx =>
        this.#rollback(ctx),
      ),
      route('DELETE', `/api/v1/applications/${seg}/operation`, ctx =>
        this.#terminate(ctx),
      ),
      route('PATCH', `/api/v1/applications/${seg}`, ctx => this.#patch(ctx)),
      route('GET', '/api/v1/stream/applications', ctx => this.#watch(ctx)),
      route('GET', '/api/v1/applicationsets', ctx =>
        this.applicationSets.listRoute(ctx.url, this.#appSetAccess(ctx)),
      ),
      route('GET', `/api/v1/applicationsets/${seg}`, ctx =>
        this.applicationSets.getRoute(
          ctx.params[0],
          ctx.url,
          this.#appSetAccess(ctx),
        ),
      ),
      route('GET', '/api/v1/projects', ctx => this.#listProjectsRoute(ctx)),
      route('GET', `/api/v1/projects/${seg}`, ctx =>
        this.#getProjectRoute(ctx, false),
      ),
      route('GET', `/api/v1/projects/${seg}/detailed`, ctx =>
        this.#getProjectRoute(ctx, true),
      ),
      route('GET', '/api/v1/clusters', ctx => this.#listClustersRoute(ctx)),
    ];
  }

  async #createSession(ctx: RouteContext): Promise<Response> {
    const body = await this.#body<{
      username: string;
      password: string;
      token: string;
    }>(ctx.request);
    if (body.token) {
      throw new ArgoCdApiError(
        GrpcCode.Unauthenticated,
        'token-based session creation is not supported',
      );
    }
    if (!body.username || !body.password) {
      throw new ArgoCdApiError(
        GrpcCode.Unauthenticated,
        'no credentials supplied',
      );
    }
    if (body.username !== 'admin' || body.password !== this.#adminPassword) {
      throw new ArgoCdApiError(
        GrpcCode.Unauthenticated,
        'Invalid username or password',
      );
    }
    const token = this.issueToken(`${body.username}:login`);
    const response = jsonResponse({ token });
    response.headers.set(
      'set-cookie',
      `argocd.token=${token}; path=/; SameSite=lax; httpOnly`,
    );
    return response;
  }

  #userInfo(ctx: RouteContext): Response {
    if (!ctx.claims) return jsonResponse({});
    return jsonResponse({
      loggedIn: true,
      username: usernameOf(ctx.claims.sub),
      iss: 'argocd',
    });
  }

  #canI(ctx: RouteContext): Response {
    const [resource, action, object] = ctx.params;
    return jsonResponse({
      value: this.#can(this.#claims(ctx), resource, action, object)
        ? 'yes'
        : 'no',
    });
  }

  #listApplications(ctx: RouteContext): Response {
    const claims = this.#claims(ctx);
    const filter = this.#listFilter(ctx.url, claims);
    const items = this.listApplications().filter(filter);
    const metadata = { resourceVersion: String(this.#resourceVersion) };
    const fields = parseFields(ctx.url.searchParams.get('fields'));
    if (!fields) return jsonResponse({ metadata, items });
    // Go's nil slice: with `fields` and no match the list is `null`, not `[]`.
    const projected = items.length
      ? items.map(app => projectApplication(app, fields))
      : null;
    return jsonResponse({ metadata, items: projected });
  }

  async #getApplication(ctx: RouteContext): Promise<Response> {
    const claims = this.#claims(ctx);
    const query = this.#appQuery(ctx.url);
    const app = this.#lookupApp(claims, ctx.params[0], query);
    const refresh = ctx.url.searchParams.get('refresh');
    if (!refresh) return jsonResponse(app);
    const key = {
      name: ctx.params[0],
      namespace: app.metadata.namespace ?? CONTROL_PLANE_NAMESPACE,
    };
    this.updateApplication(key, a => {
      a.metadata.annotations = {
        ...a.metadata.annotations,
        'argocd.argoproj.io/refresh': refresh === 'hard' ? 'hard' : 'normal',
      };
    });
    await this.controller.refresh(key, refresh === 'hard');
    const refreshed = this.updateApplication(key, a => {
      delete a.metadata.annotations?.['argocd.argoproj.io/refresh'];
    });
    return jsonResponse(refreshed ?? app);
  }

  #resourceTree(ctx: RouteContext): Response {
    const app = this.#lookupApp(
      this.#claims(ctx),
      ctx.params[0],
      this.#appQuery(ctx.url),
    );
    const tree = this.controller.resourceTree(app);
    const q = ctx.url.searchParams;
    const filters = ['namespace', 'name', 'version', 'group', 'kind'] as const;
    if (filters.some(f => q.get(f))) {
      tree.nodes = tree.nodes?.filter(n =>
        filters.every(f => !q.get(f) || n[f] === q.get(f)),
      );
    }
    return jsonResponse(tree);
  }

  /** See {@link ResourceRoutes}; claims are read per request, like every other route. */
  #resourceRoutes(ctx: RouteContext): ResourceRoutes {
    return new ResourceRoutes({
      controller: this.controller,
      lookupApp: (query, action) =>
        this.#lookupApp(this.#claims(ctx), query.name, query, action),
      recordEvent: (app, reason, message) =>
        this.recordEvent(this.#keyOfApp(app), { reason, message }),
      now: () => this.#now(),
    });
  }

  async #runResourceActionV1(ctx: RouteContext): Promise<Response> {
    // The deprecated v1 body is the action name as a JSON string.
    let action: unknown;
    try {
      action = JSON.parse(await ctx.request.text());
    } catch (e) {
      throw new ArgoCdApiError(
        GrpcCode.InvalidArgument,
        `invalid request body: ${String(e)}`,
      );
    }
    return this.#resourceRoutes(ctx).runAction(
      resourceQueryOf(ctx.params[0], ctx.url),
      typeof action === 'string' ? action : '',
    );
  }

  async #runResourceActionV2(ctx: RouteContext): Promise<Response> {
    const body = await this.#body<Record<string, unknown>>(ctx.request);
    const { query, action } = runRequestOfBody(ctx.params[0], body);
    return this.#resourceRoutes(ctx).runAction(query, action);
  }

  #managedResources(ctx: RouteContext): Response {
    const app = this.#lookupApp(
      this.#claims(ctx),
      ctx.params[0],
      this.#appQuery(ctx.url),
    );
    const response = this.controller.managedResources(app);
    return jsonResponse(response.items?.length ? response : {});
  }

  async #revisionMetadata(ctx: RouteContext): Promise<Response> {
    const [name, revision] = ctx.params;
    const app = this.#lookupApp(
      this.#claims(ctx),
      name,
      this.#appQuery(ctx.url),
    );
    if (!SHA.test(revision)) {
      throw new ArgoCdApiError(
        GrpcCode.Unknown,
        `revision ${revision} must be resolved`,
      );
    }
    const metadata = await this.controller.revisionMetadata(app, revision);
    if (!metadata) {
      throw new ArgoCdApiError(
        GrpcCode.Unknown,
        `failed to get revision metadata: unable to resolve '${revision}' to a commit SHA`,
      );
    }
    return jsonResponse(metadata);
  }

  async #chartDetails(ctx: RouteContext): Promise<Response> {
    const [name, revision] = ctx.params;
    const app = this.#lookupApp(
      this.#claims(ctx),
      name,
      this.#appQuery(ctx.url),
    );
    const source = chartSourceOf(app, ctx.url.searchParams);
    const details = await this.controller.chartDetails(source, revision);
    if (!details) {
      throw new ArgoCdApiError(
        GrpcCode.Unknown,
        `error extracting chart: failed to get chart ${source.chart} version ${revision} from ${source.repoURL}: not found`,
      );
    }
    return jsonResponse(details);
  }

  #listEvents(ctx: RouteContext): Response {
    const app = this.#lookupApp(
      this.#claims(ctx),
      ctx.params[0],
      this.#appQuery(ctx.url),
    );
    const q = ctx.url.searchParams;
    if (q.get('resourceName') || q.get('resourceUID')) {
      return jsonResponse(
        resourceEventList(
          ctx.params[0],
          this.controller.resourceTree(app),
          q,
          this.#now().getTime(),
          this.controller.managedResources(app),
        ),
      );
    }
    const items =
      this.#events.get(
        keyOf(app.metadata.namespace ?? CONTROL_PLANE_NAMESPACE, ctx.params[0]),
      ) ?? [];
    return jsonResponse({
      metadata: { resourceVersion: String(this.#resourceVersion) },
      items,
    });
  }

  #keyOfApp(app: Application): AppKey {
    return {
      name: app.metadata.name ?? '',
      namespace: app.metadata.namespace ?? CONTROL_PLANE_NAMESPACE,
    };
  }

  /**
   * The app a sync or rollback acts on, with the checks both share in Argo CD's order: lookup,
   * `applications, sync` RBAC, then not being deleted.
   */
  #appToOperate(
    claims: FakeTokenClaims,
    name: string,
    body: { project?: string; appNamespace?: string },
    options: { syncWindows?: boolean } = {},
  ): Application {
    const app = this.#lookupApp(claims, name, {
      project: body.project || undefined,
      appNamespace: body.appNamespace || undefined,
    });
    // Sync (not rollback) checks the windows second, before `applications, sync`, and always
    // as a manual sync: so a window refuses even callers who may not sync at all.
    if (options.syncWindows) {
      let canSync: boolean;
      try {
        canSync = canSyncNow(this.#windowsOf(app), {
          manual: true,
          now: this.#now(),
        });
      } catch (error) {
        throw new ArgoCdApiError(
          GrpcCode.PermissionDenied,
          `cannot sync: invalid sync window: invalid sync windows: ${
            (error as Error).message
          }`,
        );
      }
      if (!canSync) {
        throw new ArgoCdApiError(
          GrpcCode.PermissionDenied,
          'cannot sync: blocked by sync window',
        );
      }
    }
    this.#enforceDetailed(
      claims,
      'applications',
      'sync',
      this.#rbacObjectOf(app),
    );
    if (app.metadata.deletionTimestamp) {
      throw new ArgoCdApiError(
        GrpcCode.FailedPrecondition,
        'application is deleting',
      );
    }
    return app;
  }

  #startOperation(app: Application, operation: Operation): Application {
    const key = this.#keyOfApp(app);
    const updated = this.updateApplication(key, a => {
      a.operation = operation;
      if (a.status) delete a.status.operationState;
    });
    this.controller.operationRequested(key);
    return updated ?? app;
  }

  /** The project's windows that apply to the app (`SyncWindows.Matches`). */
  #windowsOf(app: Application): SyncWindow[] {
    const project = this.#projects.get(app.spec.project);
    return matchSyncWindows(project?.spec.syncWindows, app);
  }

  #syncWindows(ctx: RouteContext): Response {
    const app = this.#lookupApp(
      this.#claims(ctx),
      ctx.params[0],
      this.#appQuery(ctx.url),
    );
    const assigned = this.#windowsOf(app);
    const now = this.#now();
    let canSync: boolean;
    let active: SyncWindow[];
    try {
      canSync = canSyncNow(assigned, { manual: true, now });
      active = assigned.filter(w => isSyncWindowActive(w, now));
    } catch (error) {
      // A plain Go error in the server: gRPC Unknown, HTTP 500.
      throw new ArgoCdApiError(
        GrpcCode.Unknown,
        `invalid sync windows: invalid sync windows: ${
          (error as Error).message
        }`,
      );
    }
    // `convertSyncWindows`: four fields, each always written; empty lists are omitted.
    const convert = (windows: SyncWindow[]) =>
      windows.length
        ? windows.map(w => ({
            kind: w.kind ?? '',
            schedule: w.schedule ?? '',
            duration: w.duration ?? '',
            manualSync: w.manualSync ?? false,
          }))
        : undefined;
    return jsonResponse({
      activeWindows: convert(active),
      assignedWindows: convert(assigned),
      canSync,
    });
  }

  async #sync(ctx: RouteContext): Promise<Response> {
    const claims = this.#claims(ctx);
    const body = await this.#body<ApplicationSyncRequest>(ctx.request);
    const app = this.#appToOperate(claims, ctx.params[0], body, {
      syncWindows: true,
    });
    const target = await this.#syncTarget(app, body);
    if (app.operation) {
      throw new ArgoCdApiError(
        GrpcCode.FailedPrecondition,
        'another operation is already in progress',
      );
    }
    const operation: Operation = {
      sync: {
        ...target,
        prune: body.prune || undefined,
        dryRun: body.dryRun || undefined,
        // A request's sync options replace the app's own; without them the app's apply.
        syncOptions: nonEmpty(
          body.syncOptions
            ? body.syncOptions.items
            : app.spec.syncPolicy?.syncOptions,
        ),
        syncStrategy: body.strategy,
        resources: body.resources?.length ? body.resources : undefined,
      },
      initiatedBy: { username: usernameOf(claims.sub) },
      info: body.infos?.length ? body.infos : undefined,
    };
    return jsonResponse(this.#startOperation(app, operation));
  }

  /**
   * `resolveSourceRevisions`: the revision (one source) or revisions (every source, in order;
   * `sourcePositions` are 1-based) a sync request resolves to. Choosing another revision than
   * the spec's is refused while auto-sync is on.
   */
  async #syncTarget(
    app: Application,
    body: Partial<ApplicationSyncRequest>,
  ): Promise<{ revision: string } | { revisions: string[] }> {
    const auto = isAutoSync(app.spec.syncPolicy) && !body.dryRun;
    const sources = app.spec.sources;
    if (!sources?.length) {
      const targetRevision = app.spec.source?.targetRevision || 'HEAD';
      if (auto && body.revision && body.revision !== targetRevision) {
        throw new ArgoCdApiError(
          GrpcCode.FailedPrecondition,
          `Cannot sync to ${body.revision}: auto-sync currently set to ${targetRevision}`,
        );
      }
      return {
        revision: await this.controller.resolveRevision(
          app,
          body.revision || targetRevision,
        ),
      };
    }
    const desired = new Array<string>(sources.length).fill('');
    (body.sourcePositions ?? []).forEach((pos, i) => {
      const position = Number(pos);
      if (!(position >= 1 && position <= sources.length)) {
        throw new ArgoCdApiError(
          GrpcCode.Unknown,
          'source position is out of range',
        );
      }
      desired[position - 1] = body.revisions?.[i] ?? '';
    });
    const revisions: string[] = [];
    for (const [i, source] of sources.entries()) {
      const targetRevision = source.targetRevision || 'HEAD';
      if (auto && desired[i] && desired[i] !== targetRevision) {
        throw new ArgoCdApiError(
          GrpcCode.FailedPrecondition,
          `Cannot sync source ${source.repoURL} to ${desired[i]}: auto-sync currently set to ${source.targetRevision}`,
        );
      }
      revisions.push(
        await this.controller.resolveRevision(
          app,
          desired[i] || targetRevision,
          i,
        ),
      );
    }
    return { revisions };
  }

  async #rollback(ctx: RouteContext): Promise<Response> {
    const claims = this.#claims(ctx);
    const body = await this.#body<ApplicationRollbackRequest>(ctx.request);
    const app = this.#appToOperate(claims, ctx.params[0], body);
    if (isAutoSync(app.spec.syncPolicy)) {
      throw new ArgoCdApiError(
        GrpcCode.FailedPrecondition,
        'rollback cannot be initiated when auto-sync is enabled',
      );
    }
    const entry = app.status?.history?.find(h => h.id === Number(body.id));
    if (!entry) {
      throw new ArgoCdApiError(
        GrpcCode.InvalidArgument,
        `application ${app.metadata.namespace}/${app.metadata.name} does not have deployment with id ${body.id}`,
      );
    }
    if (app.operation) {
      throw new ArgoCdApiError(
        GrpcCode.FailedPrecondition,
        'another operation is already in progress',
      );
    }
    return jsonResponse(
      this.#startOperation(app, {
        sync: {
          revision: entry.revision,
          source: entry.source,
          revisions: entry.revisions,
          sources: entry.sources,
          prune: body.prune || undefined,
          dryRun: body.dryRun || undefined,
          // Rollback is a sync with the app's own options, applied without hooks.
          syncOptions: nonEmpty(app.spec.syncPolicy?.syncOptions),
          syncStrategy: { apply: {} },
        },
        initiatedBy: { username: usernameOf(claims.sub) },
      }),
    );
  }

  /**
   * `Patch`: `get` on the app (with `project`, another project's app is a 404), then a
   * detailed 403 without `update`; the patch applied (fake/applicationPatch.ts) and the result
   * validated as an update (a project change also needs `create` in the new project). The
   * controller sees the new spec at once, so turning auto-sync off or on takes effect.
   */
  async #patch(ctx: RouteContext): Promise<Response> {
    const claims = this.#claims(ctx);
    const body = await this.#body<ApplicationPatchRequest>(ctx.request);
    const query = {
      project: body.project || undefined,
      appNamespace: body.appNamespace || undefined,
    };
    const app = this.#lookupApp(claims, ctx.params[0], query);
    const rbacObject = this.#rbacObjectOf(app);
    this.#enforceDetailed(claims, 'applications', 'update', rbacObject);
    const next = patchApplicationObject(app, body);
    const invalid = (error: unknown) =>
      error instanceof ArgoCdApiError
        ? new ArgoCdApiError(
            error.code,
            `error validating and normalizing app: ${error.message}`,
          )
        : error;
    const projectName = next.spec?.project ?? '';
    if (projectName !== app.spec.project) {
      this.#enforceDetailed(
        claims,
        'applications',
        'create',
        appRbacObject(projectName, app.metadata.namespace!, app.metadata.name!),
      );
    }
    const project = this.#projects.get(projectName);
    if (!project) {
      throw invalid(
        new ArgoCdApiError(
          GrpcCode.InvalidArgument,
          `app is not allowed in project "${projectName}", or the project does not exist`,
        ),
      );
    }
    try {
      this.#validateSpec(app.metadata.name!, next.spec, project, true);
    } catch (error) {
      throw invalid(error);
    }
    const key = this.#keyOfApp(app);
    this.updateApplication(key, a => {
      a.spec = next.spec;
      a.metadata.labels = next.metadata?.labels ?? undefined;
      a.metadata.annotations = next.metadata?.annotations ?? undefined;
      a.metadata.finalizers = next.metadata?.finalizers ?? undefined;
      if (!sameJson(app.spec, next.spec))
        a.metadata.generation = (a.metadata.generation ?? 1) + 1;
    });
    this.controller.applicationSpecChanged(key);
    return jsonResponse(this.#apps.get(keyOf(key.namespace, key.name)));
  }

  #terminate(ctx: RouteContext): Response {
    const claims = this.#claims(ctx);
    const app = this.#lookupApp(claims, ctx.params[0], this.#appQuery(ctx.url));
    this.#enforceDetailed(
      claims,
      'applications',
      'sync',
      this.#rbacObjectOf(app),
    );
    const state = app.status?.operationState;
    if (!app.operation && state?.phase !== 'Running') {
      throw new ArgoCdApiError(
        GrpcCode.InvalidArgument,
        'Unable to terminate operation. No operation is in progress',
      );
    }
    const key = this.#keyOfApp(app);
    this.updateApplication(key, a => {
      a.status = a.status ?? {};
      a.status.operationState = {
        ...(a.status.operationState ?? {
          operation: a.operation ?? {},
          startedAt: this.timestamp(),
        }),
        phase: 'Terminating',
      };
    });
    this.controller.terminateRequested(key);
    return jsonResponse({});
  }

  async #createApplication(ctx: RouteContext): Promise<Response> {
    const claims = this.#claims(ctx);
    const q = ctx.url.searchParams;
    const upsert = q.get('upsert') === 'true';
    const validate = q.get('validate') !== 'false';
    const body = await this.#body<Application>(ctx.request);
    const name = body.metadata?.name;
    if (!name || !body.spec) {
      throw new ArgoCdApiError(
        GrpcCode.InvalidArgument,
        'application name and spec are required',
      );
    }
    const namespace = body.metadata?.namespace || CONTROL_PLANE_NAMESPACE;
    const projectName = body.spec.project ?? '';
    this.#enforceDetailed(
      claims,
      'applications',
      'create',
      appRbacObject(projectName, namespace, name),
    );

    const project = this.#projects.get(projectName);
    // `getAppProject`: outside the control-plane namespace the project must list the app's
    // namespace in `sourceNamespaces`, and says so in the same vague words as a missing one.
    if (
      !project ||
      (namespace !== CONTROL_PLANE_NAMESPACE &&
        !matchesNamespaceList(project.spec.sourceNamespaces ?? [], namespace))
    ) {
      throw new ArgoCdApiError(
        GrpcCode.InvalidArgument,
        `app is not allowed in project "${projectName}", or the project does not exist`,
      );
    }
    const existing = this.#apps.get(keyOf(namespace, name));
    if (existing) {
      const same =
        sameJson(existing.spec, body.spec) &&
        sameJson(existing.metadata.labels, body.metadata?.labels) &&
        sameJson(existing.metadata.annotations, body.metadata?.annotations) &&
        sameJson(existing.metadata.finalizers, body.metadata?.finalizers);
      if (same) return jsonResponse(existing);
      if (!upsert) {
        throw new ArgoCdApiError(
          GrpcCode.InvalidArgument,
          'existing application spec is different, use upsert flag to force update',
        );
      }
      this.#enforceDetailed(
        claims,
        'applications',
        'update',
        appRbacObject(projectName, namespace, name),
      );
    }
    this.#validateSpec(name, body.spec, project, validate);
    if (!this.isNamespaceEnabled(namespace)) {
      // `security.NamespaceNotPermittedError`: a plain Go error, so gRPC Unknown (HTTP 500).
      throw new ArgoCdApiError(
        GrpcCode.Unknown,
        `namespace '${namespace}' is not permitted`,
      );
    }

    const key = { name, namespace };
    let stored: Application;
    if (existing) {
      stored = this.updateApplication(key, a => {
        a.spec = body.spec!;
        a.metadata.labels = body.metadata?.labels;
        a.metadata.annotations = body.metadata?.annotations;
        a.metadata.finalizers = body.metadata?.finalizers;
        a.metadata.generation = (a.metadata.generation ?? 1) + 1;
      })!;
    } else {
      // `operation` in the body is ignored on purpose (Argo CD logs it as a security event).
      stored = this.putApplication({
        metadata: {
          name,
          namespace,
          labels: body.metadata?.labels,
          annotations: body.metadata?.annotations,
          finalizers: body.metadata?.finalizers,
        },
        spec: body.spec,
        status: { sync: { status: '' }, health: {}, summary: {} },
      });
    }
    this.controller.applicationSpecChanged(key);
    return jsonResponse(this.#apps.get(keyOf(namespace, name)) ?? stored);
  }

  #validateSpec(
    name: string,
    spec: Application['spec'],
    project: AppProject,
    validate: boolean,
  ): void {
    const invalid = (message: string) =>
      new ArgoCdApiError(
        GrpcCode.InvalidArgument,
        `application spec for ${name} is invalid: InvalidSpecError: ${message}`,
      );
    const destination = spec.destination ?? {};
    const projectName = project.metadata.name;
    if (destination.name && destination.server) {
      throw new ArgoCdApiError(
        GrpcCode.InvalidArgument,
        "application destination can't have both name and server defined",
      );
    }
    let server = destination.server;
    if (destination.name) {
      server = this.findClusterByName(destination.name)?.server;
      if (!server && validate) {
        throw invalid(
          `unable to find destination server: there are no clusters with this name: ${destination.name}`,
        );
      }
    }
    for (const source of [spec.source, ...(spec.sources ?? [])]) {
      if (source && !isSourceRepoPermitted(project, source.repoURL)) {
        throw invalid(
          `application repo ${source.repoURL} is not permitted in project '${projectName}'`,
        );
      }
    }
    if (
      !isDestinationPermitted(project, {
        server,
        name: destination.name,
        namespace: destination.namespace,
      })
    ) {
      throw invalid(
        `application destination server '${server ?? ''}' and namespace '${
          destination.namespace ?? ''
        }' do not match any of the allowed destinations in project '${projectName}'`,
      );
    }
  }

  #deleteApplication(ctx: RouteContext): Response {
    const claims = this.#claims(ctx);
    const app = this.#lookupApp(claims, ctx.params[0], this.#appQuery(ctx.url));
    this.#enforceDetailed(
      claims,
      'applications',
      'delete',
      this.#rbacObjectOf(app),
    );
    const q = ctx.url.searchParams;
    const cascade = q.get('cascade') !== 'false';
    const policy = q.get('propagationPolicy') ?? '';
    if (!cascade && policy) {
      throw new ArgoCdApiError(
        GrpcCode.InvalidArgument,
        'cannot set propagation policy when cascading is disabled',
      );
    }
    if (!['', 'foreground', 'background'].includes(policy)) {
      throw new ArgoCdApiError(
        GrpcCode.InvalidArgument,
        `invalid propagation policy: ${policy}`,
      );
    }
    const finalizer = policy
      ? `resources-finalizer.argocd.argoproj.io/${policy}`
      : 'resources-finalizer.argocd.argoproj.io';
    const key = this.#keyOfApp(app);
    this.updateApplication(key, a => {
      a.metadata.finalizers = cascade
        ? [...new Set([...(a.metadata.finalizers ?? []), finalizer])]
        : (a.metadata.finalizers ?? []).filter(
            f => !f.startsWith('resources-finalizer.argocd.argoproj.io'),
          );
      a.metadata.deletionTimestamp = this.timestamp();
    });
    this.controller.applicationDeleted(key, cascade);
    return jsonResponse({});
  }

  /**
   * `Server.Watch`: the initial ADDED events are written straight to the stream (never
   * dropped); then the stream subscribes with its own bounded buffer and sends what it takes
   * from it at the pace the client reads, filtering only then.
   */
  #watch(ctx: RouteContext): Response {
    const claims = this.#claims(ctx);
    const filter = this.#listFilter(ctx.url, claims);
    const framing = new StreamFraming(ctx.request.headers.get('accept'));
    const q = ctx.url.searchParams;
    const sendInitial = !q.get('resourceVersion') || Boolean(q.get('name'));
    const minVersion = Number.parseInt(q.get('resourceVersion') ?? '', 10) || 0;
    const watchers = this.#watchers;
    const stop = new AbortController();
    const lastSent = new Map<string, string>();
    const initial: Uint8Array[] = [];
    let failure: Uint8Array | undefined;
    let open = true;
    let streamController: ReadableStreamDefaultController<Uint8Array>;

    const frameOf = (event: BufferedEvent): Uint8Array | undefined => {
      const app = event.application;
      if (!filter(app)) return undefined;
      // `isApplicationPermitted`: with a resourceVersion, older objects are not sent again.
      if (
        minVersion > 0 &&
        Number(app.metadata.resourceVersion ?? 0) < minVersion
      ) {
        return undefined;
      }
      const json = JSON.stringify(app);
      const name = app.metadata.name ?? '';
      // Argo CD drops a message identical to the previous one for the same app.
      if (event.type === 'MODIFIED' && lastSent.get(name) === json)
        return undefined;
      if (event.type === 'DELETED') lastSent.delete(name);
      else lastSent.set(name, json);
      return framing.result({ type: event.type, application: app });
    };
    const watcher: Watcher = {
      buffer: new WatchBuffer(this.#watchBufferSize),
      fail: error => {
        if (!open) return;
        failure = framing.error(error.toStreamError());
        watchers.delete(watcher);
        stop.abort();
      },
      close: () => {
        if (!open) return;
        open = false;
        watchers.delete(watcher);
        stop.abort();
        try {
          streamController.close();
        } catch {
          // already closed by the consumer
        }
      },
    };
    const close = watcher.close;

    if (sendInitial) {
      const apps = [...this.#apps.values()].sort((a, b) =>
        keyOf(a.metadata.namespace ?? '', a.metadata.name ?? '').localeCompare(
          keyOf(b.metadata.namespace ?? '', b.metadata.name ?? ''),
        ),
      );
      for (const application of apps) {
        const frame = frameOf({ type: 'ADDED', application });
        if (frame) initial.push(frame);
      }
    }
    watchers.add(watcher);

    const body = new ReadableStream<Uint8Array>(
      {
        start: controller => {
          streamController = controller;
          ctx.request.signal.addEventListener('abort', close);
        },
        pull: async controller => {
          const first = initial.shift();
          if (first) {
            controller.enqueue(first);
            return;
          }
          for (;;) {
            const event = await watcher.buffer.take(stop.signal);
            if (!event) {
              if (failure) {
                controller.enqueue(failure);
                failure = undefined;
              }
              close();
              return;
            }
            const frame = frameOf(event);
            if (frame) {
              controller.enqueue(frame);
              return;
            }
          }
        },
        cancel: () => close(),
      },
      // Nothing queued ahead of the reader: the buffer above is the only one, as in Argo CD.
      { highWaterMark: 0 },
    );
    return new Response(body, {
      status: 200,
      headers: {
        'content-type': framing.contentType,
        'cache-control': 'no-cache',
      },
    });
  }

  #listProjectsRoute(ctx: RouteContext): Response {
    const claims = this.#claims(ctx);
    const items = this.listProjects().filter(p =>
      this.#can(claims, 'projects', 'get', p.metadata.name ?? ''),
    );
    return jsonResponse({
      metadata: { resourceVersion: String(this.#resourceVersion) },
      items,
    });
  }

  #getProjectRoute(ctx: RouteContext, detailed: boolean): Response {
    const claims = this.#claims(ctx);
    const name = ctx.params[0];
    this.#enforceDetailed(claims, 'projects', 'get', name);
    const project = this.#projects.get(name);
    if (!project) throw projectNotFound(name);
    if (!detailed) return jsonResponse(project);
    const clusters = this.listClusters().filter(c => c.project === name);
    return jsonResponse({
      project,
      globalProjects: [],
      repositories: [],
      clusters,
    });
  }

  #listClustersRoute(ctx: RouteContext): Response {
    const claims = this.#claims(ctx);
    const q = ctx.url.searchParams;
    const items = this.listClusters()
      .filter(c => !q.get('server') || c.server === q.get('server'))
      .filter(c => !q.get('name') || c.name === q.get('name'))
      .filter(c =>
        this.#can(
          claims,
          'clusters',
          'get',
          c.project ? `${c.project}/${c.server}` : c.server,
        ),
      )
      .map(c => ({
        ...c,
        info: {
          ...c.info,
          applicationsCount: this.listApplications().filter(
            a =>
              a.spec.destination.server === c.server ||
              a.spec.destination.name === c.name,
          ).length,
        },
      }));
    return jsonResponse({ metadata: {}, items });
  }
}
