import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  type GitHostFactory,
  GitHubHost,
  argoCdServiceRef,
  gitOpsScaffolderGitHostExtensionPoint,
  gitOpsTenantResolverServiceRef,
  resolveGitHost,
} from '@kupe/plugin-gitops-node';
import { createArgoCdApplicationCreateAction } from './actions/argocdApplicationCreate';
import { createArgoCdApplicationWaitAction } from './actions/argocdApplicationWait';
import { createCatalogRegisterAction } from './actions/catalogRegister';
import { createGitOpsRepoCreateAction } from './actions/gitopsRepoCreate';
import { KubernetesApplicationTarget } from './argocd/KubernetesApplicationTarget';
import { readScaffolderConfig } from './readScaffolderConfig';

/**
 * Registers the `kupe:*` actions with the scaffolder.
 *
 * @public
 */
export const gitOpsScaffolderModule = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'gitops',
  register(reg) {
    // A scaffolder module on GitLab or Bitbucket installs its host here (GitHub by default).
    let gitHost: GitHostFactory | undefined;
    reg.registerExtensionPoint(gitOpsScaffolderGitHostExtensionPoint, {
      setGitHost(host) {
        if (gitHost) {
          throw new Error(
            'The Git host of the kupe actions can be set only once',
          );
        }
        gitHost = host;
      },
    });
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        argoCd: argoCdServiceRef,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        // One tenant resolver (and group cache) shared with the gitops plugin and the others.
        tenants: gitOpsTenantResolverServiceRef,
      },
      async init({ scaffolder, config, argoCd, catalog, auth, tenants }) {
        const integrations = ScmIntegrations.fromConfig(config);
        const github = resolveGitHost(gitHost, {
          integrations,
          getDefault: () => new GitHubHost(integrations),
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
            github,
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
