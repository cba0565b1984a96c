import {
  ConflictError,
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  ApiException,
  CustomObjectsApi,
  KubeConfig,
} from '@kubernetes/client-node';
import type { Application } from '@kupe/plugin-gitops-node';
import type { ApplicationScope, ApplicationStore } from './ApplicationStore';

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
    case 403:
      return new NotAllowedError(message);
    default:
      return new ServiceUnavailableError(message);
  }
}

/**
 * Applications as resources in the management cluster, for platforms where the portal may
 * not call Argo CD's API. Kubernetes RBAC does not know tenants, so the project is checked
 * here: an Application of another project is treated as someone else's.
 */
export class KubernetesApplicationStore implements ApplicationStore {
  readonly appNamespace: string;
  readonly #api: CustomObjectsApi;

  constructor(config: ManagementClusterConfig) {
    this.appNamespace = config.namespace ?? 'argocd';
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
    if (app.spec?.project !== scope.project) {
      throw new ConflictError(
        `An Application named ${name} already exists outside project ${scope.project}; choose another name`,
      );
    }
    return app;
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
