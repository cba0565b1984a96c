import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, posix, resolve, sep } from 'node:path';
import {
  type GitCommitMetadata,
  type GitCommitSummary,
  GitRepository,
} from './GitRepository';
import { GitCommandError, type GitCredentials, runGit } from './runGit';

/**
 * What the remote looked like when the working copy was opened.
 *
 * @public
 */
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

/**
 * The name and e-mail a commit is written under.
 *
 * @public
 */
export interface CommitAuthor {
  name: string;
  email: string;
}

/**
 * A local clone of one branch of a remote, driven with the real git CLI. Opening it only
 * reads the remote; nothing is written there until {@link GitWorkingCopy.push}.
 *
 * @public
 */
export class GitWorkingCopy {
  readonly dir: string;
  readonly remoteUrl: string;
  readonly branch: string;
  readonly state: RemoteState;
  readonly #credentials?: GitCredentials;
  readonly #signal?: AbortSignal;
  /** Reads of the clone's commits, trees and history. */
  readonly #repository: GitRepository;

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

  /**
   * A clone of `branch` alone in one round trip to the remote: no `ls-remote` first, as
   * {@link GitWorkingCopy.open} makes, so it fails with a {@link GitCommandError} when the
   * repository or the branch does not exist ({@link GitWorkingCopy.isMissingBranch} tells).
   * `bare`: no working tree, for reads by revision only.
   */
  static async cloneBranch(options: {
    remoteUrl: string;
    branch: string;
    dir: string;
    bare?: boolean;
    credentials?: GitCredentials;
    signal?: AbortSignal;
  }): Promise<GitWorkingCopy> {
    const { remoteUrl, branch, dir, credentials, signal } = options;
    await runGit(
      [
        'clone',
        '--quiet',
        ...(options.bare ? ['--bare'] : []),
        '--branch',
        branch,
        '--single-branch',
        '--',
        remoteUrl,
        dir,
      ],
      { credentials, signal },
    );
    return new GitWorkingCopy({
      dir,
      remoteUrl,
      branch,
      state: 'existing',
      credentials,
      signal,
    });
  }

  /** Whether `error`, of a clone or fetch, says the repository or the branch does not exist. */
  static isMissingBranch(error: unknown): boolean {
    return (
      error instanceof GitCommandError &&
      [...MISSING_REPOSITORY, /remote branch .* not found/i].some(r =>
        r.test(error.stderr),
      )
    );
  }

  /** The branch the remote's HEAD points to, undefined for an empty or missing remote. */
  static async defaultBranchOf(options: {
    remoteUrl: string;
    credentials?: GitCredentials;
    signal?: AbortSignal;
  }): Promise<string | undefined> {
    const out = await runGit(
      ['ls-remote', '--symref', options.remoteUrl, 'HEAD'],
      { credentials: options.credentials, signal: options.signal },
    );
    return /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(out)?.[1];
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
    this.#repository = new GitRepository({
      cwd: options.dir,
      credentials: options.credentials,
      signal: options.signal,
    });
  }

  #git(
    args: string[],
    env?: Record<string, string>,
    input?: string,
  ): Promise<string> {
    return runGit(args, {
      cwd: this.dir,
      credentials: this.#credentials,
      signal: this.#signal,
      env,
      input,
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

  /** Commit and tree SHA of a remote branch, undefined when the branch does not exist. */
  async remoteBranch(
    branch: string,
  ): Promise<{ sha: string; tree: string } | undefined> {
    const refs = await this.#git([
      'ls-remote',
      '--heads',
      'origin',
      `refs/heads/${branch}`,
    ]);
    if (!refs.trim()) return undefined;
    await this.#git(['fetch', '--quiet', 'origin', `refs/heads/${branch}`]);
    const [sha, tree] = (
      await this.#git(['rev-parse', 'FETCH_HEAD', 'FETCH_HEAD^{tree}'])
    )
      .trim()
      .split('\n');
    return { sha, tree };
  }

  /** Tree SHA of a remote branch, undefined when the branch does not exist. */
  async remoteTreeOf(branch: string): Promise<string | undefined> {
    return (await this.remoteBranch(branch))?.tree;
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

  /** The full SHA of a commit, undefined when `revision` names no commit of this clone. */
  resolveCommit(revision: string): Promise<string | undefined> {
    return this.#repository.resolveCommit(revision);
  }

  /** See {@link GitRepository.commitMetadata}. */
  commitMetadata(revision: string): Promise<GitCommitMetadata | undefined> {
    return this.#repository.commitMetadata(revision);
  }

  /** Object SHA of a path (tree or blob) at `revision`, undefined when absent there. */
  objectAt(revision: string, path: string): Promise<string | undefined> {
    return this.#repository.objectAt(revision, path);
  }

  /** Whether `ancestor` is `descendant` or one of its ancestors. */
  isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return this.#repository.isAncestor(ancestor, descendant);
  }

  /** Content of `file` at `revision`, undefined when it does not exist there. */
  readFileAt(revision: string, file: string): Promise<string | undefined> {
    return this.#repository.readTextFile(revision, file);
  }

  /** Files (recursively) under the given paths at `revision`, repository-relative. */
  listFilesAt(revision: string, paths: string[]): Promise<string[]> {
    return this.#repository.listFiles(revision, paths);
  }

  /** Files (recursively) under the given paths at `revision`, each with its object SHA. */
  fileObjectsAt(
    revision: string,
    paths: string[],
  ): Promise<Map<string, string>> {
    return this.#repository.fileObjects(revision, paths);
  }

  /** The oldest commit up to `to` that first wrote `text` into one of `paths`. */
  firstCommitWith(options: {
    to: string;
    text: string;
    paths: string[];
  }): Promise<string | undefined> {
    return this.#repository.firstCommitWith(options);
  }

  /**
   * Commits reachable from `to` but not from `from` (all ancestors of `to` without `from`)
   * that change one of `paths`, newest first, each with the files it changed among them.
   */
  log(options: {
    to: string;
    from?: string;
    paths: string[];
    maxCount?: number;
  }): Promise<GitCommitSummary[]> {
    return this.#repository.log(options);
  }

  /**
   * For each of `tips` (full commit SHAs), what {@link GitWorkingCopy.log} gives for
   * `to: tip`, from one `git log` for all of them.
   */
  logs(options: {
    tips: string[];
    paths: string[];
    maxCount?: number;
  }): Promise<Map<string, GitCommitSummary[]>> {
    return this.#repository.logs(options);
  }

  /**
   * Makes `files` in the working tree equal their content at `revision`: checked out when
   * they exist there, deleted when they do not. Other files are left alone.
   */
  async restoreFrom(revision: string, files: string[]): Promise<void> {
    if (files.length === 0) return;
    const present = new Set(await this.listFilesAt(revision, files));
    const restore = files.filter(f => present.has(f));
    const remove = files.filter(f => !present.has(f));
    if (restore.length > 0) {
      await this.#git([
        'restore',
        `--source=${revision}`,
        '--staged',
        '--worktree',
        '--',
        ...restore,
      ]);
    }
    if (remove.length > 0) {
      await this.#git(['rm', '-q', '--ignore-unmatch', '--', ...remove]);
    }
  }

  /** Unified diff of the working tree against HEAD (new files included), optionally of `paths` only. */
  async diff(paths: string[] = []): Promise<string> {
    await this.#git(['add', '--all']);
    const base = (await this.head()) ? ['HEAD'] : [];
    return this.#git([
      'diff',
      '--cached',
      '--no-color',
      '--no-ext-diff',
      ...base,
      '--',
      ...paths,
    ]);
  }

  /**
   * What writing `files` (path to content) over the commit `base` would change, as
   * {@link GitWorkingCopy.changedFiles} and {@link GitWorkingCopy.diff} would tell after
   * {@link GitWorkingCopy.writeFiles} on a checkout of `base`, without a working tree: the
   * contents become objects of this clone (a bare one will do), a temporary index of `base`
   * takes them, and git compares that index with `base`. Nothing else of the clone changes.
   * A file keeps its mode; a new one is a regular file.
   */
  async diffOfWrites(
    base: string,
    files: Record<string, string>,
  ): Promise<{ files: string[]; diff: string }> {
    const paths = Object.keys(files);
    if (paths.length === 0) return { files: [], diff: '' };
    for (const file of paths) {
      // What writeFiles refuses, and what the index would take as something else.
      const normal = posix.normalize(file);
      if (
        normal !== file ||
        file.startsWith('/') ||
        file.split('/').some(part => part === '..' || part === '.git')
      ) {
        throw new Error(`Refusing to write outside the repository: ${file}`);
      }
    }
    const [blobs, listed] = await Promise.all([
      Promise.all(
        paths.map(async file =>
          (
            await this.#git(
              ['hash-object', '-w', '--stdin'],
              undefined,
              files[file],
            )
          ).trim(),
        ),
      ),
      this.#git(['ls-tree', '-z', base, '--', ...paths]),
    ]);
    const modes = new Map<string, string>();
    for (const entry of listed.split('\0').filter(Boolean)) {
      const [meta, path] = entry.split('\t');
      modes.set(path, meta.split(' ')[0]);
    }
    const dir = await mkdtemp(join(tmpdir(), 'kupe-gitops-index-'));
    try {
      const env = { GIT_INDEX_FILE: join(dir, 'index') };
      await this.#git(['read-tree', base], env);
      await this.#git(
        ['update-index', '-z', '--index-info'],
        env,
        paths
          .map((file, i) => {
            const mode = modes.get(file);
            // An executable keeps its mode; a symbolic link becomes a regular file.
            const kept = mode === '100755' ? mode : '100644';
            return `${kept} ${blobs[i]}\t${file}\0`;
          })
          .join(''),
      );
      // One after the other: both read the temporary index, and a diff may refresh it.
      const names = await this.#git(
        ['diff', '--cached', '--name-only', '--no-renames', base],
        env,
      );
      const diff = await this.#git(
        ['diff', '--cached', '--no-color', '--no-ext-diff', base],
        env,
      );
      return { files: names.split('\n').filter(Boolean), diff };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Files changed in the working tree against HEAD. */
  async changedFiles(): Promise<string[]> {
    await this.#git(['add', '--all']);
    const out = await this.#git([
      'diff',
      '--cached',
      '--name-only',
      '--no-renames',
    ]);
    return out.split('\n').filter(Boolean);
  }
}
