import { ConflictError, InputError } from '@backstage/errors';
import {
  type RevertPlan,
  type RevertResponse,
  isProductionEnvironment,
} from '@kupe/plugin-gitops-common';
import type { VisibleApplication } from '../service/ApplicationAccess';
import type { Checkout, Checkouts } from './checkout';
import { type ApplicationSource, sourceDir } from './environmentVersion';
import type { GitOperationsOptions } from './GitOperationsOptions';
import type { PullRequestDelivery } from './pullRequestDelivery';
import { planRevert } from './revertPlanner';

/** Who asked for a change: named in commit messages and pull requests. */
export interface Requester {
  userEntityRef: string;
}

const shortSha = (sha: string) => sha.slice(0, 7);

/**
 * Rollback by Git revert: the app's own files return to an earlier revision of its branch in
 * one commit, planned by {@link planRevert} in a checkout and delivered as a pull request or,
 * where the environment allows it, a direct commit.
 */
export class Reverts {
  readonly #checkouts: Checkouts;
  readonly #delivery: PullRequestDelivery;
  readonly #options: GitOperationsOptions;
  readonly #sourceOf: (
    visible: VisibleApplication,
  ) => Promise<ApplicationSource>;
  readonly #directCommitAllowed: (environment: string | undefined) => boolean;

  constructor(options: {
    checkouts: Checkouts;
    delivery: PullRequestDelivery;
    options: GitOperationsOptions;
    sourceOf: (visible: VisibleApplication) => Promise<ApplicationSource>;
    directCommitAllowed: (environment: string | undefined) => boolean;
  }) {
    this.#checkouts = options.checkouts;
    this.#delivery = options.delivery;
    this.#options = options.options;
    this.#sourceOf = options.sourceOf;
    this.#directCommitAllowed = options.directCommitAllowed;
  }

  /** Plans the revert in the checkout and restores the files there, uncommitted. */
  async #revertIn(
    checkout: Checkout,
    visible: VisibleApplication,
    source: ApplicationSource,
    toRevision: string,
  ) {
    const { copy, head } = checkout;
    const to = await copy.resolveCommit(toRevision);
    const inHistory = to ? await copy.isAncestor(to, head) : false;
    const dir = sourceDir(source.path);
    const plan = await planRevert({
      source,
      name: visible.app.name,
      branch: checkout.branch,
      toRevision,
      to,
      inHistory,
      head: checkout.at(head),
      target: checkout.at(to ?? head),
      log:
        to && inHistory
          ? await copy.log({ from: to, to: head, paths: [dir || '.'] })
          : [],
    });
    if (
      plan.blocked?.code === 'unknown-revision' ||
      plan.blocked?.code === 'not-in-history'
    ) {
      throw new InputError(plan.blocked.message);
    }
    await copy.restoreFrom(plan.to, plan.restore);
    return {
      plan,
      changedFiles: await copy.changedFiles(),
      diff: await copy.diff(),
    };
  }

  /** The commits after `toRevision` on the app's own files and the diff a revert would make. */
  async plan(
    visible: VisibleApplication,
    toRevision: string,
  ): Promise<RevertPlan> {
    const source = await this.#sourceOf(visible);
    return this.#checkouts.scratch(source, async checkout => {
      const { plan, changedFiles, diff } = await this.#revertIn(
        checkout,
        visible,
        source,
        toRevision,
      );
      return {
        toRevision: plan.to,
        head: checkout.head,
        branch: checkout.branch,
        ...(visible.app.environment
          ? { environment: visible.app.environment }
          : {}),
        commits: plan.commits,
        files: changedFiles,
        diff,
        directCommitAllowed: this.#directCommitAllowed(visible.app.environment),
        pullRequestAvailable: this.#delivery.supports(source.repoURL),
      };
    });
  }

  /**
   * One commit returning the app's own files to `toRevision` (other files untouched), as a
   * pull request or, where the environment allows it, a direct commit to the tracked branch.
   */
  async revert(
    visible: VisibleApplication,
    request: { toRevision: string; directCommit?: boolean },
    requester: Requester,
  ): Promise<RevertResponse> {
    const environment = visible.app.environment;
    const allowedIn =
      this.#options.directCommitEnvironments.join(', ') || 'none';
    if (request.directCommit && !this.#directCommitAllowed(environment)) {
      throw new ConflictError(
        `Direct commits are not allowed in environment ${
          environment ?? '(none)'
        }${
          environment && isProductionEnvironment(environment)
            ? ': production changes always go through an approved pull request'
            : ` (allowed in: ${allowedIn})`
        }; open a pull request instead`,
      );
    }
    const source = await this.#sourceOf(visible);
    if (!request.directCommit) {
      this.#delivery.require(
        source.repoURL,
        this.#directCommitAllowed(environment)
          ? 'ask for a direct commit instead'
          : `direct commits are allowed only in: ${allowedIn}`,
      );
    }
    return this.#checkouts.with(source, async checkout => {
      const { plan, changedFiles } = await this.#revertIn(
        checkout,
        visible,
        source,
        request.toRevision,
      );
      if (changedFiles.length === 0) {
        throw new ConflictError(
          plan.blocked?.message ??
            `The files of ${visible.app.name} are already as at ${shortSha(
              plan.to,
            )}; nothing to revert`,
        );
      }
      const app = visible.app.name;
      const title = `Revert ${app} to ${shortSha(plan.to)}`;
      const message = [
        title,
        '',
        `Returns the files of ${app} (${sourceDir(source.path) || '/'}) to ${
          plan.to
        }, reverting:`,
        ...plan.commits.map(c => `- ${c.sha} ${c.message}`),
        '',
        `Requested-by: ${requester.userEntityRef}`,
      ].join('\n');
      const { sha } = await checkout.copy.commitIfChanged(
        message,
        this.#options.committer,
      );
      const base = {
        revertedCommits: plan.commits.map(c => c.sha),
        changedFiles,
      };
      if (request.directCommit) {
        await this.#delivery.directCommit(checkout);
        return {
          delivery: 'direct-commit',
          branch: checkout.branch,
          commitSha: sha!,
          ...base,
        };
      }
      const prBranch = `kupe/revert/${app}-${plan.to.slice(0, 12)}`;
      const delivered = await this.#delivery.pullRequest(checkout, {
        branch: prBranch,
        title,
        body: `${message}\n\nArgo CD reconciles ${app} once this is merged.`,
        request: {
          requester: requester.userEntityRef,
          tenant: visible.app.tenant,
          environment: environment ?? 'unknown',
        },
      });
      return {
        delivery: 'pull-request',
        pullRequestUrl: delivered.pullRequestUrl,
        branch: prBranch,
        commitSha: delivered.commitSha,
        ...base,
      };
    });
  }
}
