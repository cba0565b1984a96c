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
}

export const DEFAULT_GIT_OPERATIONS_OPTIONS: GitOperationsOptions = {
  directCommitEnvironments: ['dev'],
  committer: { name: 'Kupe GitOps', email: 'gitops@kupe.invalid' },
  allowLocalRepositories: false,
  fourEyesCheckIntervalMs: 30_000,
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
  };
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
