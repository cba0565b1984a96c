import { InputError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  type ScmIntegrationRegistry,
} from '@backstage/integration';
import { Octokit } from '@octokit/rest';

/**
 * Pull requests and repository creation on GitHub hosts of the `integrations` config, for
 * repositories whose default branch is protected. Other hosts take a direct push.
 */
export class GitHubPullRequests {
  readonly #integrations: ScmIntegrationRegistry;

  constructor(integrations: ScmIntegrationRegistry) {
    this.#integrations = integrations;
  }

  /** Whether the repository is on a configured GitHub host. */
  supports(repoUrl: string): boolean {
    try {
      return !!this.#integrations.github.byUrl(new URL(repoUrl));
    } catch {
      return false;
    }
  }

  async #client(repoUrl: string) {
    const integration = this.#integrations.github.byUrl(new URL(repoUrl));
    if (!integration)
      throw new InputError(`${repoUrl} is not on a GitHub host`);
    const [owner, repoWithSuffix] = new URL(repoUrl).pathname
      .replace(/^\/+/, '')
      .split('/');
    const repo = repoWithSuffix?.replace(/\.git$/, '');
    if (!owner || !repo) {
      throw new InputError(`${repoUrl} is not a GitHub repository URL`);
    }
    const { token } = await DefaultGithubCredentialsProvider.fromIntegrations(
      this.#integrations,
    ).getCredentials({ url: repoUrl });
    const octokit = new Octokit({
      auth: token,
      baseUrl: integration.config.apiBaseUrl,
    });
    return { octokit, owner, repo };
  }

  /** Creates a private repository in the owner organization. */
  async createRepository(repoUrl: string, description: string): Promise<void> {
    const { octokit, owner, repo } = await this.#client(repoUrl);
    await octokit.rest.repos.createInOrg({
      org: owner,
      name: repo,
      private: true,
      description,
    });
  }

  /** The open pull request from `head` into `base`, opened when there is none yet. */
  async openOrFind(options: {
    repoUrl: string;
    head: string;
    base: string;
    title: string;
    body: string;
  }): Promise<string> {
    const { octokit, owner, repo } = await this.#client(options.repoUrl);
    const open = await octokit.rest.pulls.list({
      owner,
      repo,
      state: 'open',
      head: `${owner}:${options.head}`,
      base: options.base,
    });
    if (open.data[0]) return open.data[0].html_url;
    const created = await octokit.rest.pulls.create({
      owner,
      repo,
      head: options.head,
      base: options.base,
      title: options.title,
      body: options.body,
    });
    return created.data.html_url;
  }
}
