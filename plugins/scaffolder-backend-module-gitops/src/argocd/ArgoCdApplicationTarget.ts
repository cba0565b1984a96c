import { NotAllowedError, NotFoundError } from '@backstage/errors';
import type { ArgoCdClient } from '@kupe/plugin-gitops-node';
import type {
  ApplicationScope,
  ApplicationTarget,
  RegisteredCluster,
} from './ApplicationTarget';

/** Argo CD objects through the Argo CD API, Applications in its control-plane namespace. */
export class ArgoCdApplicationTarget implements ApplicationTarget {
  readonly appNamespace = 'argocd';
  readonly location: string;
  readonly #client: ArgoCdClient;

  constructor(client: ArgoCdClient) {
    this.#client = client;
    this.location = `Argo CD instance ${client.instance.name}`;
  }

  async getProject(project: string, tenant: string) {
    try {
      return await this.#client.getProject(project, { tenant });
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  async listClusters(scope: ApplicationScope): Promise<RegisteredCluster[]> {
    // A tenant's token sees only the clusters its project role may get; an instance-wide token
    // sees all, so a cluster scoped to another project is left out here as well.
    const list = await this.#client.listClusters({ tenant: scope.tenant });
    return (list.items ?? [])
      .filter(c => !c.project || c.project === scope.project)
      .map(c => ({ name: c.name, server: c.server }));
  }

  async get(name: string, scope: ApplicationScope) {
    try {
      return await this.#client.getApplication(name, scope);
    } catch (error) {
      // With `project` given, Argo CD answers 404 both for "missing" and "another project's".
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  async isNameTakenElsewhere(name: string, scope: ApplicationScope) {
    try {
      // Without a project, an instance-wide token sees every project's Application.
      const app = await this.#client.getApplication(name, {
        tenant: scope.tenant,
      });
      return app.spec.project !== scope.project;
    } catch (error) {
      // A project token is refused (403) or told 404 for other projects: nothing to tell.
      if (error instanceof NotFoundError || error instanceof NotAllowedError) {
        return false;
      }
      throw error;
    }
  }

  async put(
    app: Parameters<ApplicationTarget['put']>[0],
    scope: ApplicationScope & { upsert: boolean },
  ) {
    await this.#client.createApplication(app, {
      upsert: scope.upsert,
      tenant: scope.tenant,
    });
  }

  async delete(name: string, scope: ApplicationScope) {
    await this.#client.deleteApplication(name, scope);
  }
}
