import {
  DefaultGithubCredentialsProvider,
  type ScmIntegrationRegistry,
} from '@backstage/integration';
import type { GitCredentials } from './runGit';

/**
 * The credentials of the `integrations` entry for a repository URL, as git sends them over
 * HTTP. A host without an integration entry (a sandbox, a local mirror) is used anonymously.
 *
 * @public
 */
export async function resolveGitCredentials(
  integrations: ScmIntegrationRegistry,
  repoUrl: string,
): Promise<GitCredentials | undefined> {
  const url = new URL(repoUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;

  if (integrations.github.byUrl(url)) {
    const { token } = await DefaultGithubCredentialsProvider.fromIntegrations(
      integrations,
    ).getCredentials({ url: repoUrl });
    return token ? { username: 'x-access-token', password: token } : undefined;
  }
  const gitlab = integrations.gitlab.byUrl(url)?.config;
  if (gitlab) {
    return gitlab.token
      ? { username: 'oauth2', password: gitlab.token }
      : undefined;
  }
  const gitea = integrations.gitea.byUrl(url)?.config;
  if (gitea) {
    return gitea.password
      ? { username: gitea.username, password: gitea.password }
      : undefined;
  }
  const bitbucketServer = integrations.bitbucketServer.byUrl(url)?.config;
  if (bitbucketServer) {
    if (bitbucketServer.token) return { bearerToken: bitbucketServer.token };
    return bitbucketServer.password
      ? {
          username: bitbucketServer.username,
          password: bitbucketServer.password,
        }
      : undefined;
  }
  const bitbucketCloud = integrations.bitbucketCloud.byUrl(url)?.config;
  if (bitbucketCloud) {
    if (bitbucketCloud.token)
      return { username: 'x-token-auth', password: bitbucketCloud.token };
    return bitbucketCloud.appPassword
      ? {
          username: bitbucketCloud.username,
          password: bitbucketCloud.appPassword,
        }
      : undefined;
  }
  return undefined;
}
