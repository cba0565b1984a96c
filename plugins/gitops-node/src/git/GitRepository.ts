import { CatFileBatch } from './CatFileBatch';
import {
  GitCommandError,
  type GitCredentials,
  type RunGitOptions,
  runGit,
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
 * A commit as Argo CD's revision metadata tells it: author (`Name <email>`), author date
 * (ISO 8601, UTC, whole seconds) and the whole message, trimmed.
 *
 * @public
 */
export interface GitCommitMetadata {
  author: string;
  date: string;
  message: string;
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
/** A `git log` record: {@link RECORD}, then the fields {@link parseLog} reads, up to the files. */
const LOG_FORMAT = `${RECORD}%H${FIELD}%an${FIELD}%ae${FIELD}%aI${FIELD}%s${FIELD}%B${FIELD}`;

/** A commit of `git log`; parents and commit date only when the format asked for them. */
interface LoggedCommit extends GitCommitSummary {
  /** Parents as git walked them (with paths, after its history simplification). */
  parents: string[];
  /** Committer date, seconds since the epoch: what git orders its walk by. */
  committedAt: number;
}

/** The records of a `git log` in {@link LOG_FORMAT}, optionally followed by `%P` and `%ct`. */
function parseLog(out: string): LoggedCommit[] {
  return out
    .split(RECORD)
    .filter(record => record.trim())
    .map(record => {
      const fields = record.split(FIELD);
      const [sha, authorName, authorEmail, date, subject, message] = fields;
      const walk = fields.length > 7;
      return {
        sha,
        authorName,
        authorEmail,
        date,
        subject,
        message: message.trim(),
        parents: walk ? fields[6].split(' ').filter(Boolean) : [],
        committedAt: walk ? Number(fields[7]) : 0,
        files: fields[fields.length - 1].split('\n').filter(Boolean),
      };
    });
}

/** The commit without what only the walk needs. */
const summaryOf = ({
  parents: _parents,
  committedAt: _committedAt,
  ...summary
}: LoggedCommit): GitCommitSummary => summary;

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
  /** Reads of objects by name (files, revisions), one git process for all of them. */
  readonly #objects: CatFileBatch;

  constructor(location: GitRepositoryLocation) {
    this.#location = location;
    this.path = 'gitDir' in location ? location.gitDir : location.cwd;
    this.#objects = new CatFileBatch(...this.#command([]));
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

  /** The SHA of the object `spec` names (git's revision syntax); undefined when it names none. */
  async #revParse(spec: string): Promise<string | undefined> {
    return (await this.#objects.read(spec))?.sha;
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

  /**
   * A commit's metadata read from the object itself: what Argo CD's revision metadata says
   * of it (its repo server prints `%an <%ae>`, `%at` and `%B` with `git show`). Undefined
   * when `revision` names no commit here.
   */
  async commitMetadata(
    revision: string,
  ): Promise<GitCommitMetadata | undefined> {
    const object = await this.#objects.read(`${revision}^{commit}`);
    if (object?.type !== 'commit') return undefined;
    const text = object.content.toString('utf8');
    const split = text.indexOf('\n\n');
    const headers = split < 0 ? text : text.slice(0, split);
    const author = /^author (.*) (-?\d+) [+-]\d{4}$/m.exec(headers);
    if (!author) return undefined;
    return {
      author: author[1],
      date: new Date(Number(author[2]) * 1000)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
      message: split < 0 ? '' : text.slice(split + 2).trim(),
    };
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
    const object = await this.#objects.read(`${revision}:${path}`);
    return object?.type === 'blob' ? object.content : undefined;
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

  /**
   * The files (recursively) under `paths` (all files without any) at `revision`, each with its
   * object SHA: {@link GitRepository.listFiles} and {@link GitRepository.objectAt} of every
   * file in one `git ls-tree`.
   */
  async fileObjects(
    revision: string,
    paths: string[] = [],
  ): Promise<Map<string, string>> {
    const out = await this.git([
      'ls-tree',
      '-r',
      '-z',
      '--end-of-options',
      revision,
      ...(paths.length > 0 ? ['--', ...paths] : []),
    ]);
    return new Map(
      out
        .split('\0')
        .filter(Boolean)
        .map(entry => {
          const tab = entry.indexOf('\t');
          // <mode> SP <type> SP <object> TAB <path>
          return [entry.slice(tab + 1), entry.slice(0, tab).split(' ')[2]];
        }),
    );
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
      `--format=${LOG_FORMAT}`,
      '--name-only',
      '--no-renames',
      ...(options.maxCount ? [`--max-count=${options.maxCount}`] : []),
      '--end-of-options',
      options.from ? `${options.from}..${options.to}` : options.to,
      '--',
      ...(options.paths ?? []),
    ]);
    return parseLog(out).map(summaryOf);
  }

  /**
   * For each of `tips` (full commit SHAs), exactly what {@link GitRepository.log} gives for
   * `to: tip` with the same `paths` and `maxCount`, read with one `git log` for all of them.
   * That log walks the union of their histories with git's own history simplification and
   * lists every commit it walks (`--sparse`) with its simplified parents and commit date; each
   * tip's log is then git's walk from that tip replayed over them: newest commit date first
   * (equal dates in the order they were reached), a merge that left `paths` as one parent had
   * them followed through that parent only, and a commit shown when it changed `paths`.
   */
  async logs(options: {
    tips: string[];
    paths?: string[];
    maxCount?: number;
  }): Promise<Map<string, GitCommitSummary[]>> {
    const tips = [...new Set(options.tips)];
    const result = new Map<string, GitCommitSummary[]>();
    if (tips.length === 0) return result;
    const paths = options.paths ?? [];
    const out = await this.git([
      'log',
      '--sparse',
      `--format=${LOG_FORMAT}%P${FIELD}%ct${FIELD}`,
      '--name-only',
      '--no-renames',
      '--end-of-options',
      ...tips,
      '--',
      ...paths,
    ]);
    const walked = new Map(parseLog(out).map(c => [c.sha, c]));
    // Without paths git prunes nothing and shows every commit; with them, a commit whose
    // `paths` equal its (simplified) parent's is not shown. Merges list no files: one kept
    // with two parents or more differs from each of them.
    const shown = (c: LoggedCommit) =>
      paths.length === 0 || c.parents.length > 1 || c.files.length > 0;
    for (const tip of tips) {
      if (!walked.has(tip)) {
        throw new Error(`git log did not walk ${tip}: not a full commit SHA`);
      }
      const log: GitCommitSummary[] = [];
      const reached = new Set([tip]);
      const queue = [walked.get(tip)!];
      while (
        queue.length > 0 &&
        (!options.maxCount || log.length < options.maxCount)
      ) {
        const commit = queue.shift()!;
        if (shown(commit)) log.push(summaryOf(commit));
        for (const sha of commit.parents) {
          // A shallow clone's boundary has parents git does not have, and does not list.
          const parent = walked.get(sha);
          if (!parent || reached.has(sha)) continue;
          reached.add(sha);
          // After every commit dated the same or later, as git's commit_list_insert_by_date.
          const at = queue.findIndex(c => c.committedAt < parent.committedAt);
          queue.splice(at === -1 ? queue.length : at, 0, parent);
        }
      }
      result.set(tip, log);
    }
    return result;
  }

  /** Tags pointing at a commit. */
  async tagsAt(sha: string): Promise<string[]> {
    const out = await this.git(['tag', '--points-at', sha]);
    return out.split('\n').filter(Boolean);
  }
}
