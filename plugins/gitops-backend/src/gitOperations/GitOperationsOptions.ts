import { type Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import {
  isProductionEnvironment,
  normalizeEnvironment,
} from '@kupe/plugin-gitops-common';
import type { CommitAuthor } from '@kupe/plugin-gitops-node';

/** `gitops.gitOperations`: how reverts and promotions reach Git (see config.d.ts). */
export interface GitOperationsOptions {
  /** Environments (normalized) where a revert may be a direct commit; never production. */
  directCommitEnvironments: string[];
  /** Identity of the portal's commits; the requester is named in the message. */
  committer: CommitAuthor;
  /** Allow `file://` repositories (tests and local sandboxes only). */
  allowLocalRepositories: boolean;
  /** How often the `kupe/four-eyes` statuses of open pull requests are decided again. */
  fourEyesCheckIntervalMs: number;
  /**
   * How late a read may see a commit pushed from outside the portal (a merge on GitHub):
   * reads this soon after the last fetch of the branch take its head (the portal's own
   * pushes are seen at once). 0: every read asks the remote.
   */
  readFreshnessMs: number;
}

export const DEFAULT_GIT_OPERATIONS_OPTIONS: GitOperationsOptions = {
  directCommitEnvironments: ['dev'],
  committer: { name: 'Kupe GitOps', email: 'gitops@kupe.invalid' },
  allowLocalRepositories: false,
  fourEyesCheckIntervalMs: 30_000,
  readFreshnessMs: 2_000,
};

/** Reads `gitops.gitOperations`; production is refused as a direct-commit environment. */
export function readGitOperationsOptions(config: Config): GitOperationsOptions {
  const c = config.getOptionalConfig('gitops.gitOperations');
  const d = DEFAULT_GIT_OPERATIONS_OPTIONS;
  const environments = (
    c?.getOptionalStringArray('directCommitEnvironments') ??
    d.directCommitEnvironments
  ).map(normalizeEnvironment);
  const production = environments.find(isProductionEnvironment);
  if (production) {
    throw new Error(
      `gitops.gitOperations.directCommitEnvironments must not contain production (${production}): production changes always go through an approved pull request`,
    );
  }
  return {
    directCommitEnvironments: environments,
    committer: {
      name: c?.getOptionalString('committer.name') ?? d.committer.name,
      email: c?.getOptionalString('committer.email') ?? d.committer.email,
    },
    allowLocalRepositories:
      c?.getOptionalBoolean('allowLocalRepositories') ??
      d.allowLocalRepositories,
    fourEyesCheckIntervalMs: c?.has('fourEyes.checkInterval')
      ? checkInterval(c)
      : d.fourEyesCheckIntervalMs,
    readFreshnessMs: c?.has('readFreshness')
      ? readFreshness(c)
      : d.readFreshnessMs,
  };
}

function readFreshness(config: Config): number {
  const ms = durationToMilliseconds(
    readDurationFromConfig(config, { key: 'readFreshness' }),
  );
  if (!Number.isFinite(ms) || ms < 0 || ms > 60_000) {
    throw new Error(
      'gitops.gitOperations.readFreshness must be a duration of at most 1m',
    );
  }
  return ms;
}

function checkInterval(config: Config): number {
  const ms = durationToMilliseconds(
    readDurationFromConfig(config, { key: 'fourEyes.checkInterval' }),
  );
  if (!Number.isFinite(ms) || ms < 1000) {
    throw new Error(
      'gitops.gitOperations.fourEyes.checkInterval must be a duration of at least 1s',
    );
  }
  return ms;
}
