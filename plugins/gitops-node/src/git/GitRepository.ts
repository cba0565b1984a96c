import {
  GitCommandError,
  type GitCredentials,
  type RunGitOptions,
  runGit,
  runGitForBytes,
} from './runGit';

/**
 * One commit as `git log` reports it.
 *
 * @public
 */
export interface GitCommitSummary {
  sha: string;
  authorName: string;
  authorEmail: string;
  /** Author date, ISO 8601. */
  date: string;
  /** First line of the message. */
  subject: string;
  /** The whole message, trimmed. */
  message: string;
  /** Files the commit changed (within the logged paths). */
  files: string[];
}

/**
 * One entry of a directory (tree) at a commit.
 *
 * @public
 */
export interface GitTreeEntry {
  name: string;
  type: 'file' | 'dir';
  /** Object SHA of the blob or tree. */
  sha: string;
  /** Bytes of a file; 0 for a directory. */
  size: number;
}

/**
 * Where a {@link GitRepository} is: a bare repository's directory, or a clone's work tree.
 *
 * @public
 */
export type GitRepositoryLocation =
  | { gitDir: string }
  | { cwd: string; credentials?: GitCredentials; signal?: AbortSignal };

// Separators git never puts in names or messages it prints with these formats.
const FIELD = '\x1f';
const RECORD = '\x1e';

/**
 * Reads the commits, trees, files and history of a git repository (a bare one, as a git host
 * keeps it, or a clone) with the real git CLI: the one implementation of these reads for the
 * product's working copies, the GitHub double and the sandbox's repo-server. Revisions may
 * come from users, so they are passed after `--end-of-options` and never read as options.
 *
 * @public
 */
export class GitRepository {
  /** The repository's directory: the bare repository, or the clone's work tree. */
  readonly path: string;
  readonly #location: GitRepositoryLocation;

  constructor(location: GitRepositoryLocation) {
    this.#location = location;
    this.path = 'gitDir' in location ? location.gitDir : location.cwd;
  }

  #command(
    args: string[],
    env?: Record<string, string>,
  ): [string[], RunGitOptions] {
    if ('gitDir' in this.#location) {
      return [['--git-dir', this.#location.gitDir, ...args], { env }];
    }
    const { cwd, credentials, signal } = this.#location;
    return [args, { cwd, credentials, signal, env }];
  }

  /** Runs git in this repository. */
  protected git(args: string[], env?: Record<string, string>): Promise<string> {
    return runGit(...this.#command(args, env));
  }

  /** The object SHA git's `rev-parse` gives `spec`; undefined when it names none. */
  async #revParse(spec: string): Promise<string | undefined> {
    try {
      return (
        await this.git([
          'rev-parse',
          '--verify',
          '--quiet',
          '--end-of-options',
          spec,
        ])
      ).trim();
    } catch {
      return undefined;
    }
  }

  /** The full SHA of a commit named as git names it, undefined when `revision` names none. */
  resolveCommit(revision: string): Promise<string | undefined> {
    return this.#revParse(`${revision}^{commit}`);
  }

  /**
   * The commit a host means by `revision` (a branch before a tag of the same name, then a tag,
   * then a SHA or any other revision); undefined when unknown.
   */
  async resolve(revision: string): Promise<string | undefined> {
    const candidates = /^[0-9a-f]{7,40}$/i.test(revision)
      ? [revision]
      : [`refs/heads/${revision}`, `refs/tags/${revision}`, revision];
    for (const candidate of candidates) {
      const sha = await this.resolveCommit(candidate);
      if (sha) return sha;
    }
    return undefined;
  }

  /** Object SHA of a path (tree or blob) at `revision`, undefined when absent there. */
  objectAt(revision: string, path: string): Promise<string | undefined> {
    return this.#revParse(`${revision}:${path}`);
  }

  /** Whether `ancestor` is `descendant` or one of its ancestors. */
  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    try {
      await this.git([
        'merge-base',
        '--is-ancestor',
        '--end-of-options',
        ancestor,
        descendant,
      ]);
      return true;
    } catch (error) {
      if (error instanceof GitCommandError && error.exitCode === 1)
        return false;
      throw error;
    }
  }

  /** The bytes of the file at `path` in `revision`; undefined when absent or not a file. */
  async readFile(revision: string, path: string): Promise<Buffer | undefined> {
    try {
      return await runGitForBytes(
        ...this.#command([
          'cat-file',
          'blob',
          '--end-of-options',
          `${revision}:${path}`,
        ]),
      );
    } catch {
      return undefined;
    }
  }

  /** The file at `path` in `revision` as UTF-8 text; undefined when absent or not a file. */
  async readTextFile(
    revision: string,
    path: string,
  ): Promise<string | undefined> {
    return (await this.readFile(revision, path))?.toString('utf8');
  }

  /** Files (recursively) under `paths` (all files without any) at `revision`, repository-relative. */
  async listFiles(revision: string, paths: string[] = []): Promise<string[]> {
    const out = await this.git([
      'ls-tree',
      '-r',
      '--name-only',
      '--end-of-options',
      revision,
      // After --end-of-options a `--` would be read as a path, matching nothing.
      ...(paths.length > 0 ? ['--', ...paths] : []),
    ]);
    return out.split('\n').filter(Boolean);
  }

  /** Entries of the directory `path` ('' the root) at `revision`; undefined when it is no directory. */
  async listDirectory(
    revision: string,
    path: string,
  ): Promise<GitTreeEntry[] | undefined> {
    const dir = path.replace(/\/+$/, '');
    const tree = await this.objectAt(revision, dir ? dir : '');
    if (!tree) return undefined;
    let out: string;
    try {
      out = await this.git(['ls-tree', '-l', '-z', '--end-of-options', tree]);
    } catch {
      return undefined;
    }
    return out
      .split('\0')
      .filter(Boolean)
      .map(entry => {
        const [meta, name] = entry.split('\t');
        const [, type, sha, size] = meta.split(/\s+/);
        return {
          name,
          type: type === 'tree' ? ('dir' as const) : ('file' as const),
          sha,
          size: size === '-' ? 0 : Number(size),
        };
      });
  }

  /**
   * The oldest commit reachable from `to` that changed how often `text` occurs in one of
   * `paths` (git's pickaxe, `-S`): for a version string, the commit that first wrote it.
   */
  async firstCommitWith(options: {
    to: string;
    text: string;
    paths: string[];
  }): Promise<string | undefined> {
    if (!options.text) return undefined;
    const out = await this.git([
      'log',
      '--format=%H',
      '--reverse',
      // One argument, so the text can never be read as an option.
      `-S${options.text}`,
      '--end-of-options',
      options.to,
      '--',
      ...options.paths,
    ]);
    return out.split('\n').find(Boolean);
  }

  /**
   * Commits reachable from `to` but not from `from` (all ancestors of `to` without `from`)
   * that change one of `paths` (any path without them), newest first, each with the files it
   * changed among them.
   */
  async log(options: {
    to: string;
    from?: string;
    paths?: string[];
    maxCount?: number;
  }): Promise<GitCommitSummary[]> {
    const out = await this.git([
      'log',
      `--format=${RECORD}%H${FIELD}%an${FIELD}%ae${FIELD}%aI${FIELD}%s${FIELD}%B${FIELD}`,
      '--name-only',
      '--no-renames',
      ...(options.maxCount ? [`--max-count=${options.maxCount}`] : []),
      '--end-of-options',
      options.from ? `${options.from}..${options.to}` : options.to,
      '--',
      ...(options.paths ?? []),
    ]);
    return out
      .split(RECORD)
      .filter(record => record.trim())
      .map(record => {
        const [sha, authorName, authorEmail, date, subject, message, names] =
          record.split(FIELD);
        return {
          sha,
          authorName,
          authorEmail,
          date,
          subject,
          message: message.trim(),
          files: names.split('\n').filter(Boolean),
        };
      });
  }

  /** Tags pointing at a commit. */
  async tagsAt(sha: string): Promise<string[]> {
    const out = await this.git(['tag', '--points-at', sha]);
    return out.split('\n').filter(Boolean);
  }
}
