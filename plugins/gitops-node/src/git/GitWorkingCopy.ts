import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { GitCommandError, type GitCredentials, runGit } from './runGit';

/** What the remote looked like when the working copy was opened. */
export type RemoteState =
  /** The repository does not exist (or is not visible with these credentials). */
  | 'missing'
  /** The repository exists but has no commit on the branch. */
  | 'empty'
  /** The branch exists and was cloned. */
  | 'existing';

const MISSING_REPOSITORY = [
  /does not appear to be a git repository/i,
  /repository .* not found/i,
  /not found/i,
  /\b404\b/,
];

export interface CommitAuthor {
  name: string;
  email: string;
}

/**
 * A local clone of one branch of a remote, driven with the real git CLI. Opening it only
 * reads the remote; nothing is written there until {@link GitWorkingCopy.push}.
 */
export class GitWorkingCopy {
  readonly dir: string;
  readonly remoteUrl: string;
  readonly branch: string;
  readonly state: RemoteState;
  readonly #credentials?: GitCredentials;
  readonly #signal?: AbortSignal;

  static async open(options: {
    remoteUrl: string;
    branch: string;
    dir: string;
    credentials?: GitCredentials;
    signal?: AbortSignal;
  }): Promise<GitWorkingCopy> {
    const { remoteUrl, branch, dir, credentials, signal } = options;
    let state: RemoteState;
    try {
      const refs = await runGit(
        ['ls-remote', '--heads', remoteUrl, `refs/heads/${branch}`],
        { credentials, signal },
      );
      state = refs.trim() ? 'existing' : 'empty';
    } catch (error) {
      if (
        error instanceof GitCommandError &&
        MISSING_REPOSITORY.some(r => r.test(error.stderr))
      ) {
        state = 'missing';
      } else {
        throw error;
      }
    }
    await mkdir(dir, { recursive: true });
    if (state === 'existing') {
      await runGit(
        [
          'clone',
          '--quiet',
          '--branch',
          branch,
          '--single-branch',
          remoteUrl,
          dir,
        ],
        { credentials, signal },
      );
    } else {
      await runGit(['init', '--quiet', `--initial-branch=${branch}`, dir], {
        signal,
      });
      await runGit(['remote', 'add', 'origin', remoteUrl], {
        cwd: dir,
        signal,
      });
    }
    return new GitWorkingCopy({
      dir,
      remoteUrl,
      branch,
      state,
      credentials,
      signal,
    });
  }

  private constructor(options: {
    dir: string;
    remoteUrl: string;
    branch: string;
    state: RemoteState;
    credentials?: GitCredentials;
    signal?: AbortSignal;
  }) {
    this.dir = options.dir;
    this.remoteUrl = options.remoteUrl;
    this.branch = options.branch;
    this.state = options.state;
    this.#credentials = options.credentials;
    this.#signal = options.signal;
  }

  #git(args: string[], env?: Record<string, string>): Promise<string> {
    return runGit(args, {
      cwd: this.dir,
      credentials: this.#credentials,
      signal: this.#signal,
      env,
    });
  }

  // Template input decides file names; refuse anything that would leave the clone.
  #pathOf(file: string): string {
    const root = resolve(this.dir);
    const full = resolve(root, file);
    if (
      !full.startsWith(root + sep) ||
      full.startsWith(join(root, '.git') + sep)
    ) {
      throw new Error(`Refusing to write outside the repository: ${file}`);
    }
    return full;
  }

  async readFile(file: string): Promise<string | undefined> {
    try {
      return await readFile(this.#pathOf(file), 'utf8');
    } catch {
      return undefined;
    }
  }

  async writeFiles(files: Record<string, string>): Promise<void> {
    for (const [file, content] of Object.entries(files)) {
      const full = this.#pathOf(file);
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, content, 'utf8');
    }
  }

  /** SHA of the checked-out commit, undefined before the first commit. */
  async head(): Promise<string | undefined> {
    try {
      return (
        await this.#git(['rev-parse', '--verify', '--quiet', 'HEAD'])
      ).trim();
    } catch {
      return undefined;
    }
  }

  /** Stages everything; commits only when the tree changed, so re-runs add no commits. */
  async commitIfChanged(
    message: string,
    author: CommitAuthor,
  ): Promise<{ changed: boolean; sha?: string }> {
    await this.#git(['add', '--all']);
    const status = await this.#git(['status', '--porcelain']);
    if (!status.trim()) return { changed: false, sha: await this.head() };
    await this.#git(['commit', '--quiet', '--no-verify', '-m', message], {
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_COMMITTER_NAME: author.name,
      GIT_COMMITTER_EMAIL: author.email,
    });
    return { changed: true, sha: await this.head() };
  }

  /** Tree SHA of a remote branch, undefined when the branch does not exist. */
  async remoteTreeOf(branch: string): Promise<string | undefined> {
    const refs = await this.#git([
      'ls-remote',
      '--heads',
      'origin',
      `refs/heads/${branch}`,
    ]);
    if (!refs.trim()) return undefined;
    await this.#git(['fetch', '--quiet', 'origin', `refs/heads/${branch}`]);
    return (await this.#git(['rev-parse', 'FETCH_HEAD^{tree}'])).trim();
  }

  async treeOf(ref: string): Promise<string> {
    return (await this.#git(['rev-parse', `${ref}^{tree}`])).trim();
  }

  /** Pushes HEAD to `branch`; `force` only for the portal's own pull-request branches. */
  async push(branch: string, options: { force?: boolean } = {}): Promise<void> {
    await this.#git([
      'push',
      '--quiet',
      ...(options.force ? ['--force'] : []),
      'origin',
      `HEAD:refs/heads/${branch}`,
    ]);
  }
}
