import { randomUUID } from 'node:crypto';
import type {
  AppProject,
  Application,
  Cluster,
} from '@kupe/plugin-gitops-node';
import type { AppKey, ArgoCdFakeController } from './controller';
import { ArgoCdApiError, GrpcCode, textResponse } from './errors';
import { CONTROL_PLANE_NAMESPACE } from './rbac';
import { SimpleController } from './SimpleController';
import { FakeApplicationSets } from './applicationSets';
import { canSyncNow } from '@kupe/plugin-gitops-node';
import { ReconcileClock, type ReconcileClockOptions } from './reconcileClock';
import { isNamespaceEnabled } from './applicationNamespaces';
import { ARGOCD_FAKE_ADMIN_TOKEN, makeFakeJwt, newClaims } from './tokens';
import { Route, keyOf, sleep, FakeServer } from './fakeServer';
import { buildRoutes } from './fakeRouteTable';
import { windowsOf } from './operationRoutes';

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
   * How often an SSE stream (`Accept: text/event-stream`) gets a `:` keepalive line
   * (argoproj/pkg `withKeepalive`: 15 s); newline-delimited JSON streams get none.
   */
  sseKeepaliveMs?: number;
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

  /** The stores and request helpers the route modules share. */
  readonly #s: FakeServer;
  readonly #routes: Route[];
  /** The periodic refresh, when `reconcile` was given; `reconcileDue()` runs it by hand. */
  readonly reconciler?: ReconcileClock;

  constructor(options: ArgoCdFakeOptions = {}) {
    this.latencyMs = options.latencyMs ?? 0;
    this.#s = new FakeServer(this, options);
    this.#routes = buildRoutes(this.#s);
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
          nowMs: () => this.#s.now().getTime(),
          applications: () => this.#s.apps.values(),
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
    return this.#s.droppedWatchEvents;
  }

  /** Whether the server serves Applications of this namespace (`application.namespaces`). */
  isNamespaceEnabled(namespace: string): boolean {
    return isNamespaceEnabled(
      namespace,
      CONTROL_PLANE_NAMESPACE,
      this.#s.applicationNamespaces,
    );
  }

  /** Current time as RFC3339 without fractions, as Kubernetes writes it. */
  timestamp(): string {
    return `${this.#s.now().toISOString().slice(0, 19)}Z`;
  }

  // ------------------------------------------------------------------ tokens

  /** Issues a token for `admin` or a project role `proj:<project>:<role>`. */
  issueToken(subject: string, iat?: number): string {
    const claims = newClaims(subject, iat);
    const token = makeFakeJwt(claims);
    this.#s.tokens.set(token, claims);
    return token;
  }

  revokeToken(token: string): void {
    this.#s.tokens.delete(token);
  }

  // ------------------------------------------------------------------ state

  putProject(project: AppProject): void {
    const name = project.metadata.name;
    if (!name) throw new Error('project needs metadata.name');
    this.#s.projects.set(name, {
      ...project,
      metadata: {
        namespace: CONTROL_PLANE_NAMESPACE,
        uid: randomUUID(),
        creationTimestamp: this.timestamp(),
        ...project.metadata,
        resourceVersion: this.#s.nextResourceVersion(),
      },
    });
  }

  getProject(name: string): AppProject | undefined {
    return this.#s.projects.get(name);
  }

  listProjects(): AppProject[] {
    return [...this.#s.projects.values()].sort((a, b) =>
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
    this.#s.clusters.set(cluster.server, {
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
    return [...this.#s.clusters.values()];
  }

  findClusterByName(name: string): Cluster | undefined {
    return this.listClusters().find(c => c.name === name);
  }

  /** Adds or replaces an Application; watchers see ADDED or MODIFIED. */
  putApplication(app: Application): Application {
    const namespace = app.metadata.namespace || CONTROL_PLANE_NAMESPACE;
    const name = app.metadata.name;
    if (!name) throw new Error('application needs metadata.name');
    const previous = this.#s.apps.get(keyOf(namespace, name));
    const stored: Application = {
      ...app,
      metadata: {
        uid: previous?.metadata.uid ?? randomUUID(),
        creationTimestamp:
          previous?.metadata.creationTimestamp ?? this.timestamp(),
        generation: 1,
        ...app.metadata,
        namespace,
        resourceVersion: this.#s.nextResourceVersion(),
      },
    };
    this.#s.apps.set(keyOf(namespace, name), stored);
    this.#s.emit(previous ? 'MODIFIED' : 'ADDED', stored);
    return stored;
  }

  getApplication(
    name: string,
    namespace = CONTROL_PLANE_NAMESPACE,
  ): Application | undefined {
    return this.#s.apps.get(keyOf(namespace, name));
  }

  /** All applications, sorted by name (treat them as read-only). */
  listApplications(): Application[] {
    return [...this.#s.apps.values()].sort((a, b) =>
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
    const current = this.#s.apps.get(keyOf(namespace, name));
    if (!current) return undefined;
    const next = structuredClone(current);
    mutate(next);
    // Like the Kubernetes API, a no-op update keeps the resourceVersion and notifies nobody.
    if (JSON.stringify(next) === JSON.stringify(current)) return current;
    next.metadata.resourceVersion = this.#s.nextResourceVersion();
    this.#s.apps.set(keyOf(namespace, name), next);
    this.#s.emit('MODIFIED', next);
    return next;
  }

  /** Removes an Application; watchers see DELETED. */
  removeApplication(key: AppKey | string): void {
    const { name, namespace } =
      typeof key === 'string'
        ? { name: key, namespace: CONTROL_PLANE_NAMESPACE }
        : key;
    const current = this.#s.apps.get(keyOf(namespace, name));
    if (!current) return;
    this.#s.apps.delete(keyOf(namespace, name));
    this.#s.events.delete(keyOf(namespace, name));
    // As the Kubernetes API sends it: the last state, at the deletion's resourceVersion. So
    // a watch from a resourceVersion later than the app's last update still hears of it.
    this.#s.emit('DELETED', {
      ...current,
      metadata: {
        ...current.metadata,
        resourceVersion: this.#s.nextResourceVersion(),
      },
    });
  }

  /** Records a Kubernetes Event on an Application (what `.../events` returns). */
  recordEvent(
    key: AppKey,
    event: { reason: string; message: string; type?: 'Normal' | 'Warning' },
  ): void {
    const app = this.#s.apps.get(keyOf(key.namespace, key.name));
    if (!app) return;
    const now = this.timestamp();
    const list = this.#s.events.get(keyOf(key.namespace, key.name)) ?? [];
    list.push({
      metadata: {
        name: `${key.name}.${Date.now().toString(16)}${list.length}`,
        namespace: key.namespace,
        uid: randomUUID(),
        resourceVersion: this.#s.nextResourceVersion(),
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
    this.#s.events.set(keyOf(key.namespace, key.name), list.slice(-100));
  }

  /**
   * Whether the project's sync windows let a sync of `app` run now (`CanSync`), for a
   * controller: automated syncs ask with `manual: false` and, like Argo CD's controller, an
   * invalid window counts as blocking.
   */
  syncWindowsAllow(app: Application, options: { manual: boolean }): boolean {
    try {
      return canSyncNow(windowsOf(this.#s, app), {
        manual: options.manual,
        now: this.#s.now(),
      });
    } catch {
      return false;
    }
  }

  /** Ends every open watch stream with an error line, as a server-side failure would. */
  failStreams(code: number, message: string): void {
    const error = new ArgoCdApiError(code, message);
    for (const watcher of [...this.#s.watchers]) watcher.fail(error);
  }

  /** Number of open watch streams (to assert that clients close theirs). */
  get openStreams(): number {
    return this.#s.watchers.size;
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  /** Closes streams and stops the controller. */
  close(): void {
    for (const watcher of [...this.#s.watchers]) watcher.close();
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
      const claims = this.#s.authenticate(request, route.anonymous === true);
      record.subject = claims?.sub;
      return await route.handler({ request, url, params, claims });
    } catch (error) {
      if (error instanceof ArgoCdApiError) return error.toResponse();
      return new ArgoCdApiError(GrpcCode.Internal, String(error)).toResponse();
    }
  }
}
