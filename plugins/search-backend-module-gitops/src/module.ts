import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  searchEngineRegistryExtensionPoint,
  searchIndexRegistryExtensionPoint,
} from '@backstage/plugin-search-backend-node/alpha';
import { TenantResolver, argoCdServiceRef } from '@kupe/plugin-gitops-node';
import { ArgoCdApplicationCollatorFactory } from './collators/ArgoCdApplicationCollatorFactory';
import { readScheduleConfigOptions } from './collators/config';
import { registerExactMatchSearch } from './exactMatch/registerExactMatchSearch';

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
        // A version, image or cluster searched for finds exactly the apps running it.
        engineRegistry: searchEngineRegistryExtensionPoint,
      },
      async init(deps) {
        if (!registerExactMatchSearch(deps.engineRegistry, deps.logger)) {
          deps.logger.warn(
            'Exact search for versions, images and clusters is off: this search plugin release offers no engine to wrap',
          );
        }
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
