import type { LoggerService } from '@backstage/backend-plugin-api';
import { isProductionEnvironment } from '@kupe/plugin-gitops-common';
import type {
  GitHubCommitStatus,
  GitHubHost,
  GitHubPullRequest,
} from '@kupe/plugin-gitops-node';

/** The commit status the portal sets on pull requests; branch protection requires it. */
export const FOUR_EYES_CONTEXT = 'kupe/four-eyes';

/** A signed-in user of the portal behind a GitHub login, and their tenants. */
export interface Reviewer {
  userEntityRef: string;
  tenants: ReadonlySet<string>;
}

/** Who a GitHub login is in the portal (undefined: nobody the portal can vouch for). */
export interface ReviewerDirectory {
  byGitHubLogin(login: string): Promise<Reviewer | undefined>;
}

/** A change the portal opened: who asked for it, for which tenant and environment. */
export interface FourEyesRequest {
  requester: string;
  tenant?: string;
  environment: string;
}

interface Decision {
  state: GitHubCommitStatus['state'];
  description: string;
}

// The record of a request, as the first part of every status the portal sets.
const RECORD = /^Requested by (\S+) \(([^,()]+), ([^()]+)\): /;
const NO_TENANT = 'no tenant';

const prefixOf = (request: FourEyesRequest) =>
  `Requested by ${request.requester.toLowerCase()} (${
    request.tenant ?? NO_TENANT
  }, ${request.environment}): `;

function parseRecord(description: string | undefined) {
  const match = RECORD.exec(description ?? '');
  if (!match) return undefined;
  return {
    requester: match[1],
    tenant: match[2] === NO_TENANT ? undefined : match[2],
    environment: match[3],
  };
}

const sameLogin = (a: string | undefined, b: string | undefined) =>
  !!a && !!b && a.toLowerCase() === b.toLowerCase();

/**
 * Four eyes on production: the `kupe/four-eyes` commit status of a pull request's head. The
 * portal opens promotions and reverts with its own GitHub identity, so GitHub's rule that an
 * author cannot approve their own pull request does not stop the person who asked for it;
 * this status does. The portal records the requester in the statuses it sets on the commit
 * it pushed (only it can set statuses that the protection's pinned source counts), and sets
 * `success` for a production change only once the head commit has an approving review from a
 * member of the change's tenant who is not one of its requesters. A new push to the branch
 * is a new head without the portal's record: it fails, and the change must be opened again.
 * Pull requests opened by people are theirs: GitHub's own author rule applies, so they pass.
 */
export class FourEyes {
  readonly #github: GitHubHost;
  readonly #reviewers: ReviewerDirectory;
  readonly #logger: LoggerService;
  readonly #logins = new Map<string, Promise<string>>();

  constructor(options: {
    github: GitHubHost;
    reviewers: ReviewerDirectory;
    logger: LoggerService;
  }) {
    this.#github = options.github;
    this.#reviewers = options.reviewers;
    this.#logger = options.logger;
  }

  /**
   * The portal's own GitHub login on the host of `repoUrl`: `GET /user`, or (a GitHub App's
   * installation token may not read it) the creator of a status the portal set there.
   */
  #portalLogin(repoUrl: string): Promise<string> {
    const host = new URL(repoUrl).host;
    let login = this.#logins.get(host);
    if (!login) {
      const asked = this.#github.login(repoUrl);
      // Forgotten when it fails, unless a login learnt meanwhile replaced it.
      asked.catch(() => {
        if (this.#logins.get(host) === asked) this.#logins.delete(host);
      });
      this.#logins.set(host, asked);
      login = asked;
    }
    return login;
  }

  #learnLogin(repoUrl: string, creator: string | undefined) {
    if (creator)
      this.#logins.set(new URL(repoUrl).host, Promise.resolve(creator));
  }

  /** Records who asked for the pull request's head commit, then decides its status. */
  async opened(
    repoUrl: string,
    pull: GitHubPullRequest,
    request: FourEyesRequest,
  ): Promise<GitHubCommitStatus['state']> {
    const creator = await this.#github.setCommitStatus(repoUrl, pull.headSha, {
      context: FOUR_EYES_CONTEXT,
      state: 'pending',
      description: `${prefixOf(request)}checking reviews`,
      targetUrl: pull.htmlUrl,
    });
    this.#learnLogin(repoUrl, creator);
    return this.check(repoUrl, pull);
  }

  /** Decides (and sets, when it changed) the status of every open pull request of the repository. */
  async checkRepository(repoUrl: string): Promise<number> {
    let changed = 0;
    for (const pull of await this.#github.openPullRequests(repoUrl)) {
      try {
        const before = await this.#current(repoUrl, pull);
        const after = await this.check(repoUrl, pull);
        if (before !== after) changed += 1;
      } catch (error) {
        this.#logger.warn(
          `Four-eyes check of ${pull.htmlUrl} failed: ${
            (error as Error).message
          }`,
        );
      }
    }
    return changed;
  }

  async #current(repoUrl: string, pull: GitHubPullRequest) {
    const portal = await this.#portalLogin(repoUrl);
    return (await this.#github.commitStatuses(repoUrl, pull.headSha)).find(
      s => s.context === FOUR_EYES_CONTEXT && sameLogin(s.creator, portal),
    )?.state;
  }

  /** Decides the status of one open pull request and sets it when it changed. */
  async check(
    repoUrl: string,
    pull: GitHubPullRequest,
  ): Promise<GitHubCommitStatus['state']> {
    const portal = await this.#portalLogin(repoUrl);
    // Newest first; only the portal's own statuses carry records it trusts.
    const own = (
      await this.#github.commitStatuses(repoUrl, pull.headSha)
    ).filter(
      s => s.context === FOUR_EYES_CONTEXT && sameLogin(s.creator, portal),
    );
    const decision = await this.#decide(repoUrl, pull, portal, own);
    const latest = own[0];
    if (
      !latest ||
      latest.state !== decision.state ||
      latest.description !== decision.description
    ) {
      await this.#github.setCommitStatus(repoUrl, pull.headSha, {
        context: FOUR_EYES_CONTEXT,
        ...decision,
        targetUrl: pull.htmlUrl,
      });
    }
    return decision.state;
  }

  async #decide(
    repoUrl: string,
    pull: GitHubPullRequest,
    portal: string,
    own: GitHubCommitStatus[],
  ): Promise<Decision> {
    const records = own
      .map(s => parseRecord(s.description))
      .filter((r): r is NonNullable<typeof r> => !!r)
      .reverse();
    const first = records[0];
    if (!first) {
      if (sameLogin(pull.author, portal)) {
        return {
          state: 'failure',
          description:
            'Changed after the portal opened it, so who asked for it is unknown: open the change again through the portal',
        };
      }
      return {
        state: 'success',
        description: `Opened by ${
          pull.author ?? 'someone'
        } outside the portal: GitHub keeps its author from approving it`,
      };
    }
    const prefix = prefixOf(first);
    if (!records.some(r => isProductionEnvironment(r.environment))) {
      return {
        state: 'success',
        description: `${prefix}not production, no second person needed`,
      };
    }
    const requesters = new Set(records.map(r => r.requester));
    const tenant = first.tenant;
    const latest = new Map<string, { state: string; commitId?: string }>();
    for (const review of await this.#github.reviews(repoUrl, pull.number)) {
      if (!review.user) continue;
      if (review.state === 'COMMENTED' || review.state === 'PENDING') continue;
      latest.set(review.user.toLowerCase(), review);
    }
    for (const [login, review] of latest) {
      // Only an approval of what would be merged counts.
      if (review.state !== 'APPROVED' || review.commitId !== pull.headSha)
        continue;
      const reviewer = await this.#reviewers.byGitHubLogin(login);
      if (!reviewer || requesters.has(reviewer.userEntityRef)) continue;
      if (!tenant || !reviewer.tenants.has(tenant)) continue;
      return {
        state: 'success',
        description: `${prefix}approved by ${login}`,
      };
    }
    return {
      state: 'pending',
      description: `${prefix}needs an approval by ${
        tenant ? `another member of ${tenant}` : 'a tenant member'
      }`,
    };
  }
}
