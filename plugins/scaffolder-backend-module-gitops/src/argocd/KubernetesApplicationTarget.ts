import {
  ConflictError,
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
} from '@kubernetes/client-node';
import type { AppProject, Application } from '@kupe/plugin-gitops-node';
import type {
  ApplicationScope,
  ApplicationTarget,
  RegisteredCluster,
} from './ApplicationTarget';

/** `gitops.scaffolder.kubernetes`: the management cluster Argo CD watches. */
export interface ManagementClusterConfig {
  url: string;
  token: string;
  caData?: string;
  skipTLSVerify?: boolean;
  /** Namespace of the Application resources; default `argocd`. */
  namespace?: string;
}

const GROUP = 'argoproj.io';
const VERSION = 'v1alpha1';
const PLURAL = 'applications';
const PROJECTS = 'appprojects';
/** Argo CD registers a cluster as a Secret with this label; `name` and `server` in its data. */
const CLUSTER_SECRET_SELECTOR = 'argocd.argoproj.io/secret-type=cluster';

/** One field of a Secret's data, decoded; undefined when absent. */
function secretField(
  data: Record<string, string> | undefined,
  key: string,
): string | undefined {
  const value = data?.[key];
  return value === undefined
    ? undefined
    : Buffer.from(value, 'base64').toString('utf8');
}

/** The `message` of a Kubernetes `Status` body, which client-node leaves as a raw string. */
function statusMessage(error: ApiException<unknown>): string {
  try {
    const body =
      typeof error.body === 'string' ? JSON.parse(error.body) : error.body;
    if (body && typeof body.message === 'string') return body.message;
  } catch {
    // not JSON: fall through to the HTTP code
  }
  return `HTTP ${error.code}`;
}

function mapError(error: unknown): Error {
  if (!(error instanceof ApiException)) return error as Error;
  const message = `Kubernetes API: ${statusMessage(error)}`;
  switch (error.code) {
    case 409:
      return new ConflictError(message);
    case 400:
    case 422:
      return new InputError(message);
    case 401:
      // client-node drops the body of a 401.
      return new NotAllowedError(
        'Kubernetes API: Unauthorized; check the token of gitops.scaffolder.kubernetes',
      );
    case 403:
      return new NotAllowedError(message);
    default:
      return new ServiceUnavailableError(message);
  }
}

/**
 * Argo CD's objects as resources in the management cluster, for platforms where the portal
 * may not call Argo CD's API: AppProjects and Applications (`argoproj.io/v1alpha1`) and the
 * cluster Secrets in Argo CD's namespace. Kubernetes RBAC does not know tenants, so the
 * project is checked here: an Application of another project is treated as missing (and is
 * never replaced: creating its name fails), a cluster scoped to another project as not
 * registered.
 */
export class KubernetesApplicationTarget implements ApplicationTarget {
  readonly appNamespace: string;
  readonly location: string;
  readonly #api: CustomObjectsApi;
  readonly #core: CoreV1Api;

  constructor(config: ManagementClusterConfig) {
    this.appNamespace = config.namespace ?? 'argocd';
    this.location = `the management cluster (namespace ${this.appNamespace})`;
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [
        {
          name: 'management',
          server: config.url,
          caData: config.caData,
          skipTLSVerify: config.skipTLSVerify ?? false,
        },
      ],
      users: [{ name: 'kupe-scaffolder', token: config.token }],
      contexts: [
        { name: 'management', cluster: 'management', user: 'kupe-scaffolder' },
      ],
      currentContext: 'management',
    });
    this.#api = kubeConfig.makeApiClient(CustomObjectsApi);
    this.#core = kubeConfig.makeApiClient(CoreV1Api);
  }

  async getProject(project: string, _tenant: string) {
    try {
      return (await this.#api.getNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace: this.appNamespace,
        plural: PROJECTS,
        name: project,
      })) as AppProject;
    } catch (error) {
      if (error instanceof ApiException && error.code === 404) return undefined;
      throw mapError(error);
    }
  }

  async listClusters(scope: ApplicationScope): Promise<RegisteredCluster[]> {
    let items;
    try {
      ({ items } = await this.#core.listNamespacedSecret({
        namespace: this.appNamespace,
        labelSelector: CLUSTER_SECRET_SELECTOR,
      }));
    } catch (error) {
      throw mapError(error);
    }
    // Only name, server and project are decoded: the rest (config) holds credentials.
    const clusters: RegisteredCluster[] = [];
    for (const secret of items) {
      const name = secretField(secret.data, 'name');
      const server = secretField(secret.data, 'server');
      const project = secretField(secret.data, 'project');
      if (!name || !server) continue;
      if (project && project !== scope.project) continue;
      clusters.push({ name, server });
    }
    return clusters;
  }

  async get(name: string, scope: ApplicationScope) {
    let app: Application;
    try {
      app = (await this.#api.getNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace: this.appNamespace,
        plural: PLURAL,
        name,
      })) as Application;
    } catch (error) {
      if (error instanceof ApiException && error.code === 404) return undefined;
      throw mapError(error);
    }
    // Not visible, as Argo CD answers for another project's app; a create of that name then
    // fails with the API server's AlreadyExists.
    if (app.spec?.project !== scope.project) return undefined;
    return app;
  }

  async isNameTakenElsewhere(name: string, scope: ApplicationScope) {
    try {
      const app = (await this.#api.getNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace: this.appNamespace,
        plural: PLURAL,
        name,
      })) as Application;
      return app.spec?.project !== scope.project;
    } catch (error) {
      if (error instanceof ApiException && error.code === 404) return false;
      throw mapError(error);
    }
  }

  async put(app: Application, scope: ApplicationScope & { upsert: boolean }) {
    const body = {
      apiVersion: `${GROUP}/${VERSION}`,
      kind: 'Application',
      metadata: { ...app.metadata, namespace: this.appNamespace },
      spec: app.spec,
    };
    try {
      const existing = scope.upsert
        ? await this.get(app.metadata.name!, scope)
        : undefined;
      if (existing) {
        await this.#api.replaceNamespacedCustomObject({
          group: GROUP,
          version: VERSION,
          namespace: this.appNamespace,
          plural: PLURAL,
          name: app.metadata.name!,
          body: {
            ...body,
            metadata: {
              ...body.metadata,
              resourceVersion: existing.metadata.resourceVersion,
            },
          },
        });
        return;
      }
      await this.#api.createNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace: this.appNamespace,
        plural: PLURAL,
        body,
      });
    } catch (error) {
      throw mapError(error);
    }
  }

  async delete(name: string, _scope: ApplicationScope) {
    try {
      await this.#api.deleteNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace: this.appNamespace,
        plural: PLURAL,
        name,
      });
    } catch (error) {
      if (error instanceof ApiException && error.code === 404) return;
      throw mapError(error);
    }
  }
}
