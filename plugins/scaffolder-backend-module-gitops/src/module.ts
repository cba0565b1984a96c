import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { TenantResolver, argoCdServiceRef } from '@kupe/plugin-gitops-node';
import { createGitopsRepoCreateAction } from './actions/gitopsRepoCreate';
import { GitHubPullRequests } from './git/GitHubPullRequests';

/** Registers the `kupe:*` actions with the scaffolder. */
export const gitopsScaffolderModule = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'gitops',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        argoCd: argoCdServiceRef,
        catalog: catalogServiceRef,
        userInfo: coreServices.userInfo,
        auth: coreServices.auth,
      },
      async init({ scaffolder, config, argoCd, catalog, userInfo, auth }) {
        const integrations = ScmIntegrations.fromConfig(config);
        const tenants = TenantResolver.fromConfig(config, {
          catalog,
          userInfo,
          auth,
        });
        scaffolder.addActions(
          createGitopsRepoCreateAction({
            integrations,
            argoCd,
            tenants,
            pullRequests: new GitHubPullRequests(integrations),
          }),
        );
      },
    });
  },
});
