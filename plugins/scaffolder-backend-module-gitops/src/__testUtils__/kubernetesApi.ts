import { http, HttpResponse, type HttpResponseResolver } from 'msw';
import type { SetupServer } from 'msw/node';
import type { AppProject, Application } from '@kupe/plugin-gitops-node';
import {
  buildCluster,
  buildTenantProject,
} from '@kupe/plugin-gitops-node-test-utils';

export const KUBERNETES_URL = 'https://management.k8s.test';
export const KUBERNETES_TOKEN = 'k8s-service-account-token';
/** The user the API server names in its refusals. */
const SERVICE_ACCOUNT = 'system:serviceaccount:backstage:kupe-portal';

type Resource = 'applications' | 'appprojects' | 'secrets';

const GROUP_OF: Record<Resource, string> = {
  applications: 'argoproj.io',
  appprojects: 'argoproj.io',
  secrets: '',
};

/** A `Status` object as the API server sends with every failure. */
function status(
  code: number,
  reason: string,
  message: string,
  details?: Record<string, unknown>,
) {
  return HttpResponse.json(
    {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details ? { details } : {}),
      code,
    },
    { status: code },
  );
}

function notFound(resource: Resource, name: string) {
  const group = GROUP_OF[resource];
  return status(
    404,
    'NotFound',
    `${resource}${group ? `.${group}` : ''} "${name}" not found`,
    { name, group, kind: resource },
  );
}

function forbidden(verb: string, resource: Resource, namespace: string) {
  return status(
    403,
    'Forbidden',
    `${resource}${
      GROUP_OF[resource] ? `.${GROUP_OF[resource]}` : ''
    } is forbidden: User "${SERVICE_ACCOUNT}" cannot ${verb} resource "${resource}" in API group "${
      GROUP_OF[resource]
    }" in the namespace "${namespace}"`,
    { kind: resource, group: GROUP_OF[resource] },
  );
}

/** `k=v,k2=v2` equality selectors, the only kind the targets send. */
function matchesSelector(
  labels: Record<string, string> | undefined,
  selector: string | null,
): boolean {
  if (!selector) return true;
  return selector.split(',').every(term => {
    const [key, value] = term.split('=');
    return labels?.[key] === value;
  });
}

/** An Argo CD cluster Secret, as `argocd cluster add` writes it. */
export function clusterSecret(options: {
  name: string;
  server: string;
  project?: string;
  namespace?: string;
}) {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name: `cluster-${options.name}`,
      namespace: options.namespace ?? 'argocd',
      labels: { 'argocd.argoproj.io/secret-type': 'cluster' },
    },
    data: {
      name: b64(options.name),
      server: b64(options.server),
      ...(options.project ? { project: b64(options.project) } : {}),
      config: b64(
        JSON.stringify({
          bearerToken: `cluster-credential-of-${options.name}`,
          tlsClientConfig: { insecure: false },
        }),
      ),
    },
  };
}

/**
 * The management cluster's API server for the objects the Kubernetes application target
 * touches in Argo CD's namespace: AppProjects and Applications (`argoproj.io/v1alpha1`) and
 * Secrets. It answers as the API server does: bearer token required (401), `Status` objects
 * for 404/403/409 with its messages, resourceVersion checks on replace, and an Application
 * with finalizers kept with a deletionTimestamp on delete (Argo CD removes it later).
 */
export class KubernetesApiDouble {
  readonly namespace: string;
  readonly #objects: Record<Resource, Map<string, any>> = {
    applications: new Map(),
    appprojects: new Map(),
    secrets: new Map(),
  };
  /** `verb resource` pairs the service account is not allowed, e.g. `list secrets`. */
  readonly forbidden = new Set<string>();
  readonly requests: Array<{ method: string; path: string }> = [];
  #version = 1;

  constructor(options: { namespace?: string } = {}) {
    this.namespace = options.namespace ?? 'argocd';
  }

  /** Tenants acme and globex: projects and project-scoped dev/staging/production clusters. */
  static seeded(
    options: {
      namespace?: string;
      sourceRepos?: (tenant: string) => string[];
    } = {},
  ): KubernetesApiDouble {
    const api = new KubernetesApiDouble(options);
    for (const tenant of ['acme', 'globex']) {
      api.putProject(
        buildTenantProject({
          tenant,
          sourceRepos: [
            `https://git.example.com/${tenant}/*`,
            ...(options.sourceRepos?.(tenant) ?? []),
          ],
        }),
      );
      for (const environment of ['dev', 'staging', 'production']) {
        const cluster = buildCluster({ tenant, environment });
        api.putSecret(
          clusterSecret({
            name: cluster.name,
            server: cluster.server,
            project: cluster.project,
            namespace: api.namespace,
          }),
        );
      }
    }
    return api;
  }

  #store(resource: Resource, object: any) {
    const stored = structuredClone(object);
    stored.metadata = {
      ...stored.metadata,
      namespace: this.namespace,
      resourceVersion: String(++this.#version),
      uid: stored.metadata.uid ?? `uid-${this.#version}`,
      creationTimestamp:
        stored.metadata.creationTimestamp ?? new Date().toISOString(),
    };
    this.#objects[resource].set(stored.metadata.name, stored);
    return stored;
  }

  putProject(project: AppProject) {
    this.#store('appprojects', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      ...project,
    });
  }

  getProject(name: string): AppProject | undefined {
    return structuredClone(this.#objects.appprojects.get(name));
  }

  deleteProject(name: string) {
    this.#objects.appprojects.delete(name);
  }

  putSecret(secret: ReturnType<typeof clusterSecret>) {
    this.#store('secrets', secret);
  }

  deleteSecret(name: string) {
    this.#objects.secrets.delete(name);
  }

  putApplication(app: Application) {
    this.#store('applications', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      ...app,
    });
  }

  getApplication(name: string): (Application & { kind: string }) | undefined {
    return structuredClone(this.#objects.applications.get(name));
  }

  /** What Argo CD does once it has deleted their resources: drops Applications being deleted. */
  finishDeletions(): void {
    for (const [name, app] of this.#objects.applications) {
      if (app.metadata.deletionTimestamp)
        this.#objects.applications.delete(name);
    }
  }

  listApplications(): Application[] {
    return [...this.#objects.applications.values()].map(a =>
      structuredClone(a),
    );
  }

  clearRequests() {
    this.requests.length = 0;
  }

  /** Requests other than reads. */
  writes(): string[] {
    return this.requests
      .filter(r => r.method !== 'GET')
      .map(r => `${r.method} ${r.path}`);
  }

  handlers(url = KUBERNETES_URL) {
    const ns = `${url}/apis/argoproj.io/v1alpha1/namespaces/:namespace`;
    const guard =
      (
        verb: string,
        resource: Resource,
        handle: (
          args: Parameters<HttpResponseResolver>[0] & {
            namespace: string;
          },
        ) => Response | Promise<Response>,
      ): HttpResponseResolver =>
      args => {
        const { request, params } = args;
        const path = new URL(request.url).pathname;
        this.requests.push({ method: request.method, path });
        if (
          request.headers.get('authorization') !== `Bearer ${KUBERNETES_TOKEN}`
        ) {
          return status(401, 'Unauthorized', 'Unauthorized');
        }
        const namespace = String(params.namespace);
        if (this.forbidden.has(`${verb} ${resource}`)) {
          return forbidden(verb, resource, namespace);
        }
        return handle({ ...args, namespace });
      };
    const inNamespace = (namespace: string) => namespace === this.namespace;

    return [
      http.get(
        `${ns}/appprojects/:name`,
        guard('get', 'appprojects', ({ params, namespace }) => {
          const name = String(params.name);
          const project = inNamespace(namespace)
            ? this.#objects.appprojects.get(name)
            : undefined;
          return project
            ? HttpResponse.json(project)
            : notFound('appprojects', name);
        }),
      ),
      http.get(
        `${ns}/applications/:name`,
        guard('get', 'applications', ({ params, namespace }) => {
          const name = String(params.name);
          const app = inNamespace(namespace)
            ? this.#objects.applications.get(name)
            : undefined;
          return app ? HttpResponse.json(app) : notFound('applications', name);
        }),
      ),
      http.post(
        `${ns}/applications`,
        guard('create', 'applications', async ({ request, namespace }) => {
          const body = (await request.json()) as any;
          const name = body?.metadata?.name;
          if (body?.kind !== 'Application' || !name) {
            return status(
              400,
              'BadRequest',
              'the body of the request was in an unknown format',
            );
          }
          if (
            body.metadata.namespace &&
            body.metadata.namespace !== namespace
          ) {
            return status(
              400,
              'BadRequest',
              'the namespace of the provided object does not match the namespace sent on the request',
            );
          }
          if (this.#objects.applications.has(name)) {
            return status(
              409,
              'AlreadyExists',
              `applications.argoproj.io "${name}" already exists`,
              { name, group: 'argoproj.io', kind: 'applications' },
            );
          }
          return HttpResponse.json(this.#store('applications', body), {
            status: 201,
          });
        }),
      ),
      http.put(
        `${ns}/applications/:name`,
        guard('update', 'applications', async ({ request, params }) => {
          const name = String(params.name);
          const body = (await request.json()) as any;
          const current = this.#objects.applications.get(name);
          if (!current) return notFound('applications', name);
          if (body?.metadata?.name !== name) {
            return status(
              400,
              'BadRequest',
              'the name of the object does not match the name on the URL',
            );
          }
          if (
            body.metadata.resourceVersion !== undefined &&
            body.metadata.resourceVersion !== current.metadata.resourceVersion
          ) {
            return status(
              409,
              'Conflict',
              `Operation cannot be fulfilled on applications.argoproj.io "${name}": the object has been modified; please apply your changes to the latest version and try again`,
              { name, group: 'argoproj.io', kind: 'applications' },
            );
          }
          return HttpResponse.json(
            this.#store('applications', {
              ...body,
              metadata: {
                ...body.metadata,
                uid: current.metadata.uid,
                creationTimestamp: current.metadata.creationTimestamp,
              },
              status: current.status,
            }),
          );
        }),
      ),
      http.delete(
        `${ns}/applications/:name`,
        guard('delete', 'applications', ({ params }) => {
          const name = String(params.name);
          const current = this.#objects.applications.get(name);
          if (!current) return notFound('applications', name);
          if (current.metadata.finalizers?.length) {
            // Kept until Argo CD has deleted its resources and removed the finalizer.
            current.metadata.deletionTimestamp ??= new Date().toISOString();
            return HttpResponse.json(current);
          }
          this.#objects.applications.delete(name);
          return HttpResponse.json(current);
        }),
      ),
      http.get(
        `${url}/api/v1/namespaces/:namespace/secrets`,
        guard('list', 'secrets', ({ request, namespace }) => {
          const selector = new URL(request.url).searchParams.get(
            'labelSelector',
          );
          const items = inNamespace(namespace)
            ? [...this.#objects.secrets.values()].filter(s =>
                matchesSelector(s.metadata.labels, selector),
              )
            : [];
          return HttpResponse.json({
            kind: 'SecretList',
            apiVersion: 'v1',
            metadata: { resourceVersion: String(this.#version) },
            items,
          });
        }),
      ),
    ];
  }
}

/** A seeded {@link KubernetesApiDouble} served by msw at {@link KUBERNETES_URL}. */
export function kubernetesWorld(
  server: SetupServer,
  options: { sourceRepos?: (tenant: string) => string[] } = {},
) {
  const api = KubernetesApiDouble.seeded(options);
  server.use(...api.handlers());
  return api;
}
