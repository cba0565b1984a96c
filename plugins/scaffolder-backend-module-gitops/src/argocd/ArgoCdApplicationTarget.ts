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
      // Asked with the instance's own credentials (the ones the portal's index lists every
      // Application with), not the tenant's project token: Argo CD answers a project token 403
      // for another project's Application, so that check would pass and the name would only
      // collide at create, after the run's first step wrote the repository. Only a yes/no
      // leaves this method; nothing of the other tenant's Application reaches the user.
      const app = await this.#client.getApplication(name, {});
      return app.spec.project !== scope.project;
    } catch (error) {
      // 404: free. 403: the instance's credentials may not read every project either; then
      // Argo CD's own refusal at create is the last word, as for a race with another run.
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
