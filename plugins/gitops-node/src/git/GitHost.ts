/**
 * Owner and name of a repository on a Git host.
 *
 * @public
 */
export interface GitHostRepository {
  owner: string;
  repo: string;
}

/**
 * A commit status (GitHub) or pipeline status (other hosts) on one commit.
 *
 * @public
 */
export interface GitHostCommitStatus {
  context: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  description?: string;
  /** Login of whoever set it. */
  creator?: string;
  createdAt: string;
}

/**
 * An open pull request (a merge request on GitLab), as the portal's checks read it.
 *
 * @public
 */
export interface GitHostPullRequest {
  number: number;
  htmlUrl: string;
  author?: string;
  headRef: string;
  headSha: string;
  base: string;
}

/**
 * A submitted review of a pull request.
 *
 * @public
 */
export interface GitHostReview {
  user?: string;
  /** `APPROVED`, `CHANGES_REQUESTED`, `COMMENTED` or `DISMISSED`, as GitHub spells them. */
  state: string;
  commitId?: string;
}

/**
 * What Kupe GitOps asks of the host of its GitOps repositories beyond Git itself (clone and
 * push go through `GitWorkingCopy`): creating repositories, pull requests, reviews and commit
 * statuses. `GitHubHost` is the default; a platform on GitLab or Bitbucket implements this
 * and installs it through `gitOpsScaffolderGitHostExtensionPoint` (the scaffolder actions).
 *
 * Every method that takes a `repoUrl` is called only for URLs where `supports` said yes, and
 * must refuse (`InputError`) one that is not on the host rather than talk to another host.
 *
 * @public
 */
export interface GitHost {
  /** Whether the repository is on a host this implementation serves (with credentials). */
  supports(repoUrl: string): boolean;
  /** Owner (organization, group, workspace) and name from a clone or web URL. */
  repositoryOf(repoUrl: string): GitHostRepository;
  /** Creates a private repository; `ConflictError` when the name is taken. */
  createRepository(repoUrl: string, description: string): Promise<void>;
  /** The login the host's credentials act as. */
  login(repoUrl: string): Promise<string>;
  /** Sets a status on commit `sha`; the login that set it. */
  setCommitStatus(
    repoUrl: string,
    sha: string,
    status: {
      context: string;
      state: GitHostCommitStatus['state'];
      description: string;
      targetUrl?: string;
    },
  ): Promise<string | undefined>;
  /** The statuses of a commit, newest first. */
  commitStatuses(repoUrl: string, sha: string): Promise<GitHostCommitStatus[]>;
  /** The repository's open pull requests. */
  openPullRequests(repoUrl: string): Promise<GitHostPullRequest[]>;
  /** The open pull request of branch `head`, if any. */
  openPullRequestOf(
    repoUrl: string,
    head: string,
  ): Promise<GitHostPullRequest | undefined>;
  /** The submitted reviews of a pull request, oldest first. */
  reviews(repoUrl: string, pull: number): Promise<GitHostReview[]>;
  /**
   * The open pull request from branch `head` into `base`, opened when there is none yet (and
   * found again, not duplicated, on a re-run); its web URL.
   */
  ensurePullRequest(options: {
    repoUrl: string;
    head: string;
    base: string;
    title: string;
    body: string;
  }): Promise<string>;
}
