import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  searchEngineRegistryExtensionPoint,
  searchIndexRegistryExtensionPoint,
} from '@backstage/plugin-search-backend-node/alpha';
import {
  type ArgoCdApplicationDocumentTransformer,
  argoCdServiceRef,
  gitOpsSearchDocumentTransformerExtensionPoint,
  gitOpsTenantResolverServiceRef,
} from '@kupe/plugin-gitops-node';
import { ArgoCdApplicationCollatorFactory } from './collators/ArgoCdApplicationCollatorFactory';
import type { ArgoCdApplicationDocument } from './collators/ArgoCdApplicationDocument';
import { readScheduleConfigOptions } from './collators/config';
import { readRunningQuarantines } from './collators/readRunningQuarantines';
import { registerExactMatchSearch } from './exactMatch/registerExactMatchSearch';

/**
 * Indexes every Argo CD Application for search, as `argocd-application` documents.
 *
 * @public
 */
export const searchModuleGitOpsCollator = createBackendModule({
  pluginId: 'search',
  moduleId: 'gitops-collator',
  register(env) {
    // A search module customises the documents here, like the catalog collator's transformer.
    let transformer: ArgoCdApplicationDocumentTransformer | undefined;
    env.registerExtensionPoint(gitOpsSearchDocumentTransformerExtensionPoint, {
      setDocumentTransformer(next) {
        if (transformer) {
          throw new Error(
            'The gitops search document transformer can be set only once',
          );
        }
        transformer = next;
      },
    });
    env.registerInit({
      deps: {
        argoCd: argoCdServiceRef,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        scheduler: coreServices.scheduler,
        indexRegistry: searchIndexRegistryExtensionPoint,
        // A version, image or cluster searched for finds exactly the apps running it.
        engineRegistry: searchEngineRegistryExtensionPoint,
        // The tenant rules shared with the gitops plugin: naming patterns and environments.
        tenants: gitOpsTenantResolverServiceRef,
      },
      async init(deps) {
        if (!registerExactMatchSearch(deps.engineRegistry, deps.logger)) {
          deps.logger.warn(
            'Exact search for versions, images and clusters is off: this search plugin release offers no engine to wrap',
          );
        }
        const { config, scheduler, indexRegistry, tenants } = deps;
        const transformDocument = (
          document: ArgoCdApplicationDocument,
          context: Parameters<ArgoCdApplicationDocumentTransformer>[1],
        ): ArgoCdApplicationDocument => {
          // The resolver's environment rule (the built-in one unless its service factory was
          // replaced) decides the environment, as it does for the gitops plugin.
          const withEnvironment = {
            ...document,
            environment: tenants.getApplicationEnvironment(context.app) ?? '',
          };
          return transformer
            ? { ...document, ...transformer(withEnvironment, context) }
            : withEnvironment;
        };
        indexRegistry.addCollator({
          schedule: scheduler.createScheduledTaskRunner(
            readScheduleConfigOptions(config),
          ),
          factory: ArgoCdApplicationCollatorFactory.fromConfig(config, {
            argoCd: deps.argoCd,
            catalog: deps.catalog,
            auth: deps.auth,
            logger: deps.logger,
            tenantNaming: tenants.naming,
            // Documents of apps that run a quarantined version say so.
            runningQuarantines: readRunningQuarantines(deps),
            transformDocument,
          }),
        });
      },
    });
  },
});
