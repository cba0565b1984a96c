import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import type { Application } from '@kupe/plugin-gitops-node';
import {
  type PromoteResponse,
  type PromotionPreview,
  type RevertPlan,
  type RevertResponse,
  gitOpsApplicationPromotePermission,
  isProductionEnvironment,
  normalizeEnvironment,
} from '@kupe/plugin-gitops-common';
import {
  type GitHost,
  GitHubHost,
  type PromotionLayoutReader,
} from '@kupe/plugin-gitops-node';
import type { ApplicationIndex } from '../applicationIndex/ApplicationIndex';
import type { IndexedApplication } from '../applicationIndex/IndexedApplication';
import type {
  ApplicationAccess,
  VisibleApplication,
} from '../service/ApplicationAccess';
import { applicationSourceOf } from './applicationSource';
import { type Checkout, Checkouts, repositoryKey } from './checkout';
import { ownCommits } from './commits';
import {
  type ApplicationSource,
  type EnvironmentFiles,
  isNeverDeployed,
  isOwnFile,
  sourceDir,
} from './environmentVersion';
import { FourEyes, type ReviewerDirectory } from './FourEyes';
import type { GitOperationsOptions } from './GitOperationsOptions';
import { findNextApplication, refOf, serviceDirOf } from './nextApplication';
import { type OwnFilesAt, readOwnFiles } from './ownFiles';
import { describeDowngrades } from './promotionDirection';
import { planPromotion } from './promotionPlanner';
import { PreviewCache } from './previewCache';
import { previewOf } from './promotionPreview';
import { promotionRequest } from './promotionRequest';
import { PullRequestDelivery } from './pullRequestDelivery';
import { type Requester, Reverts } from './reverts';
import { DEFAULT_SHARED_COPIES_OPTIONS } from './sharedCopies';
import { readVersionsAt } from './versionsAt';
import type { SharedApplicationReads } from '../service/SharedApplicationReads';

export type { OwnFilesAt } from './ownFiles';

export type { Requester } from './reverts';

/** Runs nothing yet: by its live status (the index's record may lack the history). */
const neverDeployed = (app: IndexedApplication, source: ApplicationSource) =>
  !source.deployedRevision && isNeverDeployed(app);

/** The next environment's application, cleared for the caller. */
interface NextApplication {
  app: IndexedApplication;
  visible: VisibleApplication;
  source: ApplicationSource;
}

/**
 * Rollback by Git revert and promotion between environments: both change the GitOps
 * repository (a pull request, or a direct commit where the environment allows it) and let
 * Argo CD reconcile, so they work for auto-sync applications too. Callers pass applications
 * already cleared by {@link ApplicationAccess}; the next environment's application is cleared
 * here with the caller's own credentials.
 *
 * Three layers: {@link Checkouts} clones, the pure planners ({@link planPromotion},
 * {@link planRevert}) decide, and {@link PullRequestDelivery} delivers.
 */
export class GitOperations {
  readonly #index: ApplicationIndex;
  readonly #reads: SharedApplicationReads | undefined;
  readonly #access: ApplicationAccess;
  readonly #github: GitHubHost;
  readonly #options: GitOperationsOptions;
  readonly #layoutReaders: readonly PromotionLayoutReader[];
  readonly #logger: LoggerService;
  readonly #fourEyes: FourEyes | undefined;
  readonly #checkouts: Checkouts;
  readonly #delivery: PullRequestDelivery;
  readonly #reverts: Reverts;
  readonly #previews = new PreviewCache();

  constructor(options: {
    index: ApplicationIndex;
    access: ApplicationAccess;
    integrations: ScmIntegrationRegistry;
    options: GitOperationsOptions;
    logger: LoggerService;
    /** Who a GitHub reviewer is: with it, pull requests get the `kupe/four-eyes` status. */
    reviewers?: ReviewerDirectory;
    /** The host of pull requests and statuses (gitOpsGitHostExtensionPoint); default GitHub. */
    gitHost?: GitHost;
    /** Promotion layout readers modules added (gitOpsPromotionLayoutExtensionPoint). */
    layoutReaders?: readonly PromotionLayoutReader[];
    /** Previews read the apps as the page's details do, shared (default: none shared). */
    reads?: SharedApplicationReads;
  }) {
    this.#layoutReaders = options.layoutReaders ?? [];
    this.#reads = options.reads;
    this.#index = options.index;
    this.#access = options.access;
    this.#github = options.gitHost ?? new GitHubHost(options.integrations);
    this.#options = options.options;
    this.#logger = options.logger;
    this.#fourEyes = options.reviewers
      ? new FourEyes({
          github: this.#github,
          reviewers: options.reviewers,
          logger: options.logger,
        })
      : undefined;
    this.#checkouts = new Checkouts({
      integrations: options.integrations,
      allowLocalRepositories: options.options.allowLocalRepositories,
      readCopies: {
        ...DEFAULT_SHARED_COPIES_OPTIONS,
        freshForMs: options.options.readFreshnessMs,
      },
    });
    this.#delivery = new PullRequestDelivery({
      github: this.#github,
      fourEyes: this.#fourEyes,
      logger: options.logger,
    });
    this.#reverts = new Reverts({
      checkouts: this.#checkouts,
      delivery: this.#delivery,
      options: options.options,
      sourceOf: visible => this.#sourceOf(visible),
      directCommitAllowed: environment => this.directCommitAllowed(environment),
    });
  }

  /**
   * Decides the `kupe/four-eyes` status of the open pull requests of every GitHub repository
   * an indexed application deploys from: reviews arrive on GitHub, not through the portal.
   */
  async checkFourEyes(): Promise<number> {
    if (!this.#fourEyes) return 0;
    const repositories = new Map<string, string>();
    for (const instance of this.#index.instances()) {
      for (const app of this.#index.instance(instance).list()) {
        // Every Git source: a multi-source app's first is often its chart's Helm repository,
        // and its pull requests are in the repository of its values.
        for (const source of app.sources ?? []) {
          const url = source.repoURL;
          if (!source.chart && url && this.#github.supports(url))
            repositories.set(repositoryKey(url), url);
        }
      }
    }
    let changed = 0;
    for (const url of repositories.values()) {
      try {
        changed += await this.#fourEyes.checkRepository(url);
      } catch (error) {
        this.#logger.warn(
          `Four-eyes check of ${url} failed: ${(error as Error).message}`,
        );
      }
    }
    return changed;
  }

  /** Removes the shared read-only clones; for the backend's shutdown. */
  close(): Promise<void> {
    return this.#checkouts.close();
  }

  /** Whether the environment's policy allows direct commits (never production). */
  directCommitAllowed(environment: string | undefined): boolean {
    if (!environment || isProductionEnvironment(environment)) return false;
    return this.#options.directCommitEnvironments.includes(
      normalizeEnvironment(environment),
    );
  }

  /**
   * The application's source as Argo CD has it now, value files included. `shared`: a read
   * the page's other requests may share (a preview's), not one a change is made from.
   */
  async #sourceOf(
    visible: VisibleApplication,
    shared = false,
  ): Promise<ApplicationSource> {
    return applicationSourceOf(
      shared && this.#reads
        ? (await this.#reads.application(visible)).application
        : await visible.client.getApplication(visible.app.name, visible.scope),
    );
  }

  // ---- What a revision holds of the app's own files -------------------------------------

  /**
   * For each revision (full SHAs of the tracked branch; others are left out): a key of the
   * application's own files there (equal keys, equal files) and the newest commit up to it
   * that changed them. One shared clone for all of them. `app`: the Application as the
   * caller just read it from Argo CD, whose source is read instead of asking again.
   */
  async ownFilesAt(
    visible: VisibleApplication,
    revisions: string[],
    app?: Application,
  ): Promise<Map<string, OwnFilesAt>> {
    const source = app
      ? applicationSourceOf(app)
      : await this.#sourceOf(visible);
    if (source.chart) return new Map();
    return this.#checkouts.read(source, checkout =>
      readOwnFiles(checkout, source, revisions),
    );
  }

  /** The version (images, chart version) the app's files hold at each revision; one clone. */
  async versionsAt(
    visible: VisibleApplication,
    revisions: string[],
  ): Promise<Map<string, EnvironmentFiles>> {
    const source = await this.#sourceOf(visible);
    if (source.chart) return new Map();
    return this.#checkouts.read(source, checkout =>
      readVersionsAt(checkout, source, revisions, this.#layoutReaders),
    );
  }

  // ---- Rollback by revert ---------------------------------------------------------------

  /** The commits after `toRevision` on the app's own files and the diff a revert would make. */
  revertPlan(
    visible: VisibleApplication,
    toRevision: string,
  ): Promise<RevertPlan> {
    return this.#reverts.plan(visible, toRevision);
  }

  /**
   * One commit returning the app's own files to `toRevision` (other files untouched), as a
   * pull request or, where the environment allows it, a direct commit to the tracked branch.
   */
  revert(
    visible: VisibleApplication,
    request: { toRevision: string; directCommit?: boolean },
    requester: Requester,
  ): Promise<RevertResponse> {
    return this.#reverts.revert(visible, request, requester);
  }

  // ---- Promotion -------------------------------------------------------------------------

  /** The next environment's application, cleared for the caller (with `permission`, if given). */
  async #next(
    visible: VisibleApplication,
    source: ApplicationSource,
    credentials: BackstageCredentials,
    permission?: typeof gitOpsApplicationPromotePermission,
    shared = false,
  ): Promise<NextApplication | undefined> {
    const nextApp = await findNextApplication({
      index: this.#index,
      access: this.#access,
      app: visible.app,
      source,
      credentials,
    });
    if (!nextApp) return undefined;
    const nextVisible = await this.#access.requireApplication(
      credentials,
      refOf(nextApp),
      permission,
    );
    return {
      app: nextVisible.app,
      visible: nextVisible,
      source: await this.#sourceOf(nextVisible, shared),
    };
  }

  /**
   * Runs `fn` with the promotion planned. A preview plans on the shared read-only clone
   * (its files and diff come from git's objects, no working tree); when `resolved`
   * (promote), on a clone of its own whose working tree then holds the next environment's
   * edited files, uncommitted, for `fn` to commit and push.
   */
  async #withPromotion<T>(
    visible: VisibleApplication,
    credentials: BackstageCredentials,
    fn: (
      preview: PromotionPreview,
      /** Absent for a chart from a Helm repository: nothing in Git to read or change. */
      checkout: Checkout | undefined,
      next?: NextApplication,
    ) => Promise<T>,
    resolved?: { source: ApplicationSource; next: NextApplication | undefined },
  ): Promise<T> {
    const app = visible.app;
    // A preview reads the apps as the page's details do; a promotion resolved them itself.
    const source = resolved?.source ?? (await this.#sourceOf(visible, true));
    const next = resolved
      ? resolved.next
      : await this.#next(visible, source, credentials, undefined, true);
    const sides = {
      app: {
        name: app.name,
        environment: app.environment,
        neverDeployed: neverDeployed(app, source),
        source,
      },
      next: next && {
        name: next.app.name,
        environment: next.app.environment!,
        neverDeployed: neverDeployed(next.app, next.source),
        source: next.source,
        sameBranch:
          repositoryKey(next.source.repoURL) ===
            repositoryKey(source.repoURL) &&
          (next.source.targetRevision || 'HEAD') ===
            (source.targetRevision || 'HEAD'),
      },
    };
    const noHistory = {
      firstCommitWith: async () => undefined,
      isAncestor: async () => false,
    };

    if (source.chart) {
      const noFiles = { read: async () => undefined, list: async () => [] };
      const plan = await planPromotion({
        app: { ...sides.app, runs: noFiles },
        next: sides.next && { ...sides.next, runs: noFiles, head: noFiles },
        history: noHistory,
      });
      return fn(
        previewOf(
          visible.app,
          next && {
            app: next.app,
            neverDeployed: neverDeployed(next.app, next.source),
          },
          plan,
          {},
        ),
        undefined,
        next,
      );
    }

    /** Plans on `checkout` (the private clone of a promotion, the shared one of a preview). */
    const planned = async (checkout: Checkout, done: typeof fn): Promise<T> => {
      const { copy } = checkout;
      const deployed =
        (await checkout.known(
          source.deployedRevision ?? app.deployedRevision,
        )) ?? checkout.head;
      const nextDeployed = sides.next?.sameBranch
        ? await checkout.known(
            next!.source.deployedRevision ?? next!.app.deployedRevision,
          )
        : undefined;
      const historyPaths = [
        serviceDirOf(source.path, app.environment) ||
          sourceDir(source.path) ||
          '.',
      ];
      const plan = await planPromotion({
        app: { ...sides.app, runs: checkout.at(deployed), revision: deployed },
        next: sides.next && {
          ...sides.next,
          runs: checkout.at(nextDeployed ?? checkout.head),
          head: checkout.at(checkout.head),
        },
        history: {
          firstCommitWith: text =>
            copy.firstCommitWith({
              to: checkout.head,
              text,
              paths: historyPaths,
            }),
          isAncestor: (a, b) => copy.isAncestor(a, b),
        },
        readers: this.#layoutReaders,
      });
      const preview = previewOf(
        visible.app,
        next && {
          app: next.app,
          neverDeployed: neverDeployed(next.app, next.source),
        },
        plan,
        {
          app: deployed,
          next:
            nextDeployed ??
            (sides.next?.sameBranch ? checkout.head : undefined),
        },
      );
      if (!plan.nextVersion) return done(preview, checkout, next);

      // Commits on this environment's own files since what the next environment runs;
      // without a common history, the commits that changed the version files.
      const since =
        nextDeployed && (await copy.isAncestor(nextDeployed, deployed))
          ? nextDeployed
          : undefined;
      let logPaths = plan.version.versionFiles;
      if (since || logPaths.length === 0)
        logPaths = [sourceDir(source.path) || '.'];
      preview.commits = ownCommits(
        await copy.log({
          from: since,
          to: deployed,
          paths: logPaths,
          maxCount: since ? 200 : 20,
        }),
        file => isOwnFile(source, plan.version.layout, file),
      );
      if (plan.blocked && plan.blocked.code !== 'already-there')
        return done(preview, checkout, next);

      // Computed from the objects alone, so a preview needs no working tree of its own.
      const changed = await copy.diffOfWrites(checkout.head, plan.writes);
      preview.files = changed.files;
      preview.diff = changed.diff;
      // A promotion commits its private clone's working tree.
      if (resolved) await copy.writeFiles(plan.writes);
      preview.promotable = !plan.blocked && preview.files.length > 0;
      if (!preview.promotable)
        preview.reason = `${next!.app.name} is already at ${
          preview.version.label
        }`;
      return done(preview, checkout, next);
    };
    if (resolved) return this.#checkouts.with(source, c => planned(c, fn));

    // A preview: the one computed before from the same inputs at the same head, if kept.
    return this.#checkouts.read(source, async shared => {
      const key = PreviewCache.keyOf({
        repository: repositoryKey(source.repoURL),
        branch: shared.branch,
        head: shared.head,
        app: [refOf(app), app.deployedRevision, sides.app],
        next: next && [
          refOf(next.app),
          next.app.deployedRevision,
          next.app.syncPolicy ?? null,
          sides.next,
        ],
      });
      const kept = this.#previews.get(key);
      if (kept) return fn(kept, undefined, next);
      // Planned on the shared clone itself: a preview reads by revision and diffs without a
      // working tree, so the clone stays as it was.
      return planned(shared, (preview, ...rest) => {
        this.#previews.set(key, preview);
        return fn(preview, ...rest);
      });
    });
  }

  /** What promoting the deployed version into the next environment would do. */
  promotionPreview(
    visible: VisibleApplication,
    credentials: BackstageCredentials,
  ): Promise<PromotionPreview> {
    return this.#withPromotion(visible, credentials, async preview => preview);
  }

  /**
   * Opens (or finds the identical open) pull request carrying the deployed version into the
   * next environment. Always a pull request, so production needs its approval.
   */
  async promote(
    visible: VisibleApplication,
    credentials: BackstageCredentials,
    requester: Requester,
    options: { allowDowngrade?: boolean } = {},
  ): Promise<PromoteResponse> {
    const source = await this.#sourceOf(visible);
    // The next environment's own permission decides too, e.g. a policy limiting production;
    // checked before any git access.
    const next = await this.#next(
      visible,
      source,
      credentials,
      gitOpsApplicationPromotePermission,
    );
    if (source.chart) {
      throw new ConflictError(
        `${visible.app.name} deploys chart ${source.chart} from a Helm repository: promote it by changing the next Application's targetRevision, not Git`,
      );
    }
    this.#delivery.require(
      source.repoURL,
      'promotions are always pull requests',
    );
    return this.#withPromotion(
      visible,
      credentials,
      async (preview, checkout, target) => {
        if (!target || !preview.next || !preview.promotable || !checkout) {
          throw new ConflictError(
            preview.reason ?? `Nothing to promote from ${visible.app.name}`,
          );
        }
        const to = preview.next.environment;
        const downgrades = preview.downgrades ?? [];
        if (downgrades.length > 0 && !options.allowDowngrade) {
          throw new ConflictError(
            `Promoting ${visible.app.name} would move ${
              target.app.name
            } (${to}) backwards: ${describeDowngrades(
              downgrades,
            )}; confirm the downgrade (allowDowngrade: true) to promote it anyway`,
          );
        }
        const request = promotionRequest(
          { ...preview, next: preview.next },
          visible.app,
          requester.userEntityRef,
        );
        await checkout.copy.commitIfChanged(
          request.message,
          this.#options.committer,
        );
        const { pullRequestUrl } = await this.#delivery.pullRequest(checkout, {
          branch: request.branch,
          title: request.title,
          body: request.body,
          request: {
            requester: requester.userEntityRef,
            tenant: target.app.tenant,
            environment: to,
          },
        });
        return {
          pullRequestUrl,
          branch: request.branch,
          changedFiles: preview.files,
          environment: to,
          application: preview.next.application,
        };
      },
      { source, next },
    );
  }
}
