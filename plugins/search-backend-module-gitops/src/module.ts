import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { TenantResolver, argoCdServiceRef } from '@kupe/plugin-gitops-node';
import { ArgoCdApplicationCollatorFactory } from './collators/ArgoCdApplicationCollatorFactory';
import { readScheduleConfigOptions } from './collators/config';

/** Indexes every Argo CD Application for search, as `argocd-application` documents. */
export const searchModuleGitOpsCollator = createBackendModule({
  pluginId: 'search',
  moduleId: 'gitops-collator',
  register(env) {
    env.registerInit({
      deps: {
        argoCd: argoCdServiceRef,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        scheduler: coreServices.scheduler,
        indexRegistry: searchIndexRegistryExtensionPoint,
      },
      async init(deps) {
        const { config, scheduler, indexRegistry } = deps;
        // The naming patterns come from `gitops.tenancy`, read the same way the backend does.
        const { naming } = TenantResolver.fromConfig(config, {
          catalog: deps.catalog,
          userInfo: deps.userInfo,
          auth: deps.auth,
        });
        indexRegistry.addCollator({
          schedule: scheduler.createScheduledTaskRunner(
            readScheduleConfigOptions(config),
          ),
          factory: ArgoCdApplicationCollatorFactory.fromConfig(config, {
            argoCd: deps.argoCd,
            catalog: deps.catalog,
            auth: deps.auth,
            logger: deps.logger,
            tenantNaming: naming,
          }),
        });
      },
    });
  },
});
