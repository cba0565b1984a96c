import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  type ScmIntegrationRegistry,
} from '@backstage/integration';
import { Octokit } from '@octokit/rest';

/** Owner and name of a repository on a GitHub host. */
export interface GitHubRepository {
  owner: string;
  repo: string;
}

/**
 * The GitHub hosts of the `integrations` config, through their REST API: creating
 * repositories and opening pull requests. Git itself (clone, push) goes through
 * {@link GitWorkingCopy} with {@link resolveGitCredentials}.
 */
export class GitHubHost {
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

  /** Owner and name from a clone or web URL on a GitHub host. */
  repositoryOf(repoUrl: string): GitHubRepository {
    const url = new URL(repoUrl);
    if (!this.#integrations.github.byUrl(url)) {
      throw new InputError(`${repoUrl} is not on a GitHub host`);
    }
    const [owner, repoWithSuffix, ...rest] = url.pathname
      .replace(/^\/+/, '')
      .replace(/\/+$/, '')
      .split('/');
    const repo = repoWithSuffix?.replace(/\.git$/, '');
    if (!owner || !repo || rest.length > 0) {
      throw new InputError(`${repoUrl} is not a GitHub repository URL`);
    }
    return { owner, repo };
  }

  async #client(repoUrl: string) {
    const { owner, repo } = this.repositoryOf(repoUrl);
    const integration = this.#integrations.github.byUrl(new URL(repoUrl))!;
    const { token } = await DefaultGithubCredentialsProvider.fromIntegrations(
      this.#integrations,
    ).getCredentials({ url: repoUrl });
    const octokit = new Octokit({
      auth: token,
      baseUrl: integration.config.apiBaseUrl,
    });
    return { octokit, owner, repo };
  }

  /**
   * Creates a private repository in the owner organization. GitHub answers 422 when the name
   * is taken, which for a repository git could not see means the token may not read it.
   */
  async createRepository(repoUrl: string, description: string): Promise<void> {
    const { octokit, owner, repo } = await this.#client(repoUrl);
    try {
      await octokit.rest.repos.createInOrg({
        org: owner,
        name: repo,
        private: true,
        description,
      });
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 422) {
        throw new ConflictError(
          `GitHub did not create ${owner}/${repo}: the name is taken, and the integration's credentials cannot read that repository`,
        );
      }
      if (status === 404) {
        throw new NotFoundError(
          `GitHub did not create ${owner}/${repo}: organization ${owner} does not exist or the integration's credentials cannot create repositories in it`,
        );
      }
      throw error;
    }
  }

  /**
   * The open pull request from branch `head` of the same repository into `base`, opened when
   * there is none yet; its web URL.
   */
  async ensurePullRequest(options: {
    repoUrl: string;
    head: string;
    base: string;
    title: string;
    body: string;
  }): Promise<string> {
    const { octokit, owner, repo } = await this.#client(options.repoUrl);
    const findOpen = async () => {
      const open = await octokit.rest.pulls.list({
        owner,
        repo,
        state: 'open',
        head: `${owner}:${options.head}`,
        base: options.base,
      });
      return open.data[0]?.html_url;
    };
    const existing = await findOpen();
    if (existing) return existing;
    try {
      const created = await octokit.rest.pulls.create({
        owner,
        repo,
        head: options.head,
        base: options.base,
        title: options.title,
        body: options.body,
      });
      return created.data.html_url;
    } catch (error) {
      // Another run opened it between the list and the create: GitHub answers 422.
      if ((error as { status?: number }).status === 422) {
        const raced = await findOpen();
        if (raced) return raced;
      }
      throw error;
    }
  }
}
