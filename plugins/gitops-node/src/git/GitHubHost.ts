import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  type ScmIntegrationRegistry,
} from '@backstage/integration';
import { Octokit } from '@octokit/rest';
import type {
  GitHost,
  GitHostCommitStatus,
  GitHostPullRequest,
  GitHostRepository,
  GitHostReview,
} from './GitHost';

/**
 * Owner and name of a repository on a GitHub host.
 *
 * @public
 */
export type GitHubRepository = GitHostRepository;

// Pages of 100 up to this many: bounds one check of a repository with very many items.
const MAX_PAGES = 10;

/** Every item of a paged GitHub list, page by page until a short page. */
async function allPages<T>(
  fetchPage: (page: number) => Promise<{ data: T[] }>,
): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { data } = await fetchPage(page);
    items.push(...data);
    if (data.length < 100) break;
  }
  return items;
}

/**
 * A commit status as GitHub lists it.
 *
 * @public
 */
export type GitHubCommitStatus = GitHostCommitStatus;

/**
 * An open pull request, as the portal's checks read it.
 *
 * @public
 */
export type GitHubPullRequest = GitHostPullRequest;

/**
 * A submitted review of a pull request.
 *
 * @public
 */
export type GitHubReview = GitHostReview;

/*
 * The registry lives outside the class, and the class has no private members, so that the
 * type `GitHubHost` is exactly its public methods, those of GitHost: code still typed
 * `GitHubHost` (the promotion delivery, the repository action) accepts another host that a
 * module installs, without a cast.
 */
const integrationsOf = new WeakMap<GitHubHost, ScmIntegrationRegistry>();

/**
 * The GitHub hosts of the `integrations` config, through their REST API: creating
 * repositories and opening pull requests. Git itself (clone, push) goes through
 * {@link GitWorkingCopy} with {@link resolveGitCredentials}. The default {@link GitHost}.
 *
 * @public
 */
export class GitHubHost implements GitHost {
  constructor(integrations: ScmIntegrationRegistry) {
    integrationsOf.set(this, integrations);
  }

  /** Whether the repository is on a configured GitHub host. */
  supports(repoUrl: string): boolean {
    try {
      return !!integrationsOf.get(this)!.github.byUrl(new URL(repoUrl));
    } catch {
      return false;
    }
  }

  /** Owner and name from a clone or web URL on a GitHub host. */
  repositoryOf(repoUrl: string): GitHubRepository {
    const url = new URL(repoUrl);
    if (!integrationsOf.get(this)!.github.byUrl(url)) {
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

  /**
   * Creates a private repository in the owner organization. GitHub answers 422 when the name
   * is taken, which for a repository git could not see means the token may not read it.
   */
  async createRepository(repoUrl: string, description: string): Promise<void> {
    const { octokit, owner, repo } = await githubClient(this, repoUrl);
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

  /** The login the integration's credentials act as (`GET /user`). */
  async login(repoUrl: string): Promise<string> {
    const { octokit } = await githubClient(this, repoUrl);
    return (await octokit.rest.users.getAuthenticated()).data.login;
  }

  /** Sets a commit status on `sha` (a full SHA of the repository); the login that set it. */
  async setCommitStatus(
    repoUrl: string,
    sha: string,
    status: {
      context: string;
      state: GitHubCommitStatus['state'];
      description: string;
      targetUrl?: string;
    },
  ): Promise<string | undefined> {
    const { octokit, owner, repo } = await githubClient(this, repoUrl);
    const { data } = await octokit.rest.repos.createCommitStatus({
      owner,
      repo,
      sha,
      context: status.context,
      state: status.state,
      // GitHub refuses descriptions over 140 characters.
      description:
        status.description.length > 140
          ? `${status.description.slice(0, 139)}…`
          : status.description,
      ...(status.targetUrl ? { target_url: status.targetUrl } : {}),
    });
    return data.creator?.login;
  }

  /** The statuses of a commit, newest first. */
  async commitStatuses(
    repoUrl: string,
    sha: string,
  ): Promise<GitHubCommitStatus[]> {
    const { octokit, owner, repo } = await githubClient(this, repoUrl);
    const statuses = await allPages(page =>
      octokit.rest.repos.listCommitStatusesForRef({
        owner,
        repo,
        ref: sha,
        per_page: 100,
        page,
      }),
    );
    return statuses.map(s => ({
      context: s.context,
      state: s.state as GitHubCommitStatus['state'],
      ...(s.description ? { description: s.description } : {}),
      ...(s.creator?.login ? { creator: s.creator.login } : {}),
      createdAt: s.created_at,
    }));
  }

  /** The repository's open pull requests. */
  async openPullRequests(repoUrl: string): Promise<GitHubPullRequest[]> {
    const { octokit, owner, repo } = await githubClient(this, repoUrl);
    const pulls = await allPages(page =>
      octokit.rest.pulls.list({
        owner,
        repo,
        state: 'open',
        per_page: 100,
        page,
      }),
    );
    return pulls.map(p => ({
      number: p.number,
      htmlUrl: p.html_url,
      ...(p.user?.login ? { author: p.user.login } : {}),
      headRef: p.head.ref,
      headSha: p.head.sha,
      base: p.base.ref,
    }));
  }

  /** The open pull request of `head` (a branch of the repository), if any. */
  async openPullRequestOf(
    repoUrl: string,
    head: string,
  ): Promise<GitHubPullRequest | undefined> {
    const { octokit, owner, repo } = await githubClient(this, repoUrl);
    const { data } = await octokit.rest.pulls.list({
      owner,
      repo,
      state: 'open',
      head: `${owner}:${head}`,
    });
    const p = data[0];
    return p
      ? {
          number: p.number,
          htmlUrl: p.html_url,
          ...(p.user?.login ? { author: p.user.login } : {}),
          headRef: p.head.ref,
          headSha: p.head.sha,
          base: p.base.ref,
        }
      : undefined;
  }

  /** The submitted reviews of a pull request, oldest first. */
  async reviews(repoUrl: string, pull: number): Promise<GitHubReview[]> {
    const { octokit, owner, repo } = await githubClient(this, repoUrl);
    const reviews = await allPages(page =>
      octokit.rest.pulls.listReviews({
        owner,
        repo,
        pull_number: pull,
        per_page: 100,
        page,
      }),
    );
    return reviews.map(r => ({
      ...(r.user?.login ? { user: r.user.login } : {}),
      state: r.state,
      ...(r.commit_id ? { commitId: r.commit_id } : {}),
    }));
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
    const { octokit, owner, repo } = await githubClient(this, options.repoUrl);
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

/** An authenticated Octokit for the repository's host, with its owner and name. */
async function githubClient(host: GitHubHost, repoUrl: string) {
  const integrations = integrationsOf.get(host)!;
  const { owner, repo } = host.repositoryOf(repoUrl);
  const integration = integrations.github.byUrl(new URL(repoUrl))!;
  const { token } = await DefaultGithubCredentialsProvider.fromIntegrations(
    integrations,
  ).getCredentials({ url: repoUrl });
  const octokit = new Octokit({
    auth: token,
    baseUrl: integration.config.apiBaseUrl,
  });
  return { octokit, owner, repo };
}
