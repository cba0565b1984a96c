import { join } from 'node:path';
import { BareGitRepository, type ChangedFile } from './bareRepository';
import { CODEOWNERS_LOCATIONS, Codeowners } from './codeowners';
import { GITHUB_DOCS, GitHubApiError } from './GitHubApiError';

/**
 * A user of the fake GitHub server.
 *
 * @public
 */
export interface GitHubFakeUser {
  login: string;
  /** Tokens that authenticate as this user (`Authorization: token X` or `Bearer X`). */
  tokens?: string[];
  name?: string;
  email?: string;
  /** `Bot` for service accounts (GitHub Apps act as `<app>[bot]`). Default `User`. */
  type?: 'User' | 'Bot';
  /** Site administrator of the (Enterprise) server: reads and writes every repository. */
  siteAdmin?: boolean;
}

/**
 * An organization: its members read and write its repositories and may create new ones.
 *
 * @public
 */
export interface GitHubFakeOrganization {
  login: string;
  members: string[];
  /** Team slug → member logins, for CODEOWNERS owners written `@org/team`. */
  teams?: Record<string, string[]>;
}

/**
 * Branch protection, the part that decides whether a pull request may be merged: GitHub's
 * "Require a pull request before merging" with its required approvals, "Require review from
 * Code Owners" and "Dismiss stale pull request approvals when new commits are pushed".
 *
 * @public
 */
export interface GitHubFakeBranchProtection {
  /** Approving reviews needed from users with write access other than the author. Default 0. */
  requiredApprovingReviewCount?: number;
  /**
   * Each changed file that CODEOWNERS (read at the base branch) gives an owner needs an
   * approval from one of its owners.
   */
  requireCodeOwnerReviews?: boolean;
  /** Only approvals of the current head commit count. */
  dismissStaleReviews?: boolean;
  /**
   * "Require status checks to pass before merging": each context needs a `success` commit
   * status on the pull request's head commit, its latest one for that context. `source` pins
   * the check to statuses set by that login (GitHub's "expected source", a GitHub App), so
   * anyone else with write access setting the context counts for nothing.
   */
  requiredStatusChecks?: Array<{ context: string; source?: string }>;
}

/**
 * Options of a `GitHubFake`: where its bare repositories live, its web and API URLs, its users and organizations, and its clock.
 *
 * @public
 */
export interface GitHubFakeOptions {
  /** Bare repositories live at `<repositoriesRoot>/<owner>/<repo>.git`. */
  repositoriesRoot: string;
  /** Web origin: `html_url` is `<webUrl>/<owner>/<repo>`, `clone_url` `<webUrl>/<owner>/<repo>.git`. */
  webUrl: string;
  /** REST API base; default `<webUrl>/api/v3` (GitHub Enterprise Server's layout). */
  apiBaseUrl?: string;
  users: GitHubFakeUser[];
  organizations: GitHubFakeOrganization[];
  now?: () => Date;
}

/**
 * One request the fake answered, for "was GitHub called?" assertions.
 *
 * @public
 */
export interface GitHubFakeRequestRecord {
  method: string;
  /** Path below the API base, e.g. `/repos/acme/gitops/pulls`. */
  path: string;
  search: string;
  login?: string;
  status: number;
}

interface RepositoryMeta {
  id: number;
  private: boolean;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}

interface PullRecord {
  id: number;
  number: number;
  title: string;
  body: string | null;
  head: string;
  base: string;
  author: string;
  draft: boolean;
  state: 'open' | 'closed';
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  /** The head commit last seen, kept for when the head branch is deleted. */
  lastHeadSha: string;
  /** Frozen when the pull request closes. */
  closedHeadSha?: string;
  closedBaseSha?: string;
}

interface PushRefusal {
  message: string;
  ref?: string;
}

interface StatusRecord {
  id: number;
  state: 'error' | 'failure' | 'pending' | 'success';
  context: string;
  description: string | null;
  targetUrl: string | null;
  creator: string;
  createdAt: string;
}

interface ReviewRecord {
  id: number;
  user: string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'PENDING';
  body: string;
  commitId: string;
  submittedAt: string;
}

/**
 * A JSON object as the GitHub REST API answers it.
 *
 * @public
 */
export type Json = Record<string, unknown>;

const DOCS = {
  createRepo: `${GITHUB_DOCS}/repos/repos#create-an-organization-repository`,
  getRepo: `${GITHUB_DOCS}/repos/repos#get-a-repository`,
  contents: `${GITHUB_DOCS}/repos/contents#get-repository-content`,
  createPull: `${GITHUB_DOCS}/pulls/pulls#create-a-pull-request`,
  listPulls: `${GITHUB_DOCS}/pulls/pulls#list-pull-requests`,
  getPull: `${GITHUB_DOCS}/pulls/pulls#get-a-pull-request`,
  updatePull: `${GITHUB_DOCS}/pulls/pulls#update-a-pull-request`,
  pullFiles: `${GITHUB_DOCS}/pulls/pulls#list-pull-requests-files`,
  merge: `${GITHUB_DOCS}/pulls/pulls#merge-a-pull-request`,
  createReview: `${GITHUB_DOCS}/pulls/reviews#create-a-review-for-a-pull-request`,
  listReviews: `${GITHUB_DOCS}/pulls/reviews#list-reviews-for-a-pull-request`,
  createStatus: `${GITHUB_DOCS}/commits/statuses#create-a-commit-status`,
  listStatuses: `${GITHUB_DOCS}/commits/statuses#list-commit-statuses-for-a-reference`,
  combinedStatus: `${GITHUB_DOCS}/commits/statuses#get-the-combined-status-for-a-specific-reference`,
  user: `${GITHUB_DOCS}/users/users#get-the-authenticated-user`,
};

/** GitHub's repository names: letters, digits, `-`, `_`, `.`; not `.`/`..`, no `.git` suffix. */
const REPO_NAME = /^[A-Za-z0-9_.-]{1,100}$/;
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
/** Branch names as git's check-ref-format allows them, minus what a URL would mangle. */
const BRANCH =
  /^(?!\/|.*\/\/|.*\/$|.*\.\.|.*@\{|.*\.lock$|.*\.$)[A-Za-z0-9._/-]+$/;

function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-github-media-type': 'github.v3; format=json',
      ...headers,
    },
  });
}

/**
 * A contract-true double of the part of GitHub's REST API that Kupe uses (repositories,
 * pull requests, reviews, merges, file contents), backed by REAL bare git repositories under
 * `repositoriesRoot`: a repository created through the API is one git can clone and push to
 * when the directory is served over smart HTTP, and a merge is a real merge commit on the base
 * branch that every later fetch sees.
 *
 * Answers as GitHub does: the status codes and `message`/`errors`/`documentation_url` bodies of
 * GitHub's REST API, `application/json; charset=utf-8`, 401 without a known token, 404 (never
 * 403) for private repositories the user cannot read.
 *
 * Approximations, documented: pull requests only from branches of the same repository (no
 * forks); access is "organization member or site admin" (no per-repository permissions, no
 * outside collaborators); branch protection covers required approvals, code owner reviews
 * (CODEOWNERS at the base branch, see {@link codeownersPatternRegex}) and stale approvals, and
 * is enforced on `git push` by the git server asking {@link GitHubFake.checkPush}; `rebase`
 * merges are
 * disabled as a repository setting would; `mergeable` is computed at once (never `null`
 * while "computing").
 *
 * @public
 */
export class GitHubFake {
  readonly webUrl: string;
  readonly apiBaseUrl: string;
  readonly requests: GitHubFakeRequestRecord[] = [];
  readonly #root: string;
  readonly #users = new Map<string, GitHubFakeUser & { id: number }>();
  readonly #tokens = new Map<string, string>();
  readonly #orgs = new Map<string, GitHubFakeOrganization & { id: number }>();
  readonly #repos = new Map<string, RepositoryMeta>();
  readonly #pulls = new Map<string, PullRecord[]>();
  readonly #reviews = new Map<string, ReviewRecord[]>();
  /** `owner/repo@sha` → statuses, oldest first. */
  readonly #statuses = new Map<string, StatusRecord[]>();
  readonly #protections = new Map<string, GitHubFakeBranchProtection>();
  readonly #now: () => Date;
  readonly #started: Date;
  readonly #beforeRequest: Array<{
    method: string;
    path: string;
    action: () => unknown;
  }> = [];
  readonly #pushRefusals = new Map<string, PushRefusal>();
  #nextId = 1000;
  /** Mutations run one at a time, as one repository's writes on GitHub do. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: GitHubFakeOptions) {
    this.#root = options.repositoriesRoot;
    this.webUrl = options.webUrl.replace(/\/+$/, '');
    this.apiBaseUrl = (options.apiBaseUrl ?? `${this.webUrl}/api/v3`).replace(
      /\/+$/,
      '',
    );
    this.#now = options.now ?? (() => new Date());
    this.#started = this.#now();
    for (const user of options.users) {
      this.#users.set(user.login, { ...user, id: this.#nextId++ });
      for (const token of user.tokens ?? [])
        this.#tokens.set(token, user.login);
    }
    for (const org of options.organizations) {
      this.#orgs.set(org.login, { ...org, id: this.#nextId++ });
    }
  }

  // ---------------------------------------------------------------- configuration

  /** The login a token authenticates as; undefined for an unknown token. */
  loginOfToken(token: string): string | undefined {
    return this.#tokens.get(token);
  }

  user(login: string): GitHubFakeUser | undefined {
    return this.#users.get(login);
  }

  /** Protects a branch of a repository (GitHub's branch protection rule). */
  protectBranch(
    fullName: string,
    branch: string,
    protection: GitHubFakeBranchProtection,
  ): void {
    this.#protections.set(`${fullName}:${branch}`, { ...protection });
  }

  /**
   * Test hook for races: runs `action` once, just before the fake answers the next request
   * `method path` (`path` below the API base without its query, e.g.
   * `/repos/acme/gitops/pulls`), so "another client" can change GitHub between a client's
   * calls, e.g. create the same repository or pull request (then GitHub answers 422).
   */
  beforeNextRequest(
    method: string,
    path: string,
    action: () => unknown | Promise<unknown>,
  ): void {
    this.#beforeRequest.push({ method: method.toUpperCase(), path, action });
  }

  /**
   * Test hook: `git push` to `owner/repo` (one that exists, or is created later) is refused
   * with `message` (e.g. a transient `error: fatal error in commit_refs`), as GitHub refuses a
   * push: git reports `remote: <message>` and `! [remote rejected]`, and no ref moves. With
   * `ref` (e.g. `refs/heads/main`) only pushes updating that ref are refused. Enforced by the
   * git server asking {@link GitHubFake.checkPush} (as {@link LocalGitHub} does);
   * {@link GitHubFake.allowPushes} lifts it.
   */
  refusePushes(
    fullName: string,
    message: string,
    options: { ref?: string } = {},
  ): void {
    this.#pushRefusals.set(fullName, { message, ref: options.ref });
  }

  /** Lifts {@link GitHubFake.refusePushes}. */
  allowPushes(fullName: string): void {
    this.#pushRefusals.delete(fullName);
  }

  /**
   * Whether GitHub accepts a `git push` to `repository` (`owner/repo`): the message git shows
   * the pusher when it refuses, undefined when it accepts. Branch protection refuses deleting
   * a protected branch, and a direct push to one when it requires approving reviews, or when
   * it requires code owner reviews and the push changes a path that CODEOWNERS (at the
   * branch's current commit) gives an owner, answering with GitHub's `GH006`. No one bypasses
   * it (GitHub's "Do not allow bypassing the above settings"). Plus
   * {@link GitHubFake.refusePushes}.
   */
  async checkPush(push: {
    repository: string;
    updates: Array<{
      ref: string;
      oldSha: string;
      newSha: string;
      files: string[];
    }>;
  }): Promise<string | undefined> {
    const refusal = this.#pushRefusals.get(push.repository);
    if (
      refusal &&
      (!refusal.ref || push.updates.some(u => u.ref === refusal.ref))
    ) {
      return refusal.message;
    }
    const [owner, repo] = push.repository.split('/');
    const git = new BareGitRepository(this.gitDirOf(owner, repo));
    for (const update of push.updates) {
      if (!update.ref.startsWith('refs/heads/')) continue;
      const branch = update.ref.slice('refs/heads/'.length);
      const protection = this.#protections.get(`${push.repository}:${branch}`);
      if (!protection) continue;
      const refused = (reason: string) =>
        [
          `error: GH006: Protected branch update failed for ${update.ref}.`,
          `error: ${reason}`,
        ].join('\n');
      if (/^0+$/.test(update.newSha)) {
        return refused('Cannot delete this protected branch');
      }
      const required = protection.requiredApprovingReviewCount ?? 0;
      if (required > 0) {
        return refused(
          `At least ${required} approving review${
            required === 1 ? ' is' : 's are'
          } required by reviewers with write access.`,
        );
      }
      if (protection.requireCodeOwnerReviews && !/^0+$/.test(update.oldSha)) {
        const codeowners = await this.#codeowners(git, update.oldSha);
        const owners = new Set(
          update.files.flatMap(file => codeowners.ownersOf(file)),
        );
        if (owners.size > 0) {
          return refused(
            `Waiting on code owner review from ${[...owners].join(' ')}.`,
          );
        }
      }
    }
    return undefined;
  }

  /**
   * What `login` (undefined: anonymous) may do with the repository `owner/repo` over git, by
   * the same rule as the REST API: `write` for organization members and site administrators,
   * `read` for anyone else on a public repository, undefined when it does not exist or is
   * private to them (GitHub then answers 404).
   */
  repositoryPermission(
    login: string | undefined,
    fullName: string,
  ): 'write' | 'read' | undefined {
    const [owner, repo, ...rest] = fullName.split('/');
    if (!owner || !repo || rest.length > 0) return undefined;
    try {
      this.#readable(login ?? '', owner, repo, DOCS.getRepo);
    } catch (error) {
      if (error instanceof GitHubApiError) return undefined;
      throw error;
    }
    return login && this.#canWrite(login, owner) ? 'write' : 'read';
  }

  /** Path of the bare repository `<owner>/<repo>` on disk. */
  gitDirOf(owner: string, repo: string): string {
    return join(this.#root, owner, `${repo}.git`);
  }

  // ---------------------------------------------------------------- access

  #isMember(login: string, org: string): boolean {
    return !!this.#orgs.get(org)?.members.includes(login);
  }

  #canWrite(login: string, owner: string): boolean {
    return (
      !!this.#users.get(login)?.siteAdmin ||
      login === owner ||
      this.#isMember(login, owner)
    );
  }

  /** The repository's metadata when it exists and `login` may read it; 404 otherwise. */
  #readable(
    login: string,
    owner: string,
    repo: string,
    documentation: string,
  ): { meta: RepositoryMeta; git: BareGitRepository; fullName: string } {
    const fullName = `${owner}/${repo}`;
    if (!LOGIN.test(owner) || !REPO_NAME.test(repo) || /^\.\.?$/.test(repo)) {
      throw GitHubApiError.notFound(documentation);
    }
    const git = new BareGitRepository(this.gitDirOf(owner, repo));
    if (!git.exists()) throw GitHubApiError.notFound(documentation);
    let meta = this.#repos.get(fullName);
    if (!meta) {
      // A repository put on disk by other means (a seed): private, as organization ones are.
      const now = isoSeconds(this.#now());
      meta = {
        id: this.#nextId++,
        private: true,
        description: null,
        createdAt: now,
        updatedAt: now,
      };
      this.#repos.set(fullName, meta);
    }
    if (meta.private && !this.#canWrite(login, owner)) {
      throw GitHubApiError.notFound(documentation);
    }
    return { meta, git, fullName };
  }

  #writable(login: string, owner: string, repo: string, documentation: string) {
    const readable = this.#readable(login, owner, repo, documentation);
    if (!this.#canWrite(login, owner)) {
      throw new GitHubApiError(403, {
        message: 'Must have push access to repository',
        documentation_url: documentation,
      });
    }
    return readable;
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  // ---------------------------------------------------------------- JSON shapes

  #userJson(login: string): Json {
    const user = this.#users.get(login);
    const org = this.#orgs.get(login);
    const id = user?.id ?? org?.id ?? 0;
    const api = `${this.apiBaseUrl}/users/${login}`;
    return {
      login,
      id,
      node_id: Buffer.from(`04:User${id}`).toString('base64'),
      avatar_url: `${this.webUrl}/avatars/u/${id}`,
      gravatar_id: '',
      url: api,
      html_url: `${this.webUrl}/${login}`,
      followers_url: `${api}/followers`,
      following_url: `${api}/following{/other_user}`,
      gists_url: `${api}/gists{/gist_id}`,
      starred_url: `${api}/starred{/owner}{/repo}`,
      subscriptions_url: `${api}/subscriptions`,
      organizations_url: `${api}/orgs`,
      repos_url: `${api}/repos`,
      events_url: `${api}/events{/privacy}`,
      received_events_url: `${api}/received_events`,
      type: org ? 'Organization' : user?.type ?? 'User',
      user_view_type: 'public',
      site_admin: !!user?.siteAdmin,
    };
  }

  async #repositoryJson(
    viewer: string,
    owner: string,
    repo: string,
    meta: RepositoryMeta,
    git: BareGitRepository,
    full = false,
  ): Promise<Json> {
    const fullName = `${owner}/${repo}`;
    const api = `${this.apiBaseUrl}/repos/${fullName}`;
    const host = new URL(this.webUrl).host;
    const write = this.#canWrite(viewer, owner);
    const openPulls = (this.#pulls.get(fullName) ?? []).filter(
      p => p.state === 'open',
    ).length;
    const json: Json = {
      id: meta.id,
      node_id: Buffer.from(`010:Repository${meta.id}`).toString('base64'),
      name: repo,
      full_name: fullName,
      private: meta.private,
      owner: this.#userJson(owner),
      html_url: `${this.webUrl}/${fullName}`,
      description: meta.description,
      fork: false,
      url: api,
      archive_url: `${api}/{archive_format}{/ref}`,
      assignees_url: `${api}/assignees{/user}`,
      blobs_url: `${api}/git/blobs{/sha}`,
      branches_url: `${api}/branches{/branch}`,
      collaborators_url: `${api}/collaborators{/collaborator}`,
      comments_url: `${api}/comments{/number}`,
      commits_url: `${api}/commits{/sha}`,
      compare_url: `${api}/compare/{base}...{head}`,
      contents_url: `${api}/contents/{+path}`,
      contributors_url: `${api}/contributors`,
      deployments_url: `${api}/deployments`,
      downloads_url: `${api}/downloads`,
      events_url: `${api}/events`,
      forks_url: `${api}/forks`,
      git_commits_url: `${api}/git/commits{/sha}`,
      git_refs_url: `${api}/git/refs{/sha}`,
      git_tags_url: `${api}/git/tags{/sha}`,
      git_url: `git://${host}/${fullName}.git`,
      issue_comment_url: `${api}/issues/comments{/number}`,
      issue_events_url: `${api}/issues/events{/number}`,
      issues_url: `${api}/issues{/number}`,
      keys_url: `${api}/keys{/key_id}`,
      labels_url: `${api}/labels{/name}`,
      languages_url: `${api}/languages`,
      merges_url: `${api}/merges`,
      milestones_url: `${api}/milestones{/number}`,
      notifications_url: `${api}/notifications{?since,all,participating}`,
      pulls_url: `${api}/pulls{/number}`,
      releases_url: `${api}/releases{/id}`,
      ssh_url: `git@${host.replace(/:\d+$/, '')}:${fullName}.git`,
      stargazers_url: `${api}/stargazers`,
      statuses_url: `${api}/statuses/{sha}`,
      subscribers_url: `${api}/subscribers`,
      subscription_url: `${api}/subscription`,
      tags_url: `${api}/tags`,
      teams_url: `${api}/teams`,
      trees_url: `${api}/git/trees{/sha}`,
      clone_url: `${this.webUrl}/${fullName}.git`,
      mirror_url: null,
      hooks_url: `${api}/hooks`,
      svn_url: `${this.webUrl}/${fullName}`,
      homepage: null,
      language: null,
      forks_count: 0,
      stargazers_count: 0,
      watchers_count: 0,
      size: 0,
      default_branch: await git.defaultBranch(),
      open_issues_count: openPulls,
      is_template: false,
      topics: [],
      has_issues: true,
      has_projects: true,
      has_wiki: true,
      has_pages: false,
      has_downloads: true,
      has_discussions: false,
      archived: false,
      disabled: false,
      visibility: meta.private ? 'private' : 'public',
      pushed_at: meta.updatedAt,
      created_at: meta.createdAt,
      updated_at: meta.updatedAt,
      permissions: {
        admin: write,
        maintain: write,
        push: write,
        triage: write,
        pull: true,
      },
      allow_rebase_merge: false,
      allow_squash_merge: true,
      allow_merge_commit: true,
      allow_auto_merge: false,
      delete_branch_on_merge: false,
      license: null,
      forks: 0,
      open_issues: openPulls,
      watchers: 0,
    };
    if (full) {
      json.network_count = 0;
      json.subscribers_count = 0;
      if (this.#orgs.has(owner)) json.organization = this.#userJson(owner);
    }
    return json;
  }

  #authorAssociation(login: string, owner: string): string {
    if (login === owner) return 'OWNER';
    return this.#isMember(login, owner) ? 'MEMBER' : 'NONE';
  }

  async #pullShas(git: BareGitRepository, pr: PullRecord) {
    if (pr.state === 'closed') {
      return { head: pr.closedHeadSha!, base: pr.closedBaseSha! };
    }
    const head = await git.branchSha(pr.head);
    if (head) pr.lastHeadSha = head;
    return {
      head: head ?? pr.lastHeadSha,
      base: (await git.branchSha(pr.base)) ?? '',
    };
  }

  async #pullJson(
    viewer: string,
    owner: string,
    repo: string,
    pr: PullRecord,
    simple: boolean,
  ): Promise<Json> {
    const { meta, git, fullName } = this.#readable(
      viewer,
      owner,
      repo,
      DOCS.getPull,
    );
    const api = `${this.apiBaseUrl}/repos/${fullName}`;
    const html = `${this.webUrl}/${fullName}/pull/${pr.number}`;
    const shas = await this.#pullShas(git, pr);
    const repository = await this.#repositoryJson(
      viewer,
      owner,
      repo,
      meta,
      git,
    );
    const side = (ref: string, sha: string) => ({
      label: `${owner}:${ref}`,
      ref,
      sha,
      user: this.#userJson(owner),
      repo: repository,
    });
    const json: Json = {
      url: `${api}/pulls/${pr.number}`,
      id: pr.id,
      node_id: Buffer.from(`011:PullRequest${pr.id}`).toString('base64'),
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: `${api}/issues/${pr.number}`,
      commits_url: `${api}/pulls/${pr.number}/commits`,
      review_comments_url: `${api}/pulls/${pr.number}/comments`,
      review_comment_url: `${api}/pulls/comments{/number}`,
      comments_url: `${api}/issues/${pr.number}/comments`,
      statuses_url: `${api}/statuses/${shas.head}`,
      number: pr.number,
      state: pr.state,
      locked: false,
      title: pr.title,
      user: this.#userJson(pr.author),
      body: pr.body,
      labels: [],
      milestone: null,
      active_lock_reason: null,
      created_at: pr.createdAt,
      updated_at: pr.updatedAt,
      closed_at: pr.closedAt,
      merged_at: pr.mergedAt,
      merge_commit_sha: pr.mergeCommitSha,
      assignee: null,
      assignees: [],
      requested_reviewers: [],
      requested_teams: [],
      head: side(pr.head, shas.head),
      base: side(pr.base, shas.base),
      _links: {
        self: { href: `${api}/pulls/${pr.number}` },
        html: { href: html },
        issue: { href: `${api}/issues/${pr.number}` },
        comments: { href: `${api}/issues/${pr.number}/comments` },
        review_comments: { href: `${api}/pulls/${pr.number}/comments` },
        review_comment: { href: `${api}/pulls/comments{/number}` },
        commits: { href: `${api}/pulls/${pr.number}/commits` },
        statuses: { href: `${api}/statuses/${shas.head}` },
      },
      author_association: this.#authorAssociation(pr.author, owner),
      auto_merge: null,
      draft: pr.draft,
    };
    if (simple) return json;

    const mergeBase = (await git.mergeBase(shas.base, shas.head)) ?? shas.base;
    const files = await git.changedFiles(mergeBase, shas.head);
    const commits = await git.commitsBetween(mergeBase, shas.head);
    let mergeable: boolean | null = null;
    let mergeableState = 'unknown';
    if (pr.state === 'open') {
      mergeable = (await git.mergeTree(shas.base, shas.head)) !== undefined;
      const blocker = mergeable
        ? await this.#mergeBlocker(fullName, pr, git, shas, files)
        : undefined;
      if (!mergeable) mergeableState = 'dirty';
      else mergeableState = blocker ? 'blocked' : 'clean';
    }
    return {
      ...json,
      merged: pr.mergedAt !== null,
      mergeable,
      rebaseable: false,
      mergeable_state: mergeableState,
      merged_by: pr.mergedBy ? this.#userJson(pr.mergedBy) : null,
      comments: 0,
      review_comments: 0,
      maintainer_can_modify: false,
      commits: commits.length,
      additions: files.reduce((n, f) => n + f.additions, 0),
      deletions: files.reduce((n, f) => n + f.deletions, 0),
      changed_files: files.length,
    };
  }

  #reviewJson(owner: string, repo: string, pr: number, review: ReviewRecord) {
    const html = `${this.webUrl}/${owner}/${repo}/pull/${pr}#pullrequestreview-${review.id}`;
    const pullUrl = `${this.apiBaseUrl}/repos/${owner}/${repo}/pulls/${pr}`;
    return {
      id: review.id,
      node_id: Buffer.from(`017:PullRequestReview${review.id}`).toString(
        'base64',
      ),
      user: this.#userJson(review.user),
      body: review.body,
      state: review.state,
      html_url: html,
      pull_request_url: pullUrl,
      _links: { html: { href: html }, pull_request: { href: pullUrl } },
      ...(review.state === 'PENDING'
        ? {}
        : { submitted_at: review.submittedAt }),
      commit_id: review.commitId,
      author_association: this.#authorAssociation(review.user, owner),
    };
  }

  #fileJson(owner: string, repo: string, headSha: string, file: ChangedFile) {
    const path = file.filename.split('/').map(encodeURIComponent).join('/');
    return {
      sha: file.sha,
      filename: file.filename,
      status: file.status,
      additions: file.additions,
      deletions: file.deletions,
      changes: file.additions + file.deletions,
      blob_url: `${this.webUrl}/${owner}/${repo}/blob/${headSha}/${path}`,
      raw_url: `${this.webUrl}/${owner}/${repo}/raw/${headSha}/${path}`,
      contents_url: `${this.apiBaseUrl}/repos/${owner}/${repo}/contents/${path}?ref=${headSha}`,
      ...(file.patch !== undefined ? { patch: file.patch } : {}),
      ...(file.previousFilename
        ? { previous_filename: file.previousFilename }
        : {}),
    };
  }

  // ---------------------------------------------------------------- merge rules

  /** Whether `login` is one of a CODEOWNERS owner entry (`@user`, `@org/team`, e-mail). */
  #isCodeOwner(login: string, owner: string): boolean {
    if (owner.startsWith('@') && owner.includes('/')) {
      const [org, team] = owner.slice(1).split('/');
      return !!this.#orgs.get(org)?.teams?.[team]?.includes(login);
    }
    if (owner.startsWith('@')) return owner.slice(1) === login;
    return this.#users.get(login)?.email === owner;
  }

  async #codeowners(git: BareGitRepository, sha: string) {
    for (const location of CODEOWNERS_LOCATIONS) {
      const content = await git.readFile(sha, location);
      if (content) return new Codeowners(content.toString('utf8'));
    }
    return new Codeowners('');
  }

  /** Why branch protection refuses the merge now; undefined when it allows it. */
  async #mergeBlocker(
    fullName: string,
    pr: PullRecord,
    git: BareGitRepository,
    shas: { head: string; base: string },
    files: ChangedFile[],
  ): Promise<string | undefined> {
    const protection = this.#protections.get(`${fullName}:${pr.base}`);
    if (!protection) return undefined;
    const owner = fullName.split('/')[0];
    const latest = new Map<string, ReviewRecord>();
    for (const review of this.#reviews.get(`${fullName}#${pr.number}`) ?? []) {
      if (review.state === 'PENDING' || review.state === 'COMMENTED') continue;
      latest.set(review.user, review);
    }
    const approvers = [...latest.values()]
      .filter(
        r =>
          r.state === 'APPROVED' &&
          r.user !== pr.author &&
          this.#canWrite(r.user, owner) &&
          (!protection.dismissStaleReviews || r.commitId === shas.head),
      )
      .map(r => r.user);
    if ([...latest.values()].some(r => r.state === 'CHANGES_REQUESTED')) {
      return 'Changes were requested.';
    }
    const required = protection.requiredApprovingReviewCount ?? 0;
    if (approvers.length < required) {
      return `At least ${required} approving review${
        required === 1 ? ' is' : 's are'
      } required by reviewers with write access.`;
    }
    if (protection.requireCodeOwnerReviews) {
      const codeowners = await this.#codeowners(git, shas.base);
      const waiting = new Set<string>();
      for (const file of files) {
        for (const path of [file.filename, file.previousFilename]) {
          if (!path) continue;
          const owners = codeowners.ownersOf(path);
          const approved = owners.some(o =>
            approvers.some(a => this.#isCodeOwner(a, o)),
          );
          if (owners.length > 0 && !approved) waiting.add(owners.join(' '));
        }
      }
      if (waiting.size > 0) {
        return `Waiting on code owner review from ${[...waiting].join(', ')}.`;
      }
    }
    for (const check of protection.requiredStatusChecks ?? []) {
      const status = this.#latestStatus(
        fullName,
        shas.head,
        check.context,
        check.source,
      );
      if (!status) {
        return `Required status check "${check.context}" is expected.`;
      }
      if (status.state === 'pending') {
        return `Required status check "${check.context}" is pending.`;
      }
      if (status.state !== 'success') {
        return `Required status check "${check.context}" is failing.`;
      }
    }
    return undefined;
  }

  // ---------------------------------------------------------------- operations

  #pull(fullName: string, number: number, documentation: string): PullRecord {
    const pr = this.#pulls.get(fullName)?.find(p => p.number === number);
    if (!pr) throw GitHubApiError.notFound(documentation);
    return pr;
  }

  /** Closes open pull requests whose head branch is gone, as GitHub does. */
  async #closeOrphans(fullName: string, git: BareGitRepository) {
    for (const pr of this.#pulls.get(fullName) ?? []) {
      if (pr.state !== 'open') continue;
      const head = await git.branchSha(pr.head);
      if (head) continue;
      pr.state = 'closed';
      pr.closedAt = isoSeconds(this.#now());
      pr.updatedAt = pr.closedAt;
      pr.closedHeadSha = pr.lastHeadSha;
      pr.closedBaseSha = (await git.branchSha(pr.base)) ?? '';
    }
  }

  /** `POST /orgs/{org}/repos`. */
  createRepository(
    login: string,
    org: string,
    body: { name?: unknown; private?: unknown; description?: unknown },
  ): Promise<Json> {
    return this.#exclusive(async () => {
      if (!this.#orgs.has(org)) throw GitHubApiError.notFound(DOCS.createRepo);
      if (!this.#canWrite(login, org)) {
        throw new GitHubApiError(403, {
          message:
            'You need admin access to the organization before adding a repository to it.',
          documentation_url: DOCS.createRepo,
        });
      }
      if (typeof body.name !== 'string' || body.name === '') {
        throw GitHubApiError.validation(
          DOCS.createRepo,
          [{ resource: 'Repository', code: 'missing_field', field: 'name' }],
          'Repository creation failed.',
        );
      }
      const name = body.name.replace(/\.git$/, '');
      if (!REPO_NAME.test(name) || /^\.\.?$/.test(name)) {
        throw GitHubApiError.validation(
          DOCS.createRepo,
          [
            {
              resource: 'Repository',
              code: 'custom',
              field: 'name',
              message: 'name is invalid',
            },
          ],
          'Repository creation failed.',
        );
      }
      const git = new BareGitRepository(this.gitDirOf(org, name));
      if (git.exists()) {
        throw GitHubApiError.validation(
          DOCS.createRepo,
          [
            {
              resource: 'Repository',
              code: 'custom',
              field: 'name',
              message: 'name already exists on this account',
            },
          ],
          'Repository creation failed.',
        );
      }
      await git.init('main');
      const now = isoSeconds(this.#now());
      const meta: RepositoryMeta = {
        id: this.#nextId++,
        // Organization repositories default to public on GitHub.
        private: body.private === true,
        description:
          typeof body.description === 'string' ? body.description : null,
        createdAt: now,
        updatedAt: now,
      };
      this.#repos.set(`${org}/${name}`, meta);
      return this.#repositoryJson(login, org, name, meta, git, true);
    });
  }

  /** `GET /repos/{owner}/{repo}`. */
  async getRepository(login: string, owner: string, repo: string) {
    const { meta, git } = this.#readable(login, owner, repo, DOCS.getRepo);
    return this.#repositoryJson(login, owner, repo, meta, git, true);
  }

  /** `POST /repos/{owner}/{repo}/pulls`. */
  createPullRequest(
    login: string,
    owner: string,
    repo: string,
    body: Record<string, unknown>,
  ): Promise<Json> {
    return this.#exclusive(async () => {
      const { git, fullName } = this.#writable(
        login,
        owner,
        repo,
        DOCS.createPull,
      );
      await this.#closeOrphans(fullName, git);
      const missing = ['title', 'head', 'base'].filter(
        field => typeof body[field] !== 'string' || body[field] === '',
      );
      if (missing.length > 0) {
        throw GitHubApiError.validation(
          DOCS.createPull,
          missing.map(field => ({
            resource: 'PullRequest',
            code: 'missing_field',
            field,
          })),
        );
      }
      const headSpec = body.head as string;
      const base = body.base as string;
      const [headOwner, head] = headSpec.includes(':')
        ? headSpec.split(':', 2)
        : [owner, headSpec];
      const invalid = (field: string) =>
        GitHubApiError.validation(DOCS.createPull, [
          { resource: 'PullRequest', field, code: 'invalid' },
        ]);
      const headSha =
        headOwner === owner && BRANCH.test(head)
          ? await git.branchSha(head)
          : undefined;
      if (!headSha) throw invalid('head');
      const baseSha = BRANCH.test(base) ? await git.branchSha(base) : undefined;
      if (!baseSha) throw invalid('base');
      const pulls = this.#pulls.get(fullName) ?? [];
      if (
        pulls.some(
          p => p.state === 'open' && p.head === head && p.base === base,
        )
      ) {
        throw GitHubApiError.validation(DOCS.createPull, [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `A pull request already exists for ${owner}:${head}.`,
          },
        ]);
      }
      const mergeBase = (await git.mergeBase(baseSha, headSha)) ?? baseSha;
      if ((await git.commitsBetween(mergeBase, headSha)).length === 0) {
        throw GitHubApiError.validation(DOCS.createPull, [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `No commits between ${base} and ${head}`,
          },
        ]);
      }
      const now = isoSeconds(this.#now());
      const pr: PullRecord = {
        id: this.#nextId++,
        number: pulls.length + 1,
        title: body.title as string,
        body: typeof body.body === 'string' ? body.body : null,
        head,
        base,
        author: login,
        draft: body.draft === true,
        state: 'open',
        createdAt: now,
        updatedAt: now,
        closedAt: null,
        mergedAt: null,
        mergedBy: null,
        mergeCommitSha: null,
        lastHeadSha: headSha,
      };
      this.#pulls.set(fullName, [...pulls, pr]);
      return this.#pullJson(login, owner, repo, pr, false);
    });
  }

  /** `GET /repos/{owner}/{repo}/pulls`: newest first, `state` default `open`. */
  async listPullRequests(
    login: string,
    owner: string,
    repo: string,
    query: URLSearchParams,
  ): Promise<{ items: Json[]; total: number }> {
    const { git, fullName } = this.#readable(
      login,
      owner,
      repo,
      DOCS.listPulls,
    );
    await this.#closeOrphans(fullName, git);
    const state = query.get('state') ?? 'open';
    if (!['open', 'closed', 'all'].includes(state)) {
      throw GitHubApiError.validation(DOCS.listPulls, [
        { resource: 'Issue', field: 'state', code: 'invalid' },
      ]);
    }
    const headFilter = query.get('head');
    // GitHub filters by head only in the `user:ref-name` form and ignores any other value.
    const head = headFilter?.includes(':') ? headFilter : undefined;
    const base = query.get('base');
    const direction = query.get('direction') ?? 'desc';
    const perPage = Math.min(Number(query.get('per_page') ?? 30) || 30, 100);
    const page = Math.max(Number(query.get('page') ?? 1) || 1, 1);
    const matching = (this.#pulls.get(fullName) ?? [])
      .filter(p => state === 'all' || p.state === state)
      .filter(p => !head || `${owner}:${p.head}` === head)
      .filter(p => !base || p.base === base)
      .sort((a, b) =>
        direction === 'asc' ? a.number - b.number : b.number - a.number,
      );
    const items = await Promise.all(
      matching
        .slice((page - 1) * perPage, page * perPage)
        .map(p => this.#pullJson(login, owner, repo, p, true)),
    );
    return { items, total: matching.length };
  }

  /** `GET /repos/{owner}/{repo}/pulls/{number}`. */
  async getPullRequest(
    login: string,
    owner: string,
    repo: string,
    number: number,
  ): Promise<Json> {
    const { git, fullName } = this.#readable(login, owner, repo, DOCS.getPull);
    await this.#closeOrphans(fullName, git);
    const pr = this.#pull(fullName, number, DOCS.getPull);
    return this.#pullJson(login, owner, repo, pr, false);
  }

  /** `PATCH /repos/{owner}/{repo}/pulls/{number}`: title, body, state (close or reopen). */
  updatePullRequest(
    login: string,
    owner: string,
    repo: string,
    number: number,
    body: Record<string, unknown>,
  ): Promise<Json> {
    return this.#exclusive(async () => {
      const { git, fullName } = this.#writable(
        login,
        owner,
        repo,
        DOCS.updatePull,
      );
      const pr = this.#pull(fullName, number, DOCS.updatePull);
      if (
        body.state !== undefined &&
        !['open', 'closed'].includes(String(body.state))
      ) {
        throw GitHubApiError.validation(DOCS.updatePull, [
          { resource: 'PullRequest', field: 'state', code: 'invalid' },
        ]);
      }
      if (typeof body.title === 'string') pr.title = body.title;
      if (typeof body.body === 'string') pr.body = body.body;
      const now = isoSeconds(this.#now());
      if (body.state === 'closed' && pr.state === 'open') {
        const shas = await this.#pullShas(git, pr);
        pr.state = 'closed';
        pr.closedAt = now;
        pr.closedHeadSha = shas.head;
        pr.closedBaseSha = shas.base;
      } else if (body.state === 'open' && pr.state === 'closed') {
        if (pr.mergedAt || !(await git.branchSha(pr.head))) {
          throw GitHubApiError.validation(DOCS.updatePull, [
            {
              resource: 'PullRequest',
              code: 'custom',
              message:
                'state cannot be changed. The pull request cannot be reopened.',
            },
          ]);
        }
        pr.state = 'open';
        pr.closedAt = null;
      }
      pr.updatedAt = now;
      return this.#pullJson(login, owner, repo, pr, false);
    });
  }

  /** `GET /repos/{owner}/{repo}/pulls/{number}/files`: the real diff from the merge base. */
  async listPullRequestFiles(
    login: string,
    owner: string,
    repo: string,
    number: number,
  ): Promise<Json[]> {
    const { git, fullName } = this.#readable(
      login,
      owner,
      repo,
      DOCS.pullFiles,
    );
    const pr = this.#pull(fullName, number, DOCS.pullFiles);
    const shas = await this.#pullShas(git, pr);
    const mergeBase = (await git.mergeBase(shas.base, shas.head)) ?? shas.base;
    const files = await git.changedFiles(mergeBase, shas.head);
    return files.map(f => this.#fileJson(owner, repo, shas.head, f));
  }

  /** `PUT /repos/{owner}/{repo}/pulls/{number}/merge`. */
  mergePullRequest(
    login: string,
    owner: string,
    repo: string,
    number: number,
    body: Record<string, unknown>,
  ): Promise<Json> {
    return this.#exclusive(async () => {
      const { git, fullName, meta } = this.#writable(
        login,
        owner,
        repo,
        DOCS.merge,
      );
      await this.#closeOrphans(fullName, git);
      const pr = this.#pull(fullName, number, DOCS.merge);
      const notMergeable = (message = 'Pull Request is not mergeable') =>
        new GitHubApiError(405, { message, documentation_url: DOCS.merge });
      const method = body.merge_method ?? 'merge';
      if (!['merge', 'squash', 'rebase'].includes(String(method))) {
        throw GitHubApiError.validation(DOCS.merge, [
          { resource: 'PullRequest', field: 'merge_method', code: 'invalid' },
        ]);
      }
      if (method === 'rebase') {
        throw notMergeable('Rebase merges are not allowed on this repository.');
      }
      if (pr.state !== 'open') throw notMergeable();
      const shas = await this.#pullShas(git, pr);
      if (typeof body.sha === 'string' && body.sha !== shas.head) {
        throw new GitHubApiError(409, {
          message: 'Head branch was modified. Review and try the merge again.',
          documentation_url: DOCS.merge,
        });
      }
      const tree = await git.mergeTree(shas.base, shas.head);
      if (!tree) throw notMergeable();
      const mergeBase =
        (await git.mergeBase(shas.base, shas.head)) ?? shas.base;
      const files = await git.changedFiles(mergeBase, shas.head);
      const blocker = await this.#mergeBlocker(fullName, pr, git, shas, files);
      if (blocker) throw notMergeable(blocker);

      const user = this.#users.get(login);
      const author = {
        name: user?.name ?? login,
        email:
          user?.email ??
          `${login}@users.noreply.${new URL(this.webUrl).hostname}`,
      };
      const committer = { name: 'GitHub', email: 'noreply@github.com' };
      let message: string;
      let parents: string[];
      if (method === 'squash') {
        const commits = await git.commitsBetween(mergeBase, shas.head);
        const title =
          typeof body.commit_title === 'string'
            ? body.commit_title
            : `${pr.title} (#${pr.number})`;
        const text =
          typeof body.commit_message === 'string'
            ? body.commit_message
            : commits.map(c => `* ${c.subject}`).join('\n\n');
        message = text ? `${title}\n\n${text}` : title;
        parents = [shas.base];
      } else {
        const title =
          typeof body.commit_title === 'string'
            ? body.commit_title
            : `Merge pull request #${pr.number} from ${owner}/${pr.head}`;
        const text =
          typeof body.commit_message === 'string'
            ? body.commit_message
            : pr.title;
        message = text ? `${title}\n\n${text}` : title;
        parents = [shas.base, shas.head];
      }
      const sha = await git.commitTree({
        tree,
        parents,
        message,
        author,
        committer,
      });
      if (!(await git.updateBranch(pr.base, sha, shas.base))) {
        throw new GitHubApiError(409, {
          message: 'Base branch was modified. Review and try the merge again.',
          documentation_url: DOCS.merge,
        });
      }
      const now = isoSeconds(this.#now());
      pr.state = 'closed';
      pr.closedAt = now;
      pr.mergedAt = now;
      pr.updatedAt = now;
      pr.mergedBy = login;
      pr.mergeCommitSha = sha;
      pr.closedHeadSha = shas.head;
      pr.closedBaseSha = shas.base;
      meta.updatedAt = now;
      return { sha, merged: true, message: 'Pull Request successfully merged' };
    });
  }

  /**
   * Why an open pull request cannot be merged now (conflicts, or what branch protection still
   * waits for); undefined when it can be merged or is closed. For web pages: GitHub's API
   * itself only tells `mergeable_state`.
   */
  async mergeBlockReason(
    login: string,
    owner: string,
    repo: string,
    number: number,
  ): Promise<string | undefined> {
    const { git, fullName } = this.#readable(login, owner, repo, DOCS.getPull);
    const pr = this.#pull(fullName, number, DOCS.getPull);
    if (pr.state !== 'open') return undefined;
    const shas = await this.#pullShas(git, pr);
    if (!(await git.mergeTree(shas.base, shas.head))) {
      return `This branch has conflicts with ${pr.base} that must be resolved.`;
    }
    const mergeBase = (await git.mergeBase(shas.base, shas.head)) ?? shas.base;
    const files = await git.changedFiles(mergeBase, shas.head);
    return this.#mergeBlocker(fullName, pr, git, shas, files);
  }

  /** `GET /repos/{owner}/{repo}/pulls/{number}/merge`: whether it was merged (204/404). */
  async isMerged(login: string, owner: string, repo: string, number: number) {
    const { fullName } = this.#readable(login, owner, repo, DOCS.merge);
    const pr = this.#pull(fullName, number, DOCS.merge);
    return pr.mergedAt !== null;
  }

  /** `POST /repos/{owner}/{repo}/pulls/{number}/reviews`. */
  submitReview(
    login: string,
    owner: string,
    repo: string,
    number: number,
    body: Record<string, unknown>,
  ): Promise<Json> {
    return this.#exclusive(async () => {
      const { git, fullName } = this.#readable(
        login,
        owner,
        repo,
        DOCS.createReview,
      );
      const pr = this.#pull(fullName, number, DOCS.createReview);
      const events: Record<string, ReviewRecord['state']> = {
        APPROVE: 'APPROVED',
        REQUEST_CHANGES: 'CHANGES_REQUESTED',
        COMMENT: 'COMMENTED',
      };
      const event = body.event;
      if (event !== undefined && !(String(event) in events)) {
        throw GitHubApiError.unprocessable(
          DOCS.createReview,
          `event must be one of APPROVE, REQUEST_CHANGES, COMMENT`,
        );
      }
      const text = typeof body.body === 'string' ? body.body : '';
      if (pr.author === login && event === 'APPROVE') {
        throw GitHubApiError.unprocessable(
          DOCS.createReview,
          'Can not approve your own pull request',
        );
      }
      if (pr.author === login && event === 'REQUEST_CHANGES') {
        throw GitHubApiError.unprocessable(
          DOCS.createReview,
          'Can not request changes on your own pull request',
        );
      }
      if ((event === 'REQUEST_CHANGES' || event === 'COMMENT') && !text) {
        throw GitHubApiError.unprocessable(
          DOCS.createReview,
          `Body is required when using ${event}`,
        );
      }
      const shas = await this.#pullShas(git, pr);
      const review: ReviewRecord = {
        id: this.#nextId++,
        user: login,
        state: event ? events[String(event)] : 'PENDING',
        body: text,
        commitId:
          typeof body.commit_id === 'string' ? body.commit_id : shas.head,
        submittedAt: isoSeconds(this.#now()),
      };
      const key = `${fullName}#${number}`;
      this.#reviews.set(key, [...(this.#reviews.get(key) ?? []), review]);
      return this.#reviewJson(owner, repo, number, review);
    });
  }

  /** `GET /repos/{owner}/{repo}/pulls/{number}/reviews`, oldest first (pending ones only to their author). */
  async listReviews(
    login: string,
    owner: string,
    repo: string,
    number: number,
  ): Promise<Json[]> {
    const { fullName } = this.#readable(login, owner, repo, DOCS.listReviews);
    this.#pull(fullName, number, DOCS.listReviews);
    return (this.#reviews.get(`${fullName}#${number}`) ?? [])
      .filter(r => r.state !== 'PENDING' || r.user === login)
      .map(r => this.#reviewJson(owner, repo, number, r));
  }

  /** The latest status of `context` on `sha` (from `source` only, when given). */
  #latestStatus(
    fullName: string,
    sha: string,
    context: string,
    source?: string,
  ): StatusRecord | undefined {
    return (this.#statuses.get(`${fullName}@${sha}`) ?? [])
      .filter(s => s.context === context && (!source || s.creator === source))
      .pop();
  }

  #statusJson(owner: string, repo: string, sha: string, status: StatusRecord) {
    return {
      url: `${this.apiBaseUrl}/repos/${owner}/${repo}/statuses/${sha}`,
      avatar_url: null,
      id: status.id,
      node_id: Buffer.from(`011:StatusContext${status.id}`).toString('base64'),
      state: status.state,
      description: status.description,
      target_url: status.targetUrl,
      context: status.context,
      created_at: status.createdAt,
      updated_at: status.createdAt,
      creator: this.#userJson(status.creator),
    };
  }

  /** A commit of the repository named by a SHA, a branch or a tag; 422/404 as GitHub answers. */
  async #commitOf(git: BareGitRepository, ref: string, documentation: string) {
    const sha = /^[0-9a-f]{40}$/.test(ref)
      ? await git.resolveCommit(ref)
      : (await git.branchSha(ref)) ??
        (await git.resolveCommit(`refs/tags/${ref}`));
    if (!sha) {
      throw GitHubApiError.unprocessable(
        documentation,
        `No commit found for SHA: ${ref}`,
      );
    }
    return sha;
  }

  /**
   * `POST /repos/{owner}/{repo}/statuses/{sha}`: users with push access set a commit status
   * (a full SHA of a commit in the repository; at most 1000 per SHA and context).
   */
  createCommitStatus(
    login: string,
    owner: string,
    repo: string,
    sha: string,
    body: Record<string, unknown>,
  ): Promise<Json> {
    return this.#exclusive(async () => {
      const { git, fullName } = this.#writable(
        login,
        owner,
        repo,
        DOCS.createStatus,
      );
      const states = ['error', 'failure', 'pending', 'success'];
      if (typeof body.state !== 'string' || !states.includes(body.state)) {
        throw GitHubApiError.validation(DOCS.createStatus, [
          { resource: 'Status', field: 'state', code: 'custom' },
        ]);
      }
      const commit = /^[0-9a-f]{40}$/.test(sha)
        ? await git.resolveCommit(sha)
        : undefined;
      if (!commit) {
        throw GitHubApiError.unprocessable(
          DOCS.createStatus,
          `No commit found for SHA: ${sha}`,
        );
      }
      const context =
        typeof body.context === 'string' && body.context
          ? body.context
          : 'default';
      const key = `${fullName}@${commit}`;
      const list = this.#statuses.get(key) ?? [];
      if (list.filter(s => s.context === context).length >= 1000) {
        throw GitHubApiError.unprocessable(
          DOCS.createStatus,
          'This SHA and context has reached the maximum number of statuses.',
        );
      }
      const description =
        typeof body.description === 'string' ? body.description : null;
      if (description && description.length > 140) {
        throw GitHubApiError.validation(DOCS.createStatus, [
          { resource: 'Status', field: 'description', code: 'custom' },
        ]);
      }
      const status: StatusRecord = {
        id: this.#nextId++,
        state: body.state as StatusRecord['state'],
        context,
        description,
        targetUrl: typeof body.target_url === 'string' ? body.target_url : null,
        creator: login,
        createdAt: isoSeconds(this.#now()),
      };
      this.#statuses.set(key, [...list, status]);
      return this.#statusJson(owner, repo, commit, status);
    });
  }

  /** `GET /repos/{owner}/{repo}/commits/{ref}/statuses`: newest first. */
  async listCommitStatuses(
    login: string,
    owner: string,
    repo: string,
    ref: string,
  ): Promise<Json[]> {
    const { git, fullName } = this.#readable(
      login,
      owner,
      repo,
      DOCS.listStatuses,
    );
    const sha = await this.#commitOf(git, ref, DOCS.listStatuses);
    return [...(this.#statuses.get(`${fullName}@${sha}`) ?? [])]
      .reverse()
      .map(s => this.#statusJson(owner, repo, sha, s));
  }

  /** `GET /repos/{owner}/{repo}/commits/{ref}/status`: the latest status per context, and their roll-up. */
  async combinedStatus(
    login: string,
    owner: string,
    repo: string,
    ref: string,
  ): Promise<Json> {
    const { git, fullName } = this.#readable(
      login,
      owner,
      repo,
      DOCS.combinedStatus,
    );
    const sha = await this.#commitOf(git, ref, DOCS.combinedStatus);
    const latest = new Map<string, StatusRecord>();
    for (const s of this.#statuses.get(`${fullName}@${sha}`) ?? [])
      latest.set(s.context, s);
    const statuses = [...latest.values()];
    // GitHub's roll-up: any error or failure fails, all success succeeds, else pending.
    let state = 'pending';
    if (statuses.some(s => s.state === 'error' || s.state === 'failure'))
      state = 'failure';
    else if (statuses.length > 0 && statuses.every(s => s.state === 'success'))
      state = 'success';
    const api = `${this.apiBaseUrl}/repos/${owner}/${repo}`;
    return {
      state,
      statuses: statuses.map(s => this.#statusJson(owner, repo, sha, s)),
      sha,
      total_count: statuses.length,
      commit_url: `${api}/commits/${sha}`,
      url: `${api}/commits/${sha}/status`,
    };
  }

  /** `GET /repos/{owner}/{repo}/contents/{path}?ref=`: a file (JSON or raw) or a directory. */
  async getContent(
    login: string,
    owner: string,
    repo: string,
    path: string,
    ref: string | null,
    raw: boolean,
  ): Promise<
    | { kind: 'raw'; content: Buffer; sha: string }
    | { kind: 'json'; json: unknown }
  > {
    const { git } = this.#readable(login, owner, repo, DOCS.contents);
    const revision = ref ?? (await git.defaultBranch());
    const commit = await git.resolve(revision);
    if (!commit) {
      throw new GitHubApiError(404, {
        message: `No commit found for the ref ${revision}`,
        documentation_url: DOCS.contents,
      });
    }
    const clean = path.replace(/^\/+|\/+$/g, '');
    if (clean.split('/').some(s => s === '..' || s === '.')) {
      throw GitHubApiError.notFound(DOCS.contents);
    }
    const api = `${this.apiBaseUrl}/repos/${owner}/${repo}`;
    const entryJson = (
      entryPath: string,
      type: 'file' | 'dir',
      sha: string,
      size: number,
    ) => {
      const encoded = entryPath.split('/').map(encodeURIComponent).join('/');
      const self = `${api}/contents/${encoded}?ref=${encodeURIComponent(
        revision,
      )}`;
      const html = `${this.webUrl}/${owner}/${repo}/${
        type === 'dir' ? 'tree' : 'blob'
      }/${revision}/${encoded}`;
      const gitUrl = `${api}/git/${type === 'dir' ? 'trees' : 'blobs'}/${sha}`;
      return {
        type,
        size,
        name: entryPath.split('/').pop(),
        path: entryPath,
        sha,
        url: self,
        git_url: gitUrl,
        html_url: html,
        download_url:
          type === 'file'
            ? `${this.webUrl}/${owner}/${repo}/raw/${revision}/${encoded}`
            : null,
        _links: { self, git: gitUrl, html },
      };
    };
    const listing = await git.listDirectory(commit, clean);
    if (listing) {
      return {
        kind: 'json',
        json: listing.map(e =>
          entryJson(
            clean ? `${clean}/${e.name}` : e.name,
            e.type,
            e.sha,
            e.size,
          ),
        ),
      };
    }
    const content = await git.readFile(commit, clean);
    const sha = content && (await git.objectAt(commit, clean));
    if (!content || !sha) throw GitHubApiError.notFound(DOCS.contents);
    if (raw) return { kind: 'raw', content, sha };
    return {
      kind: 'json',
      json: {
        ...entryJson(clean, 'file', sha, content.length),
        encoding: 'base64',
        content: content.toString('base64').replace(/(.{60})/g, '$1\n'),
      },
    };
  }

  // ---------------------------------------------------------------- HTTP

  /**
   * Answers one request to the REST API (`<apiBaseUrl>/...`), as GitHub would; requests
   * outside the API base are 404.
   */
  async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const prefix = new URL(this.apiBaseUrl).pathname.replace(/\/+$/, '');
    const record: GitHubFakeRequestRecord = {
      method: request.method,
      path: url.pathname.startsWith(prefix)
        ? url.pathname.slice(prefix.length) || '/'
        : url.pathname,
      search: url.search.replace(/^\?/, ''),
      status: 0,
    };
    this.requests.push(record);
    let response: Response;
    try {
      if (!url.pathname.startsWith(`${prefix}/`)) {
        throw GitHubApiError.notFound();
      }
      const header = request.headers.get('authorization') ?? '';
      const match = /^(?:token|bearer)\s+(\S+)$/i.exec(header.trim());
      if (!header) {
        throw new GitHubApiError(401, {
          message: 'Requires authentication',
          documentation_url: GITHUB_DOCS,
        });
      }
      const login = match ? this.#tokens.get(match[1]) : undefined;
      if (!login) {
        throw new GitHubApiError(401, {
          message: 'Bad credentials',
          documentation_url: GITHUB_DOCS,
        });
      }
      record.login = login;
      const hook = this.#beforeRequest.findIndex(
        h => h.method === record.method.toUpperCase() && h.path === record.path,
      );
      if (hook >= 0) await this.#beforeRequest.splice(hook, 1)[0].action();
      response = await this.#route(request, url, record.path, login);
    } catch (error) {
      if (!(error instanceof GitHubApiError)) throw error;
      response = jsonResponse(error.status, error.body);
    }
    record.status = response.status;
    return response;
  }

  async #body(request: Request): Promise<Record<string, unknown>> {
    const text = await request.text();
    if (!text) return {};
    try {
      const parsed = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        return parsed as Record<string, unknown>;
      }
    } catch {
      // answered below
    }
    throw new GitHubApiError(400, {
      message: 'Problems parsing JSON',
      documentation_url: GITHUB_DOCS,
    });
  }

  async #route(
    request: Request,
    url: URL,
    path: string,
    login: string,
  ): Promise<Response> {
    const method = request.method.toUpperCase();
    let segments: string[];
    try {
      segments = path.split('/').slice(1).map(decodeURIComponent);
    } catch {
      throw GitHubApiError.notFound();
    }
    const [top, owner, repo, kind, numberText, sub, ...rest] = segments;

    if (top === 'user' && segments.length === 1 && method === 'GET') {
      const user = this.#users.get(login);
      const since = isoSeconds(this.#started);
      return jsonResponse(200, {
        ...this.#userJson(login),
        name: user?.name ?? null,
        company: null,
        blog: null,
        location: null,
        email: user?.email ?? null,
        hireable: null,
        bio: null,
        public_repos: 0,
        public_gists: 0,
        followers: 0,
        following: 0,
        created_at: since,
        updated_at: since,
      });
    }
    if (top === 'orgs' && repo === 'repos' && segments.length === 3) {
      if (method === 'POST') {
        return jsonResponse(
          201,
          await this.createRepository(login, owner, await this.#body(request)),
        );
      }
    }
    if (top !== 'repos' || !owner || !repo) throw GitHubApiError.notFound();

    if (segments.length === 3 && method === 'GET') {
      return jsonResponse(200, await this.getRepository(login, owner, repo));
    }
    if (kind === 'contents' && method === 'GET') {
      const accept = request.headers.get('accept') ?? '';
      const raw = /application\/vnd\.github(\.v3)?\.raw/.test(accept);
      const result = await this.getContent(
        login,
        owner,
        repo,
        segments.slice(4).join('/'),
        url.searchParams.get('ref'),
        raw,
      );
      if (result.kind === 'json') return jsonResponse(200, result.json);
      const etag = `"${result.sha}"`;
      if (request.headers.get('if-none-match') === etag) {
        return new Response(null, { status: 304, headers: { etag } });
      }
      return new Response(new Uint8Array(result.content), {
        status: 200,
        headers: {
          'content-type': 'application/vnd.github.raw; charset=utf-8',
          etag,
        },
      });
    }
    if (kind === 'statuses' && segments.length === 5 && method === 'POST') {
      return jsonResponse(
        201,
        await this.createCommitStatus(
          login,
          owner,
          repo,
          numberText,
          await this.#body(request),
        ),
      );
    }
    if (kind === 'commits' && segments.length === 6 && method === 'GET') {
      if (numberText && sub === 'statuses') {
        return jsonResponse(
          200,
          await this.listCommitStatuses(login, owner, repo, numberText),
        );
      }
      if (numberText && sub === 'status') {
        return jsonResponse(
          200,
          await this.combinedStatus(login, owner, repo, numberText),
        );
      }
    }
    if (kind !== 'pulls') throw GitHubApiError.notFound();

    if (numberText === undefined) {
      if (method === 'GET') {
        const { items, total } = await this.listPullRequests(
          login,
          owner,
          repo,
          url.searchParams,
        );
        return jsonResponse(200, items, this.#linkHeader(url, total));
      }
      if (method === 'POST') {
        return jsonResponse(
          201,
          await this.createPullRequest(
            login,
            owner,
            repo,
            await this.#body(request),
          ),
        );
      }
      throw GitHubApiError.notFound();
    }
    if (!/^[1-9]\d{0,8}$/.test(numberText) || rest.length > 0) {
      throw GitHubApiError.notFound();
    }
    const number = Number(numberText);
    if (sub === undefined) {
      if (method === 'GET') {
        return jsonResponse(
          200,
          await this.getPullRequest(login, owner, repo, number),
        );
      }
      if (method === 'PATCH') {
        return jsonResponse(
          200,
          await this.updatePullRequest(
            login,
            owner,
            repo,
            number,
            await this.#body(request),
          ),
        );
      }
    }
    if (sub === 'files' && method === 'GET') {
      return jsonResponse(
        200,
        await this.listPullRequestFiles(login, owner, repo, number),
      );
    }
    if (sub === 'merge' && method === 'PUT') {
      return jsonResponse(
        200,
        await this.mergePullRequest(
          login,
          owner,
          repo,
          number,
          await this.#body(request),
        ),
      );
    }
    if (sub === 'merge' && method === 'GET') {
      if (await this.isMerged(login, owner, repo, number)) {
        return new Response(null, { status: 204 });
      }
      throw GitHubApiError.notFound(DOCS.merge);
    }
    if (sub === 'reviews' && method === 'POST') {
      return jsonResponse(
        200,
        await this.submitReview(
          login,
          owner,
          repo,
          number,
          await this.#body(request),
        ),
      );
    }
    if (sub === 'reviews' && method === 'GET') {
      return jsonResponse(
        200,
        await this.listReviews(login, owner, repo, number),
      );
    }
    throw GitHubApiError.notFound();
  }

  /** GitHub's pagination `Link` header (`next`/`last`) when there is more than one page. */
  #linkHeader(url: URL, total: number): Record<string, string> {
    const perPage = Math.min(
      Number(url.searchParams.get('per_page') ?? 30) || 30,
      100,
    );
    const page = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1);
    const last = Math.ceil(total / perPage);
    if (last <= 1) return {};
    const link = (p: number, rel: string) => {
      const u = new URL(url);
      u.searchParams.set('page', String(p));
      return `<${u}>; rel="${rel}"`;
    };
    const links = [];
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
    return links.length ? { link: links.join(', ') } : {};
  }
}
