import type {
  AppProject,
  Application,
  Cluster,
  KubernetesEvent,
  WatchEventType,
} from '@kupe/plugin-gitops-node';
import type { AppKey } from './controller';
import {
  ArgoCdApiError,
  GrpcCode,
  applicationNotFound,
  permissionDenied,
} from './errors';
import { LabelSelector } from './labelSelector';
import { CONTROL_PLANE_NAMESPACE, appRbacObject, enforce } from './rbac';
import { type AppSetAccess } from './applicationSets';
import { DEFAULT_WATCH_BUFFER_SIZE, WatchBuffer } from './watchBuffer';
import {
  ARGOCD_FAKE_ADMIN_TOKEN,
  type FakeTokenClaims,
  looksLikeJwt,
  parseProjectRoleSubject,
} from './tokens';
import { type ArgoCdFake, type ArgoCdFakeOptions } from './ArgoCdFake';

export interface RouteContext {
  request: Request;
  url: URL;
  params: string[];
  claims?: FakeTokenClaims;
}

export interface Route {
  method: string;
  pattern: RegExp;
  /** Session and version endpoints answer without a token (`AuthFuncOverride`). */
  anonymous?: boolean;
  handler: (ctx: RouteContext) => Promise<Response> | Response;
}

export interface Watcher {
  buffer: WatchBuffer;
  fail: (error: ArgoCdApiError) => void;
  close: () => void;
}

export interface AppQuery {
  project?: string;
  appNamespace?: string;
}

export const SHA = /^[0-9a-fA-F]{7,40}$/;
export const VERSION = {
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

export function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Go's omitempty: an empty list is not written. */
export const nonEmpty = <T>(list: T[] | undefined): T[] | undefined =>
  list?.length ? list : undefined;

/** The user name Argo CD reports for a subject (`admin:login` is user `admin`). */
export function usernameOf(sub: string): string {
  return sub.endsWith(':login') ? sub.slice(0, -':login'.length) : sub;
}

/**
 * The fake's stores and the request helpers every route shares (authentication, RBAC,
 * app lookup, watch fan-out). Internal to the fake: `ArgoCdFake` is its public face and the
 * route modules (`*Routes.ts`) answer requests over it.
 */
export class FakeServer {
  readonly apps = new Map<string, Application>();
  readonly projects = new Map<string, AppProject>();
  readonly clusters = new Map<string, Cluster>();
  readonly tokens = new Map<string, FakeTokenClaims>();
  readonly events = new Map<string, KubernetesEvent[]>();
  /** Open watch streams, subscribed or still sending their initial events. */
  readonly watchers = new Set<Watcher>();
  /** The buffers `emit` offers events to (`appBroadcaster.Subscribe`'d channels). */
  readonly subscriptions = new Set<WatchBuffer>();
  readonly adminPassword: string;
  readonly now: () => Date;
  readonly watchBufferSize: number;
  readonly sseKeepaliveMs: number;
  readonly applicationNamespaces: readonly string[];
  droppedWatchEvents = 0;
  resourceVersion = 1000;

  constructor(readonly fake: ArgoCdFake, options: ArgoCdFakeOptions) {
    this.adminPassword = options.adminPassword ?? 'password';
    this.now = options.now ?? (() => new Date());
    this.tokens.set(ARGOCD_FAKE_ADMIN_TOKEN, {
      sub: 'admin',
      iat: 1767225600,
      jti: 'kupe-fake-admin',
    });
    this.watchBufferSize = options.watchBufferSize ?? DEFAULT_WATCH_BUFFER_SIZE;
    this.sseKeepaliveMs = options.sseKeepaliveMs ?? 15_000;
    this.applicationNamespaces = [...(options.applicationNamespaces ?? [])];
  }

  authenticate(
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
    const claims = this.tokens.get(token);
    if (!claims) {
      if (anonymous) return undefined;
      throw new ArgoCdApiError(
        GrpcCode.Unauthenticated,
        'invalid session: token signature is invalid: signature is invalid',
      );
    }
    const role = parseProjectRoleSubject(claims.sub);
    if (role) {
      const exists = this.projects
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

  claims(ctx: RouteContext): FakeTokenClaims {
    if (!ctx.claims)
      throw new ArgoCdApiError(
        GrpcCode.Unauthenticated,
        'no session information',
      );
    return ctx.claims;
  }

  can(
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
      this.projects,
    );
  }

  /** `EnforceErr`: a 403 naming what was refused, used after the existence check. */
  enforceDetailed(
    claims: FakeTokenClaims,
    resource: string,
    action: string,
    object: string,
  ) {
    if (!this.can(claims, resource, action, object)) {
      const iat = new Date(claims.iat * 1000)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z');
      throw new ArgoCdApiError(
        GrpcCode.PermissionDenied,
        `permission denied: ${resource}, ${action}, ${object}, sub: ${claims.sub}, iat: ${iat}`,
      );
    }
  }

  appSetAccess(ctx: RouteContext): AppSetAccess {
    const claims = this.claims(ctx);
    return {
      canGet: object => this.can(claims, 'applicationsets', 'get', object),
      enforceGet: object =>
        this.enforceDetailed(claims, 'applicationsets', 'get', object),
      isNamespaceEnabled: ns => this.fake.isNamespaceEnabled(ns),
    };
  }

  /**
   * `getAppEnforceRBAC`: without `project`, a missing and a forbidden app look the same
   * (403); with `project`, an app that is missing or lives in another project is 404.
   */
  lookupApp(
    claims: FakeTokenClaims,
    name: string,
    query: AppQuery,
    action = 'get',
  ): Application {
    const namespace = query.appNamespace || CONTROL_PLANE_NAMESPACE;
    // `getApplicationEnforceRBACInformer`: a namespace the server does not serve fails the
    // lookup, and every failed lookup is the same opaque 403.
    const app = this.fake.isNamespaceEnabled(namespace)
      ? this.apps.get(keyOf(namespace, name))
      : undefined;
    if (!query.project) {
      if (!app) throw permissionDenied();
      if (
        !this.can(
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
      !this.can(
        claims,
        'applications',
        action,
        appRbacObject(query.project, namespace, name),
      )
    ) {
      throw permissionDenied();
    }
    if (!this.fake.isNamespaceEnabled(namespace)) throw permissionDenied();
    if (!app || app.spec.project !== query.project)
      throw applicationNotFound(name);
    if (
      !this.can(
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

  appQuery(url: URL): AppQuery {
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

  async body<T>(request: Request): Promise<Partial<T>> {
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

  nextResourceVersion(): string {
    this.resourceVersion += 1;
    return String(this.resourceVersion);
  }

  rbacObjectOf(app: Application): string {
    return appRbacObject(
      app.spec.project,
      app.metadata.namespace ?? CONTROL_PLANE_NAMESPACE,
      app.metadata.name ?? '',
    );
  }

  /** The List/Watch query filter (`projects`/`project`, `selector`, `name`, `repo`, `appNamespace`). */
  listFilter(url: URL, claims: FakeTokenClaims): (app: Application) => boolean {
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
      this.fake.isNamespaceEnabled(
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
      this.can(claims, 'applications', 'get', this.rbacObjectOf(app));
  }

  /** `broadcast.Handler.notify`: every subscriber is offered every event, unfiltered. */
  emit(type: WatchEventType, app: Application): void {
    for (const buffer of this.subscriptions) {
      if (!buffer.offer({ type, application: app }))
        this.droppedWatchEvents += 1;
    }
  }

  keyOfApp(app: Application): AppKey {
    return {
      name: app.metadata.name ?? '',
      namespace: app.metadata.namespace ?? CONTROL_PLANE_NAMESPACE,
    };
  }
}
