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

// Branch names the portal accepts from Application specs: what git allows, minus surprises.
const BRANCH = /^(?!-)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._\/-]{1,200}(?<![./])$/;
const FULL_SHA = /^[0-9a-f]{40}$/;
/** Most commits one log of the app's files reads. */
export const COMMITS_LIMIT = 200;
// Upper bound of one operation's git work (clone, log, push), so a hanging host frees the request.
const GIT_TIMEOUT_MS = 120_000;

/** One clone of an application's tracked branch, removed after use. */
export interface Checkout {
  copy: GitWorkingCopy;
  repoUrl: string;
  branch: string;
  head: string;
  /** The repository's tree at `revision`, read-only. */
  at(revision: string): TreeReader;
  /** A full SHA the clone knows, else undefined (e.g. from another branch or repository). */
  known(revision: string | undefined): Promise<string | undefined>;
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

/**
 * The git working copy of git operations: clones an application's tracked branch into a
 * temporary directory for one operation. Refuses what it cannot safely clone or commit to:
 * URLs with credentials or other schemes, and revisions that are not branches.
 */
export class Checkouts {
  readonly #integrations: ScmIntegrationRegistry;
  readonly #allowLocalRepositories: boolean;

  constructor(options: {
    integrations: ScmIntegrationRegistry;
    /** Allow `file://` repositories (tests and local sandboxes only). */
    allowLocalRepositories: boolean;
  }) {
    this.#integrations = options.integrations;
    this.#allowLocalRepositories = options.allowLocalRepositories;
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

  /** Clones the tracked branch of `source`, runs `fn`, and removes the clone. */
  async with<T>(
    source: Pick<ApplicationSource, 'repoURL' | 'targetRevision' | 'chart'>,
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
        known: async revision =>
          revision && FULL_SHA.test(revision)
            ? copy.resolveCommit(revision)
            : undefined,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
