import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import {
  type ApplicationRef,
  type EnvironmentVersion,
  type GitCommit,
  type ImageChange,
  KUBERNETES_ID_LABEL,
  type PromoteResponse,
  type PromotionPreview,
  type RevertPlan,
  type RevertResponse,
  gitOpsApplicationPromotePermission,
  gitOpsApplicationReadPermission,
  isProductionEnvironment,
  nextEnvironment,
  normalizeEnvironment,
} from '@kupe/plugin-gitops-common';
import {
  GitHubHost,
  GitWorkingCopy,
  resolveGitCredentials,
} from '@kupe/plugin-gitops-node';
import type { ApplicationIndex } from '../applicationIndex/ApplicationIndex';
import type { IndexedApplication } from '../applicationIndex/IndexedApplication';
import type {
  ApplicationAccess,
  VisibleApplication,
} from '../service/ApplicationAccess';
import {
  type ApplicationSource,
  type EnvironmentFiles,
  type TreeReader,
  isOwnFile,
  planChartPromotion,
  isNeverDeployed,
  readEnvironmentVersion,
  setImageTags,
  sourceDir,
  versionLabel,
} from './environmentVersion';
import {
  FourEyes,
  type FourEyesRequest,
  type ReviewerDirectory,
} from './FourEyes';
import type { GitOperationsOptions } from './GitOperationsOptions';
import { describeDowngrades, findDowngrades } from './promotionDirection';

/** The application's own files at one revision. */
export interface OwnFilesAt {
  /** Equal for two revisions exactly when the app's own files are the same in both. */
  key: string;
  /** The newest commit up to the revision that changed the app's own files. */
  lastChange?: GitCommit;
}

/** Who asked for a change: named in commit messages and pull requests. */
export interface Requester {
  userEntityRef: string;
}

// Branch names the portal accepts from Application specs: what git allows, minus surprises.
const BRANCH = /^(?!-)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._\/-]{1,200}(?<![./])$/;
const FULL_SHA = /^[0-9a-f]{40}$/;
const COMMITS_LIMIT = 200;
// Upper bound of one operation's git work (clone, log, push), so a hanging host frees the request.
const GIT_TIMEOUT_MS = 120_000;

const refOf = (app: IndexedApplication): ApplicationRef => ({
  instance: app.instance,
  appNamespace: app.appNamespace,
  name: app.name,
});

const shortSha = (sha: string) => sha.slice(0, 7);

/** Repository identity for comparing sources: scheme-less, without `.git` and case on the host. */
function repositoryKey(repoUrl: string): string {
  try {
    const url = new URL(repoUrl);
    return `${url.host.toLowerCase()}${url.pathname
      .replace(/\/+$/, '')
      .replace(/\.git$/, '')}`;
  } catch {
    return repoUrl.replace(/\/+$/, '').replace(/\.git$/, '');
  }
}

/** The directory naming the service: the path without its environment (or overlays/<env>) part. */
function serviceDirOf(path: string | undefined, environment?: string): string {
  const parts = sourceDir(path).split('/');
  const last = parts[parts.length - 1];
  if (
    environment &&
    normalizeEnvironment(last ?? '') === normalizeEnvironment(environment)
  ) {
    parts.pop();
    if (parts[parts.length - 1] === 'overlays') parts.pop();
  }
  return parts.join('/');
}

function toCommit(
  commit: {
    sha: string;
    authorName: string;
    authorEmail: string;
    date: string;
    subject: string;
  },
  files: string[],
): GitCommit {
  return {
    sha: commit.sha,
    authorName: commit.authorName,
    authorEmail: commit.authorEmail,
    date: commit.date,
    message: commit.subject,
    files,
  };
}

function toVersion(
  files: EnvironmentFiles,
  revision: string | undefined,
): EnvironmentVersion {
  return {
    layout: files.layout,
    ...(revision ? { revision } : {}),
    images: files.images,
    ...(files.chartVersion ? { chartVersion: files.chartVersion } : {}),
    ...(files.chart ? { chart: files.chart } : {}),
    ...(files.chartDependencies?.length
      ? { chartDependencies: files.chartDependencies }
      : {}),
    label: versionLabel(files, revision),
    files: files.versionFiles,
  };
}

/** The version of an environment that runs nothing yet; `files` are still where it is set. */
function neverDeployedVersion(files: EnvironmentFiles): EnvironmentVersion {
  return {
    layout: files.layout,
    images: [],
    label: 'never deployed',
    files: files.versionFiles,
  };
}

/** One clone of an application's tracked branch, removed after use. */
interface Checkout {
  copy: GitWorkingCopy;
  repoUrl: string;
  branch: string;
  head: string;
  at(revision: string): TreeReader;
}

/**
 * Rollback by Git revert and promotion between environments: both change the GitOps
 * repository (a pull request, or a direct commit where the environment allows it) and let
 * Argo CD reconcile, so they work for auto-sync applications too. Callers pass applications
 * already cleared by {@link ApplicationAccess}; the next environment's application is cleared
 * here with the caller's own credentials.
 */
export class GitOperations {
  readonly #index: ApplicationIndex;
  readonly #access: ApplicationAccess;
  readonly #integrations: ScmIntegrationRegistry;
  readonly #github: GitHubHost;
  readonly #options: GitOperationsOptions;
  readonly #logger: LoggerService;
  readonly #fourEyes: FourEyes | undefined;

  constructor(options: {
    index: ApplicationIndex;
    access: ApplicationAccess;
    integrations: ScmIntegrationRegistry;
    options: GitOperationsOptions;
    logger: LoggerService;
    /** Who a GitHub reviewer is: with it, pull requests get the `kupe/four-eyes` status. */
    reviewers?: ReviewerDirectory;
  }) {
    this.#index = options.index;
    this.#access = options.access;
    this.#integrations = options.integrations;
    this.#github = new GitHubHost(options.integrations);
    this.#options = options.options;
    this.#logger = options.logger;
    this.#fourEyes = options.reviewers
      ? new FourEyes({
          github: this.#github,
          reviewers: options.reviewers,
          logger: options.logger,
        })
      : undefined;
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
        const url = app.source?.repoURL;
        if (url && this.#github.supports(url))
          repositories.set(repositoryKey(url), url);
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

  /** Whether the environment's policy allows direct commits (never production). */
  directCommitAllowed(environment: string | undefined): boolean {
    if (!environment || isProductionEnvironment(environment)) return false;
    return this.#options.directCommitEnvironments.includes(
      normalizeEnvironment(environment),
    );
  }

  /** The application's source as Argo CD has it now, value files included. */
  async #sourceOf(visible: VisibleApplication): Promise<ApplicationSource> {
    const app = await visible.client.getApplication(
      visible.app.name,
      visible.scope,
    );
    const source = app.spec?.source ?? app.spec?.sources?.[0];
    if (!source?.repoURL) {
      throw new ConflictError(
        `Application ${visible.app.name} has no source repository`,
      );
    }
    return {
      repoURL: source.repoURL,
      path: source.path,
      targetRevision: source.targetRevision,
      chart: source.chart,
      valueFiles: source.helm?.valueFiles,
    };
  }

  #checkRepositoryUrl(repoUrl: string): void {
    let url: URL;
    try {
      url = new URL(repoUrl);
    } catch {
      throw new ConflictError(
        `Repository ${repoUrl} is not an HTTP(S) URL; git operations need one`,
      );
    }
    const allowed =
      url.protocol === 'https:' ||
      url.protocol === 'http:' ||
      (url.protocol === 'file:' && this.#options.allowLocalRepositories);
    if (!allowed || url.username || url.password) {
      throw new ConflictError(
        `Repository ${url.protocol}//${url.host}${url.pathname} is not an HTTP(S) URL without credentials; git operations need one`,
      );
    }
  }

  /** Clones the tracked branch of `source`, runs `fn`, and removes the clone. */
  async #withCheckout<T>(
    source: ApplicationSource,
    fn: (checkout: Checkout) => Promise<T>,
  ): Promise<T> {
    if (source.chart) {
      throw new ConflictError(
        `The application deploys chart ${source.chart} from a Helm repository; it has no Git files to change`,
      );
    }
    this.#checkRepositoryUrl(source.repoURL);
    const credentials = await resolveGitCredentials(
      this.#integrations,
      source.repoURL,
    );
    const signal = AbortSignal.timeout(GIT_TIMEOUT_MS);
    let branch = source.targetRevision?.trim();
    if (!branch || branch === 'HEAD') {
      branch = await GitWorkingCopy.defaultBranchOf({
        remoteUrl: source.repoURL,
        credentials,
        signal,
      });
    }
    if (!branch || !BRANCH.test(branch) || FULL_SHA.test(branch)) {
      throw new ConflictError(
        `The application tracks ${JSON.stringify(
          source.targetRevision ?? 'HEAD',
        )}, not a branch; reverts and promotions commit to a branch`,
      );
    }
    const dir = await mkdtemp(join(tmpdir(), 'kupe-gitops-'));
    try {
      const copy = await GitWorkingCopy.open({
        remoteUrl: source.repoURL,
        branch,
        dir: join(dir, 'repo'),
        credentials,
        signal,
      });
      const head = await copy.head();
      if (copy.state !== 'existing' || !head) {
        throw new ConflictError(
          `Branch ${branch} of ${source.repoURL} does not exist or is empty`,
        );
      }
      return await fn({
        copy,
        repoUrl: source.repoURL,
        branch,
        head,
        at: revision => ({
          read: file => copy.readFileAt(revision, file),
          list: d => copy.listFilesAt(revision, d ? [d] : []),
        }),
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** A revision the clone knows, else undefined (e.g. from another branch or repository). */
  async #known(
    checkout: Checkout,
    revision: string | undefined,
  ): Promise<string | undefined> {
    if (!revision || !FULL_SHA.test(revision)) return undefined;
    return checkout.copy.resolveCommit(revision);
  }

  /** The pull-request delivery; a clear 409 when the host has no GitHub integration. */
  #requirePullRequests(repoUrl: string, alternative: string): void {
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

  /** Pushes HEAD to the portal's branch (unless it already holds this tree) and opens or finds the PR. */
  async #deliverPullRequest(
    checkout: Checkout,
    prBranch: string,
    title: string,
    body: string,
    request: FourEyesRequest,
  ): Promise<{ pullRequestUrl: string; commitSha: string }> {
    const { copy } = checkout;
    const localTree = await copy.treeOf('HEAD');
    // A re-run with the same content keeps the pushed branch (and its pull request) as it is.
    // Not when the base already holds the branch's commit: its pull request was merged (and
    // the change since reverted, say), and GitHub opens no pull request without new commits.
    const remote = await copy.remoteBranch(prBranch);
    let commitSha = (await copy.head())!;
    if (
      remote?.tree === localTree &&
      !(await copy.isAncestor(remote.sha, checkout.head))
    ) {
      commitSha = remote.sha;
    } else {
      await copy.push(prBranch, { force: true });
    }
    const pullRequestUrl = await this.#github.ensurePullRequest({
      repoUrl: checkout.repoUrl,
      head: prBranch,
      base: checkout.branch,
      title,
      body,
    });
    if (this.#fourEyes) {
      // The requester is recorded on the commit, where only the portal's statuses count.
      const pull = await this.#github.openPullRequestOf(
        checkout.repoUrl,
        prBranch,
      );
      if (pull) await this.#fourEyes.opened(checkout.repoUrl, pull, request);
    }
    return { pullRequestUrl, commitSha };
  }

  // ---- What a revision holds of the app's own files -------------------------------------

  /**
   * For each revision (full SHAs of the tracked branch; others are left out): a key of the
   * application's own files there (equal keys, equal files) and the newest commit up to it
   * that changed them. One clone for all of them.
   */
  async ownFilesAt(
    visible: VisibleApplication,
    revisions: string[],
  ): Promise<Map<string, OwnFilesAt>> {
    const source = await this.#sourceOf(visible);
    const result = new Map<string, OwnFilesAt>();
    if (source.chart) return result;
    return this.#withCheckout(source, async checkout => {
      const dir = sourceDir(source.path);
      for (const wanted of new Set(revisions)) {
        const revision = await this.#known(checkout, wanted);
        if (!revision) continue;
        const { layout } = await readEnvironmentVersion(
          source,
          checkout.at(revision),
        );
        const own = (file: string) => isOwnFile(source, layout, file);
        const files = (
          await checkout.copy.listFilesAt(revision, dir ? [dir] : [])
        )
          .filter(own)
          .sort();
        const objects = await Promise.all(
          files.map(f => checkout.copy.objectAt(revision, f)),
        );
        const key = createHash('sha256')
          .update(JSON.stringify(files.map((f, i) => [f, objects[i]])))
          .digest('hex');
        const last = (
          await checkout.copy.log({
            to: revision,
            paths: [dir || '.'],
            maxCount: COMMITS_LIMIT,
          })
        )
          .map(c => toCommit(c, c.files.filter(own)))
          .find(c => c.files.length > 0);
        result.set(wanted, { key, ...(last ? { lastChange: last } : {}) });
      }
      return result;
    });
  }

  // ---- Rollback by revert ---------------------------------------------------------------

  async #planRevert(
    checkout: Checkout,
    source: ApplicationSource,
    toRevision: string,
  ) {
    const { copy, head } = checkout;
    const to = await copy.resolveCommit(toRevision);
    if (!to) {
      throw new InputError(
        `toRevision ${toRevision} is not a commit of branch ${checkout.branch}`,
      );
    }
    if (!(await copy.isAncestor(to, head))) {
      throw new InputError(
        `toRevision ${toRevision} is not in the history of branch ${checkout.branch}`,
      );
    }
    const { layout } = await readEnvironmentVersion(source, checkout.at(head));
    const dir = sourceDir(source.path);
    const paths = dir ? [dir] : [];
    const own = (file: string) => isOwnFile(source, layout, file);
    const files = [
      ...new Set([
        ...(await copy.listFilesAt(to, paths)),
        ...(await copy.listFilesAt(head, paths)),
      ]),
    ].filter(own);
    const commits = (
      await copy.log({
        from: to,
        to: head,
        paths: paths.length ? paths : ['.'],
      })
    )
      .map(c => toCommit(c, c.files.filter(own)))
      .filter(c => c.files.length > 0);
    await copy.restoreFrom(to, files);
    const changedFiles = await copy.changedFiles();
    const diff = await copy.diff();
    return { to, commits, changedFiles, diff };
  }

  /** The commits after `toRevision` on the app's own files and the diff a revert would make. */
  async revertPlan(
    visible: VisibleApplication,
    toRevision: string,
  ): Promise<RevertPlan> {
    const source = await this.#sourceOf(visible);
    return this.#withCheckout(source, async checkout => {
      const plan = await this.#planRevert(checkout, source, toRevision);
      return {
        toRevision: plan.to,
        head: checkout.head,
        branch: checkout.branch,
        ...(visible.app.environment
          ? { environment: visible.app.environment }
          : {}),
        commits: plan.commits,
        files: plan.changedFiles,
        diff: plan.diff,
        directCommitAllowed: this.directCommitAllowed(visible.app.environment),
        pullRequestAvailable: this.#github.supports(source.repoURL),
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
    if (request.directCommit && !this.directCommitAllowed(environment)) {
      throw new ConflictError(
        `Direct commits are not allowed in environment ${
          environment ?? '(none)'
        }${
          environment && isProductionEnvironment(environment)
            ? ': production changes always go through an approved pull request'
            : ` (allowed in: ${
                this.#options.directCommitEnvironments.join(', ') || 'none'
              })`
        }; open a pull request instead`,
      );
    }
    const source = await this.#sourceOf(visible);
    if (!request.directCommit) {
      this.#requirePullRequests(
        source.repoURL,
        this.directCommitAllowed(environment)
          ? 'ask for a direct commit instead'
          : `direct commits are allowed only in: ${
              this.#options.directCommitEnvironments.join(', ') || 'none'
            }`,
      );
    }
    return this.#withCheckout(source, async checkout => {
      const plan = await this.#planRevert(checkout, source, request.toRevision);
      if (plan.changedFiles.length === 0) {
        throw new ConflictError(
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
        changedFiles: plan.changedFiles,
      };
      if (request.directCommit) {
        await this.#pushDirect(checkout);
        return {
          delivery: 'direct-commit',
          branch: checkout.branch,
          commitSha: sha!,
          ...base,
        };
      }
      const prBranch = `kupe/revert/${app}-${plan.to.slice(0, 12)}`;
      const delivered = await this.#deliverPullRequest(
        checkout,
        prBranch,
        title,
        `${message}\n\nArgo CD reconciles ${app} once this is merged.`,
        {
          requester: requester.userEntityRef,
          tenant: visible.app.tenant,
          environment: environment ?? 'unknown',
        },
      );
      return {
        delivery: 'pull-request',
        pullRequestUrl: delivered.pullRequestUrl,
        branch: prBranch,
        commitSha: delivered.commitSha,
        ...base,
      };
    });
  }

  async #pushDirect(checkout: Checkout): Promise<void> {
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

  // ---- Promotion -------------------------------------------------------------------------

  /** The next environment's application of the same service and tenant, if the caller sees it. */
  async #nextApplication(
    app: IndexedApplication,
    source: ApplicationSource,
    credentials: BackstageCredentials,
  ): Promise<IndexedApplication | undefined> {
    if (!app.environment) return undefined;
    const component = app.labels[KUBERNETES_ID_LABEL];
    const repo = repositoryKey(source.repoURL);
    const service = serviceDirOf(source.path, app.environment);
    const sameService = (candidate: IndexedApplication) => {
      if (candidate === app || !candidate.environment) return false;
      if (
        app.tenant
          ? candidate.tenant !== app.tenant
          : candidate.project !== app.project
      )
        return false;
      if (component) return candidate.labels[KUBERNETES_ID_LABEL] === component;
      return (
        !!candidate.source &&
        repositoryKey(candidate.source.repoURL) === repo &&
        serviceDirOf(candidate.source.path, candidate.environment) === service
      );
    };
    const candidates: IndexedApplication[] = [];
    for (const instance of this.#index.instances()) {
      const index = this.#index.instance(instance);
      const pool = component
        ? index.candidates([
            { key: KUBERNETES_ID_LABEL, operator: 'In', values: [component] },
          ])
        : index.list();
      for (const candidate of pool)
        if (sameService(candidate)) candidates.push(candidate);
    }
    const environment = nextEnvironment(
      app.environment,
      candidates.map(c => c.environment!),
    );
    if (!environment) return undefined;
    const inNext = candidates
      .filter(c => c.environment === environment)
      .sort(
        (a, b) =>
          Number(b.instance === app.instance) -
            Number(a.instance === app.instance) || a.name.localeCompare(b.name),
      );
    for (const candidate of inNext) {
      try {
        return (
          await this.#access.requireApplication(
            credentials,
            refOf(candidate),
            gitOpsApplicationReadPermission,
          )
        ).app;
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    return undefined;
  }

  /** The next environment's application, cleared for the caller (with `permission`, if given). */
  async #nextVisible(
    visible: VisibleApplication,
    source: ApplicationSource,
    credentials: BackstageCredentials,
    permission?: typeof gitOpsApplicationPromotePermission,
  ): Promise<VisibleApplication | undefined> {
    const nextApp = await this.#nextApplication(
      visible.app,
      source,
      credentials,
    );
    return nextApp
      ? this.#access.requireApplication(credentials, refOf(nextApp), permission)
      : undefined;
  }

  /**
   * Runs `fn` with the promotion planned in a checkout: the working tree holds the next
   * environment's edited version files, uncommitted.
   */
  async #withPromotion<T>(
    visible: VisibleApplication,
    credentials: BackstageCredentials,
    fn: (
      preview: PromotionPreview,
      /** Absent for a chart from a Helm repository: nothing in Git to read or change. */
      checkout: Checkout | undefined,
      next?: { app: IndexedApplication; visible: VisibleApplication },
    ) => Promise<T>,
    resolved?: {
      source: ApplicationSource;
      nextVisible: VisibleApplication | undefined;
    },
  ): Promise<T> {
    const app = visible.app;
    const source = resolved?.source ?? (await this.#sourceOf(visible));
    const nextVisible = resolved
      ? resolved.nextVisible
      : await this.#nextVisible(visible, source, credentials);
    const nextApp = nextVisible?.app;
    const nextSource = nextVisible
      ? await this.#sourceOf(nextVisible)
      : undefined;

    if (source.chart) {
      // Reported, not promoted: the version lives in the Application, not in Git.
      const noFiles: TreeReader = {
        read: async () => undefined,
        list: async () => [],
      };
      const version = await readEnvironmentVersion(source, noFiles);
      const nextVersion = nextSource
        ? await readEnvironmentVersion(nextSource, noFiles)
        : undefined;
      const preview: PromotionPreview = {
        application: refOf(app),
        environment: app.environment ?? '',
        version: toVersion(version, undefined),
        ...(nextApp && nextVersion
          ? {
              next: {
                application: refOf(nextApp),
                environment: nextApp.environment!,
                version: toVersion(nextVersion, undefined),
                syncPolicy: nextApp.syncPolicy,
              },
            }
          : {}),
        commits: [],
        changes: [],
        files: [],
        diff: '',
        promotable: false,
        reason: `${app.name} deploys chart ${
          source.chart
        } from a Helm repository: promote it by changing the next Application's targetRevision, not Git${
          nextApp && nextVersion
            ? ` (${nextApp.name} runs ${versionLabel(nextVersion)}, ${
                app.name
              } ${versionLabel(version)})`
            : ''
        }`,
        requiresApproval: nextApp
          ? isProductionEnvironment(nextApp.environment!)
          : false,
        downgrades: [],
      };
      return fn(
        preview,
        undefined,
        nextApp && nextVisible
          ? { app: nextApp, visible: nextVisible }
          : undefined,
      );
    }

    return this.#withCheckout(source, async checkout => {
      const deployed =
        (await this.#known(checkout, app.deployedRevision)) ?? checkout.head;
      const version = await readEnvironmentVersion(
        source,
        checkout.at(deployed),
      );
      const preview: PromotionPreview = {
        application: refOf(app),
        environment: app.environment ?? '',
        version: toVersion(version, deployed),
        commits: [],
        changes: [],
        files: [],
        diff: '',
        promotable: false,
        requiresApproval: false,
        downgrades: [],
      };
      if (!app.environment) {
        preview.reason = `Application ${app.name} has no environment (label kupe.cloud/environment or a tenant cluster)`;
        return fn(preview, checkout);
      }
      if (isNeverDeployed(app)) {
        preview.version = neverDeployedVersion(version);
        preview.reason = `${app.name} has never been deployed: there is no running version to promote`;
        return fn(preview, checkout);
      }
      if (!nextApp || !nextVisible || !nextSource) {
        preview.reason = `No application of this service in an environment after ${app.environment}`;
        return fn(preview, checkout);
      }
      const nextEnvironmentName = nextApp.environment!;
      preview.requiresApproval = isProductionEnvironment(nextEnvironmentName);
      const sameBranch =
        repositoryKey(nextSource.repoURL) === repositoryKey(source.repoURL) &&
        (nextSource.targetRevision || 'HEAD') ===
          (source.targetRevision || 'HEAD');
      const nextDeployed = sameBranch
        ? await this.#known(checkout, nextApp.deployedRevision)
        : undefined;
      const nextVersion = nextSource.chart
        ? await readEnvironmentVersion(nextSource, checkout.at(checkout.head))
        : await readEnvironmentVersion(
            nextSource,
            checkout.at(nextDeployed ?? checkout.head),
          );
      preview.next = {
        application: refOf(nextApp),
        environment: nextEnvironmentName,
        // Never synced: it runs nothing, not the branch head.
        version: isNeverDeployed(nextApp)
          ? neverDeployedVersion(nextVersion)
          : toVersion(
              nextVersion,
              nextDeployed ?? (sameBranch ? checkout.head : undefined),
            ),
        syncPolicy: nextApp.syncPolicy,
      };

      // Commits on this environment's own files since what the next environment runs.
      const dir = sourceDir(source.path);
      const own = (file: string) => isOwnFile(source, version.layout, file);
      const since =
        nextDeployed && (await checkout.copy.isAncestor(nextDeployed, deployed))
          ? nextDeployed
          : undefined;
      // Without a common history, the commits that changed the version files.
      let logPaths = version.versionFiles;
      if (since || logPaths.length === 0) logPaths = [dir || '.'];
      const log = await checkout.copy.log({
        from: since,
        to: deployed,
        paths: logPaths,
        maxCount: since ? COMMITS_LIMIT : 20,
      });
      preview.commits = log
        .map(c => toCommit(c, c.files.filter(own)))
        .filter(c => c.files.length > 0);

      if (!sameBranch) {
        preview.reason = `${nextApp.name} deploys from another repository or branch; promote there`;
        return fn(preview, checkout, { app: nextApp, visible: nextVisible });
      }
      if (version.layout === 'helm-repository' || nextSource.chart) {
        preview.reason =
          'Charts from a Helm repository are promoted by changing the Application, not Git';
        return fn(preview, checkout, { app: nextApp, visible: nextVisible });
      }
      const target = await readEnvironmentVersion(
        nextSource,
        checkout.at(checkout.head),
      );
      // The chart version travels with the images, or the promotion says why it cannot.
      const chart = await planChartPromotion({
        from: version,
        fromTree: checkout.at(deployed),
        fromName: app.name,
        to: target,
        toTree: checkout.at(checkout.head),
        toName: nextApp.name,
      });
      preview.chartChanges = chart.changes;
      if (chart.blocker) {
        preview.reason = chart.blocker;
        return fn(preview, checkout, { app: nextApp, visible: nextVisible });
      }
      if (version.images.length === 0 && chart.changes.length === 0) {
        preview.reason = `No image tag found in ${app.name}'s files (${
          version.layout
        } layout); its version is the revision ${shortSha(deployed)}`;
        return fn(preview, checkout, { app: nextApp, visible: nextVisible });
      }
      if (version.images.length > 0 && target.versionFiles.length === 0) {
        preview.reason = `No version file found for ${nextApp.name} (${target.layout} layout)`;
        return fn(preview, checkout, { app: nextApp, visible: nextVisible });
      }
      const changes: ImageChange[] = [];
      const writes: Record<string, string> = { ...chart.writes };
      for (const file of version.images.length > 0 ? target.versionFiles : []) {
        const content = (await checkout.copy.readFile(file)) ?? '';
        const edit = setImageTags(target.layout, content, version.images);
        if (edit.content !== content) writes[file] = edit.content;
        for (const change of edit.changes)
          if (!changes.some(c => c.name === change.name)) changes.push(change);
      }
      await checkout.copy.writeFiles(writes);
      preview.changes = changes;
      // Which way the next environment moves: a downgrade is named, and needs confirming.
      const historyPaths = [
        serviceDirOf(source.path, app.environment) ||
          sourceDir(source.path) ||
          '.',
      ];
      // Nothing runs in a never-deployed environment, so nothing can move backwards.
      preview.downgrades = isNeverDeployed(nextApp)
        ? []
        : await findDowngrades(
            { images: changes, charts: chart.changes },
            {
              firstCommitWith: text =>
                checkout.copy.firstCommitWith({
                  to: checkout.head,
                  text,
                  paths: historyPaths,
                }),
              isAncestor: (a, b) => checkout.copy.isAncestor(a, b),
            },
          );
      preview.files = await checkout.copy.changedFiles();
      preview.diff = await checkout.copy.diff();
      if (preview.files.length === 0) {
        preview.reason = `${nextApp.name} is already at ${preview.version.label}`;
      } else {
        preview.promotable = true;
      }
      return fn(preview, checkout, { app: nextApp, visible: nextVisible });
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
    const nextVisible = await this.#nextVisible(
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
    this.#requirePullRequests(
      source.repoURL,
      'promotions are always pull requests',
    );
    return this.#withPromotion(
      visible,
      credentials,
      async (preview, checkout, next) => {
        if (!next || !preview.next || !preview.promotable || !checkout) {
          throw new ConflictError(
            preview.reason ?? `Nothing to promote from ${visible.app.name}`,
          );
        }
        const from = preview.environment;
        const to = preview.next.environment;
        const downgrades = preview.downgrades ?? [];
        if (downgrades.length > 0 && !options.allowDowngrade) {
          throw new ConflictError(
            `Promoting ${visible.app.name} would move ${
              next.app.name
            } (${to}) backwards: ${describeDowngrades(
              downgrades,
            )}; confirm the downgrade (allowDowngrade: true) to promote it anyway`,
          );
        }
        const title = `${downgrades.length > 0 ? 'Downgrade' : 'Promote'} ${
          preview.version.label
        } from ${from} to ${to} (${next.app.name})`;
        const message = [
          title,
          '',
          ...preview.changes.map(
            c => `- ${c.name}: ${c.from ?? '(unset)'} -> ${c.to}`,
          ),
          ...(preview.chartChanges ?? []).map(
            c =>
              `- ${c.kind === 'chart' ? 'chart' : 'chart dependency'} ${
                c.name
              }: ${c.from ?? '(unset)'} -> ${c.to}`,
          ),
          ...(downgrades.length > 0
            ? [
                '',
                `Downgrade confirmed by ${
                  requester.userEntityRef
                }: ${describeDowngrades(downgrades)}`,
              ]
            : []),
          '',
          `Promoted-from: ${visible.app.name}@${
            preview.version.revision ?? ''
          }`,
          `Requested-by: ${requester.userEntityRef}`,
        ].join('\n');
        await checkout.copy.commitIfChanged(message, this.#options.committer);
        const versionKey = createHash('sha256')
          .update(
            JSON.stringify([
              ...preview.changes.map(c => [c.name, c.to]).sort(),
              ...(preview.chartChanges ?? [])
                .map(c => [`${c.kind}:${c.name}`, c.to])
                .sort(),
            ]),
          )
          .digest('hex')
          .slice(0, 12);
        const prBranch = `kupe/promote/${next.app.name}-${versionKey}`;
        const body = [
          message,
          '',
          preview.requiresApproval
            ? `Production: merge only after approval. Argo CD reconciles ${next.app.name} once merged.`
            : `Argo CD reconciles ${next.app.name} once merged.`,
          '',
          'Commits carried over:',
          ...preview.commits.map(
            c => `- ${c.sha.slice(0, 12)} ${c.message} (${c.authorName})`,
          ),
        ].join('\n');
        const { pullRequestUrl } = await this.#deliverPullRequest(
          checkout,
          prBranch,
          title,
          body,
          {
            requester: requester.userEntityRef,
            tenant: next.app.tenant,
            environment: to,
          },
        );
        return {
          pullRequestUrl,
          branch: prBranch,
          changedFiles: preview.files,
          environment: to,
          application: preview.next.application,
        };
      },
      { source, nextVisible },
    );
  }
}
