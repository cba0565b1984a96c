import { NotFoundError } from '@backstage/errors';
import type { Application, ArgoCdClient } from '@kupe/plugin-gitops-node';
import type { ApplicationScope, ApplicationStore } from './ApplicationStore';

/** Applications through the Argo CD API, in its control-plane namespace. */
export class ArgoCdApplicationStore implements ApplicationStore {
  readonly appNamespace = 'argocd';
  readonly #client: ArgoCdClient;

  constructor(client: ArgoCdClient) {
    this.#client = client;
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

  async put(app: Application, scope: ApplicationScope & { upsert: boolean }) {
    await this.#client.createApplication(app, {
      upsert: scope.upsert,
      tenant: scope.tenant,
    });
  }

  async delete(name: string, scope: ApplicationScope) {
    await this.#client.deleteApplication(name, scope);
  }
}
