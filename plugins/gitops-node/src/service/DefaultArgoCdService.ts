import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import type {
  ArgoCdClient,
  ArgoCdInstanceConfig,
  ArgoCdInstanceInfo,
  ArgoCdService,
} from '../client/ArgoCdClient';
import { DefaultArgoCdClient } from '../client/DefaultArgoCdClient';
import { readArgoCdInstances } from './readArgoCdInstances';

/**
 * All configured Argo CD instances, one long-lived client each, so session tokens and
 * connection pools are shared by every caller in the plugin.
 *
 * @public
 */
export class DefaultArgoCdService implements ArgoCdService {
  readonly #clients: Map<string, ArgoCdClient>;

  static fromConfig(
    config: Config,
    options: { logger: LoggerService },
  ): DefaultArgoCdService {
    const instances = readArgoCdInstances(config, options);
    if (instances.length === 0) {
      options.logger.warn(
        'No Argo CD instance configured under gitops.instances',
      );
    }
    return new DefaultArgoCdService(instances, options);
  }

  constructor(
    instances: ArgoCdInstanceConfig[],
    options: { logger?: LoggerService } = {},
  ) {
    this.#clients = new Map();
    for (const instance of instances) {
      if (this.#clients.has(instance.name)) {
        throw new Error(
          `Argo CD instance name "${instance.name}" is used more than once`,
        );
      }
      this.#clients.set(
        instance.name,
        new DefaultArgoCdClient(instance, {
          logger: options.logger?.child({ argocdInstance: instance.name }),
        }),
      );
    }
  }

  listInstances(): ArgoCdInstanceInfo[] {
    return [...this.#clients.values()].map(client => ({ ...client.instance }));
  }

  forInstance(name: string): ArgoCdClient {
    const client =
      typeof name === 'string' ? this.#clients.get(name) : undefined;
    if (!client) {
      const shown =
        typeof name === 'string'
          ? JSON.stringify(name.slice(0, 80))
          : String(name);
      throw new NotFoundError(`No Argo CD instance named ${shown}`);
    }
    return client;
  }
}
