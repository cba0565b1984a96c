import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import type { GitHubHost } from '@kupe/plugin-gitops-node';
import type { Checkout } from './checkout';
import type { FourEyes, FourEyesRequest } from './FourEyes';

/** What one delivery carries: the committed checkout and how the pull request reads. */
export interface PullRequestDraft {
  branch: string;
  title: string;
  body: string;
  request: FourEyesRequest;
}

/**
 * Delivers a committed checkout: as a pull request from the portal's branch (found again,
 * not duplicated, on a re-run with the same content), or as a direct push to the tracked
 * branch where the environment allows it.
 */
export class PullRequestDelivery {
  readonly #github: GitHubHost;
  readonly #fourEyes: FourEyes | undefined;
  readonly #logger: LoggerService;

  constructor(options: {
    github: GitHubHost;
    fourEyes?: FourEyes;
    logger: LoggerService;
  }) {
    this.#github = options.github;
    this.#fourEyes = options.fourEyes;
    this.#logger = options.logger;
  }

  /** Whether pull requests can be opened for the repository (a GitHub integration covers it). */
  supports(repoUrl: string): boolean {
    return this.#github.supports(repoUrl);
  }

  /** A clear 409 when the host has no GitHub integration, naming what to do instead. */
  require(repoUrl: string, alternative: string): void {
    if (this.#github.supports(repoUrl)) return;
    let host = repoUrl;
    try {
      host = new URL(repoUrl).host || repoUrl;
    } catch {
      // keep the URL as given
    }
    throw new ConflictError(
      `Pull requests need a GitHub integration (integrations.github) for ${host}; ${alternative}`,
    );
  }

  /** Pushes HEAD to the draft's branch (unless it already holds this tree) and opens or finds the PR. */
  async pullRequest(
    checkout: Checkout,
    draft: PullRequestDraft,
  ): Promise<{ pullRequestUrl: string; commitSha: string }> {
    const { copy } = checkout;
    const localTree = await copy.treeOf('HEAD');
    // A re-run with the same content keeps the pushed branch (and its pull request) as it is.
    // Not when the base already holds the branch's commit: its pull request was merged (and
    // the change since reverted, say), and GitHub opens no pull request without new commits.
    const remote = await copy.remoteBranch(draft.branch);
    let commitSha = (await copy.head())!;
    if (
      remote?.tree === localTree &&
      !(await copy.isAncestor(remote.sha, checkout.head))
    ) {
      commitSha = remote.sha;
    } else {
      await copy.push(draft.branch, { force: true });
    }
    const pullRequestUrl = await this.#github.ensurePullRequest({
      repoUrl: checkout.repoUrl,
      head: draft.branch,
      base: checkout.branch,
      title: draft.title,
      body: draft.body,
    });
    if (this.#fourEyes) {
      // The requester is recorded on the commit, where only the portal's statuses count.
      const pull = await this.#github.openPullRequestOf(
        checkout.repoUrl,
        draft.branch,
      );
      if (pull)
        await this.#fourEyes.opened(checkout.repoUrl, pull, draft.request);
    }
    return { pullRequestUrl, commitSha };
  }

  /** Pushes the committed checkout to its tracked branch; a moved branch is a 409 to retry. */
  async directCommit(checkout: Checkout): Promise<void> {
    try {
      await checkout.copy.push(checkout.branch);
    } catch (error) {
      this.#logger.warn(
        `Direct commit to ${checkout.branch} of ${
          checkout.repoUrl
        } was rejected: ${(error as Error).message}`,
      );
      throw new ConflictError(
        `Branch ${checkout.branch} changed while the commit was prepared; try again`,
      );
    }
  }
}
