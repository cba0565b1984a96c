import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  gitOpsPermissions,
  parseApplicationResourceRef,
} from '@kupe/plugin-gitops-common';
import {
  type ApplicationEnvironmentRule,
  type CallerTenantsRule,
  type GitHostFactory,
  GitHubHost,
  type PromotionLayoutReader,
  argoCdServiceRef,
  gitOpsGitHostExtensionPoint,
  gitOpsPromotionLayoutExtensionPoint,
  gitOpsTenancyExtensionPoint,
  gitOpsTenantResolverServiceRef,
  resolveGitHost,
} from '@kupe/plugin-gitops-node';
import { readBackendOptions } from './config/BackendOptions';
import { ApplicationIndex } from './applicationIndex/ApplicationIndex';
import { RequestActivity } from './applicationIndex/RequestActivity';
import type { IndexedApplication } from './applicationIndex/IndexedApplication';
import {
  applicationPermissionRules,
  applicationResourceRef,
} from './permissions/applicationResource';
import { CatalogReviewers } from './gitOperations/CatalogReviewers';
import { GitOperations } from './gitOperations/GitOperations';
import { readGitOperationsOptions } from './gitOperations/GitOperationsOptions';
import { createRouter } from './router/createRouter';
import { ApplicationAccess } from './service/ApplicationAccess';
import { ApplicationDetails } from './service/ApplicationDetails';
import { SharedApplicationReads } from './service/SharedApplicationReads';
import { EntityApplications } from './service/EntityApplications';
import { TenantDirectory } from './service/TenantDirectory';
import { startValidation } from './rolloutValidation/startValidation';
import { startAutoSyncPauseReminder } from './automationPause/startAutoSyncPauseReminder';
import { DoraService } from './dora/DoraService';
import { startQuarantine } from './quarantine/startQuarantine';
import { TeamRecipients } from './notifications/TeamRecipients';

/**
 * The gitops backend plugin: the portal's only, tenant-scoped door to Argo CD.
 *
 * @public
 */
export const gitOpsPlugin = createBackendPlugin({
  pluginId: 'gitops',
  register(env) {
    // What modules of this plugin replace, kubernetes-backend style: one setter call each.
    let callerTenants: CallerTenantsRule | undefined;
    let environment: ApplicationEnvironmentRule | undefined;
    let gitHost: GitHostFactory | undefined;
    const layoutReaders: PromotionLayoutReader[] = [];
    const once = (what: string, isSet: boolean) => {
      if (isSet) throw new Error(`The gitops ${what} can be set only once`);
    };
    env.registerExtensionPoint(gitOpsTenancyExtensionPoint, {
      setCallerTenantsRule(rule) {
        once('caller-tenants rule', !!callerTenants);
        callerTenants = rule;
      },
      setEnvironmentRule(rule) {
        once('environment rule', !!environment);
        environment = rule;
      },
    });
    env.registerExtensionPoint(gitOpsGitHostExtensionPoint, {
      setGitHost(host) {
        once('Git host', !!gitHost);
        gitHost = host;
      },
    });
    env.registerExtensionPoint(gitOpsPromotionLayoutExtensionPoint, {
      addLayoutReader(reader) {
        if (layoutReaders.some(r => r.id === reader.id))
          throw new Error(`A promotion layout reader ${reader.id} exists`);
        layoutReaders.push(reader);
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        cache: coreServices.cache,
        lifecycle: coreServices.lifecycle,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        notifications: notificationService,
        argoCd: argoCdServiceRef,
        catalog: catalogServiceRef,
        tenantResolver: gitOpsTenantResolverServiceRef,
      },
      async init(deps) {
        const { config, logger, argoCd, catalog, cache, permissionsRegistry } =
          deps;
        const options = readBackendOptions(config, { logger });
        // The shared resolver (one group cache for the whole backend, see
        // gitOpsTenantResolverServiceRef) with this plugin's extension rules, if any.
        const tenants = deps.tenantResolver.withRules({
          callerTenants,
          environment,
        });

        // The plugin's requests in flight (counted by the router): the index's start-up
        // re-send lets them go first.
        const requests = new RequestActivity();
        const index = new ApplicationIndex({
          argoCd,
          naming: tenants.naming,
          // The resolver's environment rule, so index, card, search and policy agree.
          environmentOf: app => tenants.getApplicationEnvironment(app),
          options,
          logger,
          requests,
        });

        permissionsRegistry.addResourceType({
          resourceRef: applicationResourceRef,
          permissions: gitOpsPermissions.filter(p => p.type === 'resource'),
          rules: Object.values(applicationPermissionRules),
          getResources: async refs =>
            refs.map(ref => {
              const parsed = parseApplicationResourceRef(ref);
              if (!parsed) return undefined;
              try {
                return index
                  .instance(parsed.instance)
                  .get(parsed.appNamespace, parsed.name);
              } catch {
                return undefined;
              }
            }) as Array<IndexedApplication | undefined>,
        });
        permissionsRegistry.addPermissions(
          gitOpsPermissions.filter(p => p.type !== 'resource'),
        );

        const access = new ApplicationAccess({
          index,
          argoCd,
          tenants,
          permissions: deps.permissions,
          permissionsRegistry,
        });
        // Argo CD reads a page's requests share (an app's detail and its promotion preview).
        const reads = new SharedApplicationReads();
        const gitOperationsOptions = readGitOperationsOptions(config);
        const integrations = ScmIntegrations.fromConfig(config);
        const gitOperations = new GitOperations({
          index,
          access,
          integrations,
          // GitHub unless a module of this plugin installed another host.
          gitHost: resolveGitHost(gitHost, {
            integrations,
            getDefault: () => new GitHubHost(integrations),
          }),
          // Asked before the built-in layouts (kustomize, Helm, plain manifests).
          layoutReaders,
          reads,
          options: gitOperationsOptions,
          logger,
          reviewers: new CatalogReviewers({
            catalog,
            tenants,
            auth: deps.auth,
          }),
        });
        const details = new ApplicationDetails({
          cache,
          logger,
          options,
          ownFiles: (visible, app, revisions) =>
            gitOperations.ownFilesAt(visible, revisions, app),
          reads,
        });
        // Reviews happen on GitHub: their four-eyes statuses are decided again on a schedule.
        await deps.scheduler.scheduleTask({
          id: 'gitops-four-eyes',
          scope: 'global',
          frequency: {
            milliseconds: gitOperationsOptions.fourEyesCheckIntervalMs,
          },
          timeout: { minutes: 5 },
          initialDelay: {
            milliseconds: gitOperationsOptions.fourEyesCheckIntervalMs,
          },
          fn: async () => {
            const changed = await gitOperations.checkFourEyes();
            if (changed > 0)
              logger.info(
                `Four-eyes status changed on ${changed} pull requests`,
              );
          },
        });

        // Who hears about an app, for every notification: one owner cache per backend.
        const teams = new TeamRecipients({
          catalog,
          auth: deps.auth,
          tenants,
          logger: logger.child({ feature: 'notifications' }),
          defaultInstance: argoCd.listInstances()[0]?.name,
        });
        await startAutoSyncPauseReminder({ ...deps, tenants, index, teams });
        const { rollouts, deployments } = await startValidation({
          ...deps,
          teams,
          index,
        });
        const entityApplications = new EntityApplications({
          index,
          argoCd,
          tenants,
          access,
        });
        const { quarantines, quarantine } = await startQuarantine({
          ...deps,
          tenants,
          teams,
          index,
          access,
          entityApplications,
          details,
          gitOperations,
        });
        deps.httpRouter.use(
          await createRouter({
            requests,
            httpAuth: deps.httpAuth,
            auditor: deps.auditor,
            logger,
            catalog,
            argoCd,
            index,
            access,
            entityApplications,
            details,
            tenantDirectory: new TenantDirectory({
              argoCd,
              index,
              tenants,
              cache,
              logger,
              ttlMs: options.tenantsCacheTtlMs,
            }),
            gitOperations,
            rollouts,
            dora: new DoraService({
              index,
              access,
              entityApplications,
              tenants,
              rollouts,
              deployments,
              permissions: deps.permissions,
              details,
              quarantine,
            }),
            quarantines,
            quarantine,
            options,
            reads,
          }),
        );

        index.start();
        deps.lifecycle.addShutdownHook(() => index.stop());
        deps.lifecycle.addShutdownHook(() => gitOperations.close());
      },
    });
  },
});
