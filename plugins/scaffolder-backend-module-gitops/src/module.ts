import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  GitHubHost,
  TenantResolver,
  argoCdServiceRef,
} from '@kupe/plugin-gitops-node';
import { createArgoCdApplicationCreateAction } from './actions/argocdApplicationCreate';
import { createArgoCdApplicationWaitAction } from './actions/argocdApplicationWait';
import { createCatalogRegisterAction } from './actions/catalogRegister';
import { createGitOpsRepoCreateAction } from './actions/gitopsRepoCreate';
import { KubernetesApplicationTarget } from './argocd/KubernetesApplicationTarget';
import { readScaffolderConfig } from './readScaffolderConfig';

/** Registers the `kupe:*` actions with the scaffolder. */
export const gitOpsScaffolderModule = createBackendModule({
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
        const settings = readScaffolderConfig(config);
        const kubernetes = settings.kubernetes;
        // Without it, each action reads and writes through the chosen Argo CD instance's API.
        const kubernetesTarget = kubernetes
          ? new KubernetesApplicationTarget(kubernetes)
          : undefined;
        const target = kubernetesTarget ? () => kubernetesTarget : undefined;
        scaffolder.addActions(
          createGitOpsRepoCreateAction({
            integrations,
            argoCd,
            tenants,
            target,
            github: new GitHubHost(integrations),
            catalog,
            auth,
          }),
          createArgoCdApplicationCreateAction({
            argoCd,
            tenants,
            target,
          }),
          createArgoCdApplicationWaitAction({ argoCd, tenants, target }),
          createCatalogRegisterAction({ catalog }),
        );
      },
    });
  },
});
