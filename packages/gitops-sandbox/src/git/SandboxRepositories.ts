import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GitRepository } from '@kupe/plugin-gitops-node';
import { GitIdentity, identityEnv, runGit } from './runGit';

/**
 * `<owner>/<name>` as GitHub allows them (letters, digits, `-`; names also `_` and `.`), minus
 * a leading `.` or `-`. The owner `git` is reserved: `/git/` is the older URL prefix.
 */
const REPO_NAME =
  /^(?!git\/)[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * The sandbox's Git server side: bare repositories `<owner>/<name>.git` under
 * `<dataDir>/repos`, served by `git http-backend` at `<origin>/<owner>/<name>.git` as a
 * GitHub Enterprise server serves them (and, as an alias, under `/git/`), and a working clone
 * per repository under `<dataDir>/work` through which the sandbox itself commits and pushes,
 * the same way any other client would.
 */
export class SandboxRepositories {
  readonly root: string;
  readonly #workRoot: string;
  readonly #baseUrl: string;

  /** `baseUrl` is the sandbox's HTTP origin; repository URLs are `<baseUrl>/<repo>.git`. */
  constructor(dataDir: string, baseUrl: string) {
    this.root = join(dataDir, 'repos');
    this.#workRoot = join(dataDir, 'work');
    this.#baseUrl = baseUrl.replace(/\/+$/, '');
  }

  urlOf(repo: string): string {
    return `${this.#baseUrl}/${repo}.git`;
  }

  /** The read-only URL of one file at a branch, tag or SHA (served under `/raw/`). */
  rawUrlOf(repo: string, ref: string, path: string): string {
    return `${this.#baseUrl}/raw/${repo}/${ref}/${path}`;
  }

  /**
   * The repository behind a URL this sandbox serves (`<origin>/<owner>/<name>[.git]`, or the
   * same under `/git/`); undefined for any other URL.
   */
  resolve(repoURL: string): GitRepository | undefined {
    const prefix = `${this.#baseUrl}/`;
    if (!repoURL.startsWith(prefix)) return undefined;
    const repo = repoURL
      .slice(prefix.length)
      .replace(/^git\//, '')
      .replace(/\/+$/, '')
      .replace(/\.git$/, '');
    return this.repository(repo);
  }

  /** The repository `<owner>/<name>`; undefined for an invalid or unknown name. */
  repository(repo: string): GitRepository | undefined {
    if (!REPO_NAME.test(repo)) return undefined;
    const gitDir = join(this.root, `${repo}.git`);
    return existsSync(gitDir) ? new GitRepository({ gitDir }) : undefined;
  }

  exists(repo: string): boolean {
    return existsSync(join(this.root, `${repo}.git`));
  }

  /** Creates an empty bare repository with `main` as its default branch. */
  async create(repo: string): Promise<void> {
    if (!REPO_NAME.test(repo))
      throw new Error(`invalid repository name ${repo}`);
    const gitDir = join(this.root, `${repo}.git`);
    await mkdir(dirname(gitDir), { recursive: true });
    await runGit([
      'init',
      '--quiet',
      '--bare',
      '--initial-branch=main',
      gitDir,
    ]);
    // Lets pushes over smart HTTP land without extra server configuration.
    await runGit(['--git-dir', gitDir, 'config', 'http.receivepack', 'true']);
  }

  /**
   * Commits file changes (`null` deletes) to a branch and pushes them; returns the new SHA.
   * Uses the file path of the bare repository as remote, so it works before the HTTP server
   * is listening.
   */
  async commit(
    repo: string,
    options: {
      files: Record<string, string | null>;
      author: GitIdentity;
      message: string;
      branch?: string;
    },
  ): Promise<string> {
    const branch = options.branch ?? 'main';
    const gitDir = join(this.root, `${repo}.git`);
    const work = join(this.#workRoot, repo);
    await rm(work, { recursive: true, force: true });
    await mkdir(dirname(work), { recursive: true });
    await runGit(['clone', '--quiet', gitDir, work]);
    const hasBranch =
      (
        await runGit(['ls-remote', '--heads', 'origin', branch], { cwd: work })
      ).trim() !== '';
    if (hasBranch)
      await runGit(['checkout', '--quiet', '-B', branch, `origin/${branch}`], {
        cwd: work,
      });
    else
      await runGit(['checkout', '--quiet', '--orphan', branch], { cwd: work });
    for (const [path, content] of Object.entries(options.files)) {
      if (path.split('/').includes('..') || path.startsWith('/'))
        throw new Error(`invalid path ${path}`);
      const file = join(work, path);
      if (content === null) await rm(file, { force: true });
      else {
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, content);
      }
    }
    const env = identityEnv(options.author);
    await runGit(['add', '--all'], { cwd: work });
    await runGit(
      ['commit', '--quiet', '--allow-empty', '-m', options.message],
      { cwd: work, env },
    );
    await runGit(['push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`], {
      cwd: work,
    });
    const sha = (await runGit(['rev-parse', 'HEAD'], { cwd: work })).trim();
    await rm(work, { recursive: true, force: true });
    return sha;
  }
}
