import type {
  AuditorService,
  AuditorServiceEventSeverityLevel,
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import type { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  GITOPS_APPLICATION_RESOURCE_TYPE,
  gitOpsPermissions,
} from '@kupe/plugin-gitops-common';
import type { Request, Response, Router } from 'express';
import { spec } from '../schema/openapi';
import type {
  AdditionalPermission,
  ApplicationAccess,
  VisibleApplication,
} from '../service/ApplicationAccess';
import type { SharedApplicationReads } from '../service/SharedApplicationReads';
import {
  type ApplicationTarget,
  type AuditMeta,
  applicationTarget,
  audited,
} from './applicationTarget';

/** Where every per-application operation of the document starts. */
export const APPLICATION_PATH = '/instances/{instance}/applications/{name}';

type DocumentPath = keyof typeof spec.paths;
/** A per-application path template of the OpenAPI document. */
export type ApplicationPath = Extract<
  DocumentPath,
  `${typeof APPLICATION_PATH}${string}`
>;
type Method = 'get' | 'post';

/** What a gated route's handler gets: the request, who asks, and the app they may act on. */
export interface GatedRequest {
  req: Request;
  credentials: BackstageCredentials<BackstageUserPrincipal>;
  target: ApplicationTarget;
  visible: VisibleApplication;
}

/** One per-application operation: its audit event and what it does once the gate let it in. */
export interface GatedOperation<T> {
  audit: {
    eventId: string;
    /** Default `low` for reads, `medium` for writes. */
    severityLevel?: (req: Request) => AuditorServiceEventSeverityLevel;
    /** What the request asks for, beside the target (never a credential). */
    meta?: (req: Request) => AuditMeta;
    /** What a successful write did. */
    outcome?: (result: T) => AuditMeta;
    /** Audit this read when it is allowed too, as a write is (a pod's logs: who read which). */
    always?: boolean;
  };
  /**
   * Writes the answer instead of `res.json` (a stream, a download); runs after the audit
   * event is recorded, so what it writes is never part of it.
   */
  send?: (res: Response, result: T, req: Request) => Promise<void> | void;
  /**
   * Permissions this request needs beside the one the document names, from what it asks
   * for (force or prune on a sync); checked with it, before anything reaches Argo CD.
   */
  additionalPermissions?: (req: Request) => AdditionalPermission[];
  handle(request: GatedRequest): Promise<T>;
}

type ApplicationPermission = ResourcePermission<
  typeof GITOPS_APPLICATION_RESOURCE_TYPE
>;

const isApplicationPermission = (p: {
  type: string;
}): p is ApplicationPermission =>
  p.type === 'resource' &&
  (p as ApplicationPermission).resourceType ===
    GITOPS_APPLICATION_RESOURCE_TYPE;

/** The permission the document's `x-gitops-permission` names for an operation. */
export function documentedPermission(
  path: string,
  method: string,
): ApplicationPermission {
  const operation = (
    spec.paths as Record<
      string,
      Record<string, { 'x-gitops-permission'?: string } | undefined>
    >
  )[path]?.[method];
  const name = operation?.['x-gitops-permission'];
  const permission = gitOpsPermissions
    .filter(isApplicationPermission)
    .find(p => p.name === name);
  if (!operation || !permission)
    throw new Error(
      `${method.toUpperCase()} ${path} needs x-gitops-permission naming an application permission in openapi.yaml (has ${String(
        name,
      )})`,
    );
  return permission;
}

/** Every per-application operation the document declares, as `METHOD path` keys. */
export function documentedApplicationOperations(): string[] {
  return Object.entries(spec.paths as Record<string, object>)
    .filter(([path]) => path.startsWith(APPLICATION_PATH))
    .flatMap(([path, item]) =>
      Object.keys(item)
        .filter(method =>
          ['get', 'post', 'put', 'patch', 'delete'].includes(method),
        )
        .map(method => `${method.toUpperCase()} ${path}`),
    );
}

/**
 * The one way to add a per-application route: every route registered here answers only after
 * the gate has, in this order, validated the target names (400), read the user's credentials
 * (401), found the application inside the caller's tenants with the permission the OpenAPI
 * document names for the operation and any the request's options need (another tenant's app
 * and a missing one: the same 404; a denied action or option: 403), and opened an audit event. Writes are audited with their outcome; reads
 * are audited when the gate refuses them, so probing another tenant's apps leaves a trace while
 * the card's polling does not flood the audit log. {@link ApplicationGate.assertComplete} fails
 * the router's construction when an operation of the document has no gated route.
 */
export class ApplicationGate {
  readonly #router: Router;
  readonly #httpAuth: HttpAuthService;
  readonly #auditor: AuditorService;
  readonly #access: ApplicationAccess;
  readonly #registered = new Set<string>();
  readonly #reads: SharedApplicationReads | undefined;

  constructor(options: {
    router: Router;
    httpAuth: HttpAuthService;
    auditor: AuditorService;
    access: ApplicationAccess;
    /** Reads a page's requests share: a write drops those of its app. */
    reads?: SharedApplicationReads;
  }) {
    this.#router = options.router;
    this.#httpAuth = options.httpAuth;
    this.#auditor = options.auditor;
    this.#access = options.access;
    this.#reads = options.reads;
  }

  get<T>(path: ApplicationPath, operation: GatedOperation<T>): void {
    this.#route('get', path, operation);
  }

  post<T>(path: ApplicationPath, operation: GatedOperation<T>): void {
    this.#route('post', path, operation);
  }

  /** Throws unless every per-application operation of the document went through the gate. */
  assertComplete(): void {
    const missing = documentedApplicationOperations().filter(
      key => !this.#registered.has(key),
    );
    if (missing.length > 0)
      throw new Error(
        `Per-application operations without a gated route: ${missing.join(
          ', ',
        )}`,
      );
  }

  #route<T>(method: Method, path: ApplicationPath, op: GatedOperation<T>) {
    const permission = documentedPermission(path, method);
    const key = `${method.toUpperCase()} ${path}`;
    if (this.#registered.has(key)) throw new Error(`${key} is gated twice`);
    this.#registered.add(key);
    const expressPath = path.replace(/\{(\w+)\}/g, ':$1');
    const write = method !== 'get';

    this.#router[method](expressPath, async (req, res) => {
      const target = applicationTarget(req);
      const credentials = await this.#httpAuth.credentials(req, {
        allow: ['user'],
      });
      const event = {
        eventId: op.audit.eventId,
        severityLevel:
          op.audit.severityLevel?.(req) ?? (write ? 'medium' : 'low'),
        meta: { ...target, ...op.audit.meta?.(req) },
      };
      const lookup = () =>
        this.#access.requireApplication(
          credentials,
          target,
          permission,
          op.additionalPermissions?.(req),
        );
      let result: T;
      if (write || op.audit.always) {
        result = await audited(
          this.#auditor,
          req,
          event,
          async () => {
            const visible = await lookup();
            if (!write) return op.handle({ req, credentials, target, visible });
            // Whatever the write did, or did part of, the next read asks Argo CD.
            try {
              return await op.handle({ req, credentials, target, visible });
            } finally {
              this.#reads?.forget(visible.app);
            }
          },
          op.audit.outcome,
        );
      } else {
        let visible: VisibleApplication;
        try {
          visible = await lookup();
        } catch (error) {
          await audited(this.#auditor, req, event, () => Promise.reject(error));
          throw error;
        }
        result = await op.handle({ req, credentials, target, visible });
      }
      if (op.send) await op.send(res, result, req);
      else res.json(result);
    });
  }
}
