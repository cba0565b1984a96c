import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import type { ArgoCdService } from '../client/ArgoCdClient';
import { DefaultArgoCdService } from './DefaultArgoCdService';

/**
 * The Argo CD clients of all configured instances. The backend plugin, the scaffolder module
 * and the search module all depend on this ref, so there is one client per instance per
 * plugin, and tests swap it for a fake with `createServiceFactory`.
 *
 * @public
 */
export const argoCdServiceRef = createServiceRef<ArgoCdService>({
  id: 'gitops.argocd',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig, logger: coreServices.logger },
      factory: ({ config, logger }) =>
        DefaultArgoCdService.fromConfig(config, { logger }),
    }),
});
