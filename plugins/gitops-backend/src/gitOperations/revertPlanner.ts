import type { GitCommit } from '@kupe/plugin-gitops-common';
import { type LoggedCommit, ownCommits } from './commits';
import {
  type ApplicationSource,
  type TreeReader,
  isOwnFile,
  readEnvironmentVersion,
  sourceDir,
} from './environmentVersion';

/** Why a revert cannot be made, each with the message the API answers. */
export type RevertBlock =
  | { code: 'unknown-revision'; message: string }
  | { code: 'not-in-history'; message: string }
  | { code: 'nothing-to-revert'; message: string };

/** What a revert of one application's files to an earlier revision of its branch holds. */
export interface RevertInput {
  source: ApplicationSource;
  /** The application's name, for messages. */
  name: string;
  branch: string;
  /** The revision as asked for. */
  toRevision: string;
  /** The full SHA it names on the branch, if it names a commit there. */
  to?: string;
  /** Whether `to` is an ancestor of the branch head. */
  inHistory: boolean;
  head: TreeReader;
  target: TreeReader;
  /** Commits after `to` up to the head, newest first, on the source path. */
  log: LoggedCommit[];
}

/** The files a revert restores and what it undoes; `blocked` says why it cannot, or need not, be made. */
export interface RevertPlanned {
  to: string;
  /** The app's own files at the head or at `to`: each is restored as at `to` (removed if absent there). */
  restore: string[];
  /** Those of them whose content differs between the head and `to`. */
  changed: string[];
  /** The commits undone, newest first, with the app's own files they changed. */
  commits: GitCommit[];
  blocked?: RevertBlock;
}

/**
 * Plans returning an application's own files to `to` with the rest of the repository
 * untouched: pure, it reads only the two trees and the log it is given.
 */
export async function planRevert(input: RevertInput): Promise<RevertPlanned> {
  const empty = {
    to: input.to ?? input.toRevision,
    restore: [],
    changed: [],
    commits: [],
  };
  if (!input.to) {
    return {
      ...empty,
      blocked: {
        code: 'unknown-revision',
        message: `toRevision ${input.toRevision} is not a commit of branch ${input.branch}`,
      },
    };
  }
  if (!input.inHistory) {
    return {
      ...empty,
      blocked: {
        code: 'not-in-history',
        message: `toRevision ${input.toRevision} is not in the history of branch ${input.branch}`,
      },
    };
  }
  const { layout } = await readEnvironmentVersion(input.source, input.head);
  const dir = sourceDir(input.source.path);
  const own = (file: string) => isOwnFile(input.source, layout, file);
  const restore = [
    ...new Set([
      ...(await input.target.list(dir)),
      ...(await input.head.list(dir)),
    ]),
  ]
    .filter(own)
    .sort();
  const changed: string[] = [];
  for (const file of restore) {
    if ((await input.target.read(file)) !== (await input.head.read(file)))
      changed.push(file);
  }
  const commits = ownCommits(input.log, own);
  return {
    to: input.to,
    restore,
    changed,
    commits,
    ...(changed.length === 0
      ? {
          blocked: {
            code: 'nothing-to-revert' as const,
            message: `The files of ${
              input.name
            } are already as at ${input.to.slice(0, 7)}; nothing to revert`,
          },
        }
      : {}),
  };
}
