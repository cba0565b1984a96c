import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConflictError } from '@backstage/errors';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import {
  GitWorkingCopy,
  resolveGitCredentials,
} from '@kupe/plugin-gitops-node';
import type { ApplicationSource, TreeReader } from './environmentVersion';
import {
  DEFAULT_SHARED_COPIES_OPTIONS,
  SharedCopies,
  type SharedCopiesOptions,
} from './sharedCopies';

// Branch names the portal accepts from Application specs: what git allows, minus surprises.
const BRANCH = /^(?!-)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._\/-]{1,200}(?<![./])$/;
const FULL_SHA = /^[0-9a-f]{40}$/;
/** Most commits one log of the app's files reads. */
export const COMMITS_LIMIT = 200;
// Upper bound of one operation's git work (clone, log, push), so a hanging host frees the request.
const GIT_TIMEOUT_MS = 120_000;

/** A clone of an application's tracked branch at `head`. */
export interface Checkout {
  copy: GitWorkingCopy;
  repoUrl: string;
  branch: string;
  head: string;
  /** The repository's tree at `revision`, read-only. */
  at(revision: string): TreeReader;
  /** A full SHA the clone knows, else undefined (e.g. from another branch or repository). */
  known(revision: string | undefined): Promise<string | undefined>;
  /** Those of `revisions` that are full SHAs of commits the clone has. */
  knownCommits(revisions: Iterable<string>): Promise<Set<string>>;
}

/** Repository identity for comparing sources: scheme-less, without `.git` and case on the host. */
export function repositoryKey(repoUrl: string): string {
  try {
    const url = new URL(repoUrl);
    return `${url.host.toLowerCase()}${url.pathname
      .replace(/\/+$/, '')
      .replace(/\.git$/, '')}`;
  } catch {
    return repoUrl.replace(/\/+$/, '').replace(/\.git$/, '');
  }
}

type CheckoutSource = Pick<
  ApplicationSource,
  'repoURL' | 'targetRevision' | 'chart'
>;

function checkoutOf(
  copy: GitWorkingCopy,
  repoUrl: string,
  head: string,
): Checkout {
  return {
    copy,
    repoUrl,
    branch: copy.branch,
    head,
    at: revision => ({
      read: file => copy.readFileAt(revision, file),
      list: d => copy.listFilesAt(revision, d ? [d] : []),
    }),
    known: async revision =>
      revision && FULL_SHA.test(revision)
        ? copy.resolveCommit(revision)
        : undefined,
    knownCommits: async revisions => {
      const shas = [...new Set(revisions)].filter(r => FULL_SHA.test(r));
      // Through the clone's long-lived object reader, not a git process each time: other
      // objects and unknown SHAs resolve to no commit.
      const commits = await Promise.all(
        shas.map(sha => copy.resolveCommit(sha)),
      );
      return new Set(shas.filter((sha, i) => commits[i] === sha));
    },
  };
}

/**
 * The git working copies of git operations. Writes ({@link Checkouts.with}) clone an
 * application's tracked branch into a temporary directory of their own; reads
 * ({@link Checkouts.read}) share one clone per repository and branch. Refuses what it cannot
 * safely clone or commit to: URLs with credentials or other schemes, and revisions that are
 * not branches.
 */
export class Checkouts {
  readonly #integrations: ScmIntegrationRegistry;
  readonly #allowLocalRepositories: boolean;
  readonly #shared: SharedCopies;

  constructor(options: {
    integrations: ScmIntegrationRegistry;
    /** Allow `file://` repositories (tests and local sandboxes only). */
    allowLocalRepositories: boolean;
    /** How long and how many shared read-only clones are kept. */
    readCopies?: SharedCopiesOptions;
  }) {
    this.#integrations = options.integrations;
    this.#allowLocalRepositories = options.allowLocalRepositories;
    this.#shared = new SharedCopies({
      ...(options.readCopies ?? DEFAULT_SHARED_COPIES_OPTIONS),
      timeoutMs: GIT_TIMEOUT_MS,
    });
  }

  /** Removes the shared read-only clones (backend shutdown). */
  close(): Promise<void> {
    return this.#shared.close();
  }

  /** Repository keys (host/path#branch) of the shared read-only clones kept now. */
  sharedCopies(): string[] {
    return this.#shared.keys();
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
      (url.protocol === 'file:' && this.#allowLocalRepositories);
    if (!allowed || url.username || url.password) {
      throw new ConflictError(
        `Repository ${url.protocol}//${url.host}${url.pathname} is not an HTTP(S) URL without credentials; git operations need one`,
      );
    }
  }

  /** The branch `source` tracks and the credentials of its repository. */
  async #target(source: CheckoutSource, signal: AbortSignal) {
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
    return { branch, credentials };
  }

  /**
   * Runs `fn` with the shared clone of the tracked branch of `source`, fetched for this read.
   * `fn` must only read: by revision, never the working tree, and never commit or push
   * (objects it adds, as {@link GitWorkingCopy.diffOfWrites} does, change no ref).
   */
  async read<T>(
    source: CheckoutSource,
    fn: (checkout: Checkout) => Promise<T>,
  ): Promise<T> {
    const { branch, credentials } = await this.#target(
      source,
      AbortSignal.timeout(GIT_TIMEOUT_MS),
    );
    return this.#shared.read(
      {
        repoUrl: source.repoURL,
        key: repositoryKey(source.repoURL),
        branch,
        credentials,
      },
      (copy, head) => fn(checkoutOf(copy, source.repoURL, head)),
    );
  }

  /**
   * Runs `fn` with a private working tree of the tracked branch of `source` at its current
   * head, cloned locally from the shared clone (hard links, no network): for plans that edit
   * files to show a diff, but never commit or push (the clone's origin is the shared copy).
   */
  scratch<T>(
    source: CheckoutSource,
    fn: (checkout: Checkout) => Promise<T>,
  ): Promise<T> {
    return this.read(source, shared => this.#scratchOf(shared, fn));
  }

  async #scratchOf<T>(
    shared: Checkout,
    fn: (checkout: Checkout) => Promise<T>,
  ): Promise<T> {
    const dir = await mkdtemp(join(tmpdir(), 'kupe-gitops-plan-'));
    try {
      const copy = await GitWorkingCopy.cloneBranch({
        remoteUrl: shared.copy.dir,
        branch: shared.branch,
        dir: join(dir, 'repo'),
        signal: AbortSignal.timeout(GIT_TIMEOUT_MS),
      });
      const head = await copy.head();
      if (head !== shared.head) {
        throw new Error(
          `The local clone of ${shared.branch} is at ${head}, not ${shared.head}`,
        );
      }
      return await fn(checkoutOf(copy, shared.repoUrl, head));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * Clones the tracked branch of `source` for `fn` alone (it may write and push), then removes
   * it; reads after it ask the remote again, so they see what `fn` pushed.
   */
  async with<T>(
    source: CheckoutSource,
    fn: (checkout: Checkout) => Promise<T>,
  ): Promise<T> {
    const signal = AbortSignal.timeout(GIT_TIMEOUT_MS);
    const { branch, credentials } = await this.#target(source, signal);
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
      return await fn(checkoutOf(copy, source.repoURL, head));
    } finally {
      this.#shared.pushed(repositoryKey(source.repoURL));
      await rm(dir, { recursive: true, force: true });
    }
  }
}
