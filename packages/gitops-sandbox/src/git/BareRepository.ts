import { runGit } from './runGit';

/** Read access to one bare repository, as Argo CD's repo-server needs it. */
export class BareRepository {
  readonly gitDir: string;

  constructor(gitDir: string) {
    this.gitDir = gitDir;
  }

  #git(args: string[]): Promise<string> {
    return runGit(['--git-dir', this.gitDir, ...args]);
  }

  /** Resolves a branch, tag, `HEAD` or SHA to a commit SHA; undefined when unknown. */
  async resolve(revision: string): Promise<string | undefined> {
    const candidates = /^[0-9a-f]{7,40}$/i.test(revision)
      ? [revision]
      : [`refs/heads/${revision}`, `refs/tags/${revision}`, revision];
    for (const candidate of candidates) {
      try {
        return (
          await this.#git([
            'rev-parse',
            '--verify',
            '--quiet',
            `${candidate}^{commit}`,
          ])
        ).trim();
      } catch {
        // try the next form
      }
    }
    return undefined;
  }

  /** Paths of all files under `path` at `sha` (repository-relative). */
  async listFiles(sha: string, path: string): Promise<string[]> {
    const dir = path.replace(/^\.?\/*/, '').replace(/\/+$/, '');
    const out = await this.#git([
      'ls-tree',
      '-r',
      '--name-only',
      sha,
      '--',
      dir || '.',
    ]);
    return out.split('\n').filter(Boolean);
  }

  readFile(sha: string, path: string): Promise<string> {
    return this.#git(['show', `${sha}:${path}`]);
  }

  /** The file (blob) at `path` in commit `sha`; undefined when absent or a directory. */
  async readBlob(sha: string, path: string): Promise<Buffer | undefined> {
    const object = `${sha}:${path}`;
    try {
      const type = (await this.#git(['cat-file', '-t', object])).trim();
      if (type !== 'blob') return undefined;
    } catch {
      return undefined;
    }
    return Buffer.from(await this.#git(['cat-file', 'blob', object]));
  }

  /** Author, date and message of a commit (full or short SHA); undefined when unknown. */
  async commitMetadata(sha: string): Promise<
    | {
        sha: string;
        author: string;
        date: string;
        message: string;
        tags: string[];
      }
    | undefined
  > {
    try {
      const out = await this.#git([
        'log',
        '-1',
        '--format=%H%x00%an <%ae>%x00%aI%x00%B',
        sha,
        '--',
      ]);
      const [full, author, date, message] = out.split('\0');
      const tags = (await this.#git(['tag', '--points-at', full]))
        .split('\n')
        .filter(Boolean);
      return { sha: full, author, date, message: message.trim(), tags };
    } catch {
      return undefined;
    }
  }
}
