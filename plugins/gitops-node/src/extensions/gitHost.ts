import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import type { GitHost } from '../git/GitHost';

/**
 * A Git host, or a factory of one that gets the `integrations` config and the default host
 * (GitHub), for example to serve GitLab URLs itself and hand the rest to GitHub.
 *
 * @public
 */
export type GitHostFactory =
  | GitHost
  | ((context: {
      integrations: ScmIntegrationRegistry;
      getDefault(): GitHost;
    }) => GitHost);

/**
 * Replaces the host of the GitOps repositories (GitHub by default): where pull requests,
 * reviews, commit statuses and new repositories are made.
 *
 * @public
 */
export interface GitOpsGitHostExtensionPoint {
  /** Installs the host; one module may set it. */
  setGitHost(host: GitHostFactory): void;
}

/**
 * The Git host of the gitops backend plugin (promotion and rollback pull requests, four-eyes
 * statuses), for modules of the gitops plugin.
 *
 * @public
 */
export const gitOpsGitHostExtensionPoint =
  createExtensionPoint<GitOpsGitHostExtensionPoint>({ id: 'gitops.git-host' });

/**
 * The Git host of the `kupe:*` scaffolder actions (repository creation and pull requests),
 * for modules of the scaffolder plugin. Separate from {@link gitOpsGitHostExtensionPoint}
 * because an extension point belongs to one plugin.
 *
 * @public
 */
export const gitOpsScaffolderGitHostExtensionPoint =
  createExtensionPoint<GitOpsGitHostExtensionPoint>({
    id: 'scaffolder.gitops.git-host',
  });

/**
 * Resolves what a module set, or the default when none did.
 *
 * @public
 */
export function resolveGitHost(
  host: GitHostFactory | undefined,
  context: { integrations: ScmIntegrationRegistry; getDefault(): GitHost },
): GitHost {
  if (!host) return context.getDefault();
  return typeof host === 'function' ? host(context) : host;
}
