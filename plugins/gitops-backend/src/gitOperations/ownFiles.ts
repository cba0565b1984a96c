import { createHash } from 'node:crypto';
import type { GitCommit } from '@kupe/plugin-gitops-common';
import type { GitCommitMetadata } from '@kupe/plugin-gitops-node';
import { type Checkout, COMMITS_LIMIT } from './checkout';
import { ownCommits } from './commits';
import {
  type ApplicationSource,
  isOwnFile,
  readEnvironmentVersion,
  sourceDir,
} from './environmentVersion';

/** The application's own files at one revision. */
export interface OwnFilesAt {
  /** Equal for two revisions exactly when the app's own files are the same in both. */
  key: string;
  /** The newest commit up to the revision that changed the app's own files. */
  lastChange?: GitCommit;
  /**
   * The revision's own commit as Argo CD's revision metadata tells it (author, date,
   * message), read from the clone, so a history need not ask Argo CD.
   */
  commit?: GitCommitMetadata;
}

/**
 * For each revision (full SHAs of the checked-out branch; others are left out): a key of the
 * application's own files there and the newest commit up to it that changed them. The
 * commits come from one `git log` for all the revisions.
 */
export async function readOwnFiles(
  checkout: Checkout,
  source: ApplicationSource,
  revisions: string[],
): Promise<Map<string, OwnFilesAt>> {
  const dir = sourceDir(source.path);
  const read: Array<{
    wanted: string;
    revision: string;
    key: string;
    own: (file: string) => boolean;
    commit?: OwnFilesAt['commit'];
  }> = [];
  const known = await checkout.knownCommits(revisions);
  for (const revision of known) {
    const wanted = revision;
    const { layout } = await readEnvironmentVersion(
      source,
      checkout.at(revision),
    );
    const own = (file: string) => isOwnFile(source, layout, file);
    const objects = await checkout.copy.fileObjectsAt(
      revision,
      dir ? [dir] : [],
    );
    const files = [...objects.keys()].filter(own).sort();
    const key = createHash('sha256')
      .update(JSON.stringify(files.map(f => [f, objects.get(f)])))
      .digest('hex');
    const commit = await checkout.copy.commitMetadata(revision);
    read.push({ wanted, revision, key, own, commit });
  }
  const logs = await checkout.copy.logs({
    tips: read.map(r => r.revision),
    paths: [dir || '.'],
    maxCount: COMMITS_LIMIT,
  });
  const result = new Map<string, OwnFilesAt>();
  for (const { wanted, revision, key, own, commit } of read) {
    const [last] = ownCommits(logs.get(revision) ?? [], own);
    result.set(wanted, {
      key,
      ...(last ? { lastChange: last } : {}),
      ...(commit ? { commit } : {}),
    });
  }
  return result;
}
