import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { GitRepository } from '@kupe/plugin-gitops-node';
import { GitCommandError, runGit } from '@kupe/plugin-gitops-node';

/** One changed file between two commits, as GitHub's pull request files list it. */
export interface ChangedFile {
  filename: string;
  previousFilename?: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed';
  additions: number;
  deletions: number;
  /** Blob SHA of the file at head (at base when removed). */
  sha: string;
  /** The unified diff's hunks (from the first `@@`), absent for binary files. */
  patch?: string;
}

export interface CommitIdentity {
  name: string;
  email: string;
}

const STATUS: Record<string, ChangedFile['status']> = {
  A: 'added',
  D: 'removed',
  M: 'modified',
  R: 'renamed',
  C: 'copied',
  T: 'changed',
};

function identityEnv(author: CommitIdentity, committer: CommitIdentity) {
  return {
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: committer.name,
    GIT_COMMITTER_EMAIL: committer.email,
  };
}

/**
 * The git operations a GitHub server performs on a bare repository, over the real git CLI:
 * the reads of {@link GitRepository}, plus creating it, merging and moving branches.
 */
export class BareGitRepository extends GitRepository {
  readonly gitDir: string;

  constructor(gitDir: string) {
    super({ gitDir });
    this.gitDir = gitDir;
  }

  exists(): boolean {
    return existsSync(this.gitDir);
  }

  /** `git init --bare` with `main` as default branch; pushes over smart HTTP allowed. */
  async init(defaultBranch: string): Promise<void> {
    await mkdir(dirname(this.gitDir), { recursive: true });
    await runGit([
      'init',
      '--quiet',
      '--bare',
      `--initial-branch=${defaultBranch}`,
      this.gitDir,
    ]);
    await this.git(['config', 'http.receivepack', 'true']);
  }

  /** The branch HEAD points at (the default branch), even before it has a commit. */
  async defaultBranch(): Promise<string> {
    const ref = (await this.git(['symbolic-ref', 'HEAD'])).trim();
    return ref.replace(/^refs\/heads\//, '');
  }

  /** Commit SHA of a branch; undefined when the branch does not exist. */
  branchSha(branch: string): Promise<string | undefined> {
    return this.resolveCommit(`refs/heads/${branch}`);
  }

  async mergeBase(a: string, b: string): Promise<string | undefined> {
    try {
      return (await this.git(['merge-base', a, b])).trim();
    } catch {
      return undefined;
    }
  }

  /** Commits reachable from `head` but not from `base`, oldest first. */
  async commitsBetween(
    base: string,
    head: string,
  ): Promise<Array<{ sha: string; subject: string }>> {
    const out = await this.git([
      'log',
      '--reverse',
      '--format=%H%x00%s',
      `${base}..${head}`,
    ]);
    return out
      .split('\n')
      .filter(Boolean)
      .map(line => {
        const [sha, subject] = line.split('\0');
        return { sha, subject };
      });
  }

  /** The merged tree of two commits; undefined when they conflict. */
  async mergeTree(base: string, head: string): Promise<string | undefined> {
    try {
      const out = await this.git([
        'merge-tree',
        '--write-tree',
        '--no-messages',
        base,
        head,
      ]);
      return out.split('\n')[0].trim();
    } catch (error) {
      // merge-tree exits 1 on conflicts (and prints the conflicted tree)
      if (error instanceof GitCommandError && error.exitCode === 1) {
        return undefined;
      }
      throw error;
    }
  }

  async commitTree(options: {
    tree: string;
    parents: string[];
    message: string;
    author: CommitIdentity;
    committer: CommitIdentity;
  }): Promise<string> {
    const args = ['commit-tree', options.tree];
    for (const parent of options.parents) args.push('-p', parent);
    args.push('-m', options.message);
    return (
      await this.git(args, identityEnv(options.author, options.committer))
    ).trim();
  }

  /** Moves a branch from `expected` to `sha`; false when it no longer is at `expected`. */
  async updateBranch(
    branch: string,
    sha: string,
    expected: string,
  ): Promise<boolean> {
    try {
      await this.git(['update-ref', `refs/heads/${branch}`, sha, expected]);
      return true;
    } catch {
      return false;
    }
  }

  /** What `head` changes relative to `base` (GitHub diffs a pull request from the merge base). */
  async changedFiles(base: string, head: string): Promise<ChangedFile[]> {
    const nameStatus = (
      await this.git(['diff', '-z', '-M', '--name-status', base, head])
    ).split('\0');
    const numstat = (
      await this.git(['diff', '-z', '-M', '--numstat', base, head])
    ).split('\0');
    const counts = new Map<string, { additions: number; deletions: number }>();
    for (let i = 0; i < numstat.length; i++) {
      const [added, deleted, path] = numstat[i].split('\t');
      if (added === undefined || deleted === undefined) continue;
      let filename = path;
      if (path === '') {
        // a rename: the old and the new name follow as separate fields
        filename = numstat[i + 2];
        i += 2;
      }
      counts.set(filename, {
        additions: added === '-' ? 0 : Number(added),
        deletions: deleted === '-' ? 0 : Number(deleted),
      });
    }
    const files: ChangedFile[] = [];
    for (let i = 0; i < nameStatus.length; i++) {
      const code = nameStatus[i];
      if (!code) continue;
      const letter = code[0];
      let previousFilename: string | undefined;
      let filename = nameStatus[++i];
      if (letter === 'R' || letter === 'C') {
        previousFilename = filename;
        filename = nameStatus[++i];
      }
      const status = STATUS[letter] ?? 'changed';
      const pathspec = previousFilename
        ? [previousFilename, filename]
        : [filename];
      const diff = await this.git([
        'diff',
        '-M',
        base,
        head,
        '--',
        ...pathspec,
      ]);
      const hunkStart = diff.search(/^@@/m);
      const sha =
        (await this.objectAt(status === 'removed' ? base : head, filename)) ??
        '';
      files.push({
        filename,
        ...(previousFilename ? { previousFilename } : {}),
        status,
        ...(counts.get(filename) ?? { additions: 0, deletions: 0 }),
        sha,
        ...(hunkStart >= 0
          ? { patch: diff.slice(hunkStart).replace(/\n$/, '') }
          : {}),
      });
    }
    return files;
  }
}
