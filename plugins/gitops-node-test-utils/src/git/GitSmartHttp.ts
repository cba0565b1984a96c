import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { serveGitHttpBackend } from './gitHttpBackend';

/**
 * One ref a push updates, as git's `pre-receive` hook sees it.
 *
 * @public
 */
export interface GitPushUpdate {
  /** e.g. `refs/heads/main`. */
  ref: string;
  /** 40 zeros when the push creates the ref. */
  oldSha: string;
  /** 40 zeros when the push deletes the ref. */
  newSha: string;
  /** Paths the update changes from `oldSha` (the empty tree for a new ref) to `newSha`. */
  files: string[];
}

/**
 * A push git is about to accept, for {@link GitSmartHttpOptions.preReceive}.
 *
 * @public
 */
export interface GitPush {
  /** `owner/repo`. */
  repository: string;
  updates: GitPushUpdate[];
}

/**
 * What a Git host answers a request for a repository, as GitHub answers it: `granted` serves
 * it; `unauthenticated` is 401 with `WWW-Authenticate: Basic realm="GitHub"` (no or unknown
 * credentials, so git asks for them); `forbidden` is 403 (a user who may read but not push);
 * `not-found` is 404, also for a private repository the user may not see, so that its
 * existence does not leak.
 *
 * @public
 */
export type GitAccess =
  | 'granted'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found';

/**
 * A request for a repository, for {@link GitSmartHttpOptions.access}.
 *
 * @public
 */
export interface GitAccessRequest {
  /** `owner/repo`. */
  repository: string;
  /** The HTTP Basic password git sent (GitHub takes a token there); undefined when none. */
  token?: string;
  /** `write` for a push (git-receive-pack), `read` for a clone or fetch (git-upload-pack). */
  operation: 'read' | 'write';
}

/**
 * Options of {@link GitSmartHttp.create}.
 *
 * @public
 */
export interface GitSmartHttpOptions {
  /** The directory holding the bare repositories, served as `/<owner>/<repo>.git`. */
  root: string;
  /**
   * Who may read or push which repository. Without it, git is served to anyone.
   */
  access?: (request: GitAccessRequest) => GitAccess | Promise<GitAccess>;
  /**
   * Decides whether a push is accepted, as a host's `pre-receive` checks (branch protection):
   * the message to refuse it with (git shows each line as `remote: <line>` and the refs as
   * `! [remote rejected] ... (pre-receive hook declined)`), or undefined to accept it. Each
   * repository's own hooks are not run when this is given.
   */
  preReceive?: (push: GitPush) => Promise<string | undefined>;
}

const ZERO_SHA = /^0+$/;
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const REPOSITORY_PATH = /^\/([^/]+)\/([^/]+)\.git(?:\/|$)/;

/**
 * git's `pre-receive` hook (run by `node`): lists what each ref update changes (the pushed
 * objects are only visible to git in the hook's environment) and asks the server whether to
 * accept the push; any answer but 204 refuses it, its text shown to the pusher as `remote:`.
 */
const PRE_RECEIVE_SCRIPT = String.raw`'use strict';
const { execFileSync } = require('node:child_process');
const zero = ${ZERO_SHA};
const updates = require('node:fs')
  .readFileSync(0, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map(line => {
    const [oldSha, newSha, ref] = line.split(' ');
    const files = zero.test(newSha)
      ? []
      : execFileSync('git', ['diff', '--name-only', '--no-renames', '-z',
          zero.test(oldSha) ? '${EMPTY_TREE}' : oldSha, newSha],
          { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
          .split('\0').filter(Boolean);
    return { ref, oldSha, newSha, files };
  });
fetch(process.env.KUPE_PRE_RECEIVE_URL, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ gitDir: process.cwd(), updates }),
})
  .then(async response => {
    if (response.status === 204) process.exit(0);
    process.stderr.write(await response.text());
    process.exit(1);
  })
  .catch(error => {
    process.stderr.write('error: the push could not be checked: ' + error.message + '\n');
    process.exit(1);
  });
`;

/**
 * The HTTP Basic password of a request (GitHub reads a token there); undefined when none.
 *
 * @public
 */
export function basicPassword(
  authorization: string | undefined,
): string | undefined {
  const [scheme, value] = (authorization ?? '').split(' ');
  if (!/^basic$/i.test(scheme ?? '') || !value) return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : decoded.slice(colon + 1) || undefined;
}

const MESSAGES: Record<Exclude<GitAccess, 'granted'>, [number, string]> = {
  // GitHub's own texts, which git shows the user as `remote: ...`
  unauthenticated: [
    401,
    'Invalid username or token. Password authentication is not supported for Git operations.',
  ],
  forbidden: [403, 'Write access to repository not granted.'],
  'not-found': [404, 'Repository not found.'],
};

/**
 * Git's smart HTTP protocol for a Git host, mountable in any Node HTTP server: the real
 * `git http-backend` over the bare repositories under `root`, behind GitHub's answers for
 * who may read or push ({@link GitSmartHttpOptions.access}) and a `pre-receive` check of
 * every push ({@link GitSmartHttpOptions.preReceive}), which the hook asks back on the same
 * origin at a secret path.
 *
 * @public
 */
export class GitSmartHttp {
  readonly root: string;
  /** Authorization headers git sent (`''` when none), to show what reached the host. */
  readonly authorizations: string[] = [];
  readonly #options: GitSmartHttpOptions;
  /** The pre-receive hook's directory and the secret path it calls back on. */
  readonly #hooks?: { dir: string; path: string };

  private constructor(
    options: GitSmartHttpOptions,
    hooks?: { dir: string; path: string },
  ) {
    this.root = options.root;
    this.#options = options;
    this.#hooks = hooks;
  }

  static async create(options: GitSmartHttpOptions): Promise<GitSmartHttp> {
    if (!options.preReceive) return new GitSmartHttp(options);
    const dir = await mkdtemp(join(tmpdir(), 'kupe-git-hooks-'));
    await writeFile(join(dir, 'pre-receive.js'), PRE_RECEIVE_SCRIPT);
    await writeFile(
      join(dir, 'pre-receive'),
      `#!/bin/sh\nexec '${process.execPath}' '${join(
        dir,
        'pre-receive.js',
      )}'\n`,
    );
    await chmod(join(dir, 'pre-receive'), 0o755);
    return new GitSmartHttp(options, {
      dir,
      path: `/.pre-receive/${randomBytes(16).toString('hex')}`,
    });
  }

  /** Whether a request path is git's: a repository (`/<owner>/<repo>.git/...`) or the hook's call. */
  handles(pathname: string): boolean {
    return REPOSITORY_PATH.test(pathname) || pathname === this.#hooks?.path;
  }

  /**
   * Answers a request for which {@link GitSmartHttp.handles} is true. `origin` is where this
   * server is reached (the hook calls back there); `pathInfo` the decoded request path.
   */
  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    options: { origin: string; pathInfo: string; queryString: string },
  ): Promise<void> {
    const { origin, pathInfo, queryString } = options;
    if (this.#hooks && pathInfo === this.#hooks.path) {
      if (req.method !== 'POST') {
        res.writeHead(405).end();
        return;
      }
      await this.#preReceive(req, res);
      return;
    }
    const match = REPOSITORY_PATH.exec(pathInfo);
    if (!match) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    const header = req.headers.authorization ?? '';
    this.authorizations.push(header);
    if (this.#options.access) {
      const service = new URLSearchParams(queryString).get('service');
      const write =
        service === 'git-receive-pack' ||
        pathInfo.endsWith('/git-receive-pack');
      const access = await this.#options.access({
        repository: `${match[1]}/${match[2]}`,
        token: basicPassword(header),
        operation: write ? 'write' : 'read',
      });
      if (access !== 'granted') {
        const [status, message] = MESSAGES[access];
        res
          .writeHead(status, {
            'content-type': 'text/plain; charset=utf-8',
            ...(status === 401
              ? { 'www-authenticate': 'Basic realm="GitHub"' }
              : {}),
          })
          .end(`${message}\n`);
        return;
      }
    }
    serveGitHttpBackend(req, res, {
      projectRoot: this.root,
      pathInfo,
      queryString,
      ...(this.#hooks
        ? {
            hooksPath: this.#hooks.dir,
            env: { KUPE_PRE_RECEIVE_URL: `${origin}${this.#hooks.path}` },
          }
        : {}),
    });
  }

  /** Removes the hook's directory. */
  async close(): Promise<void> {
    if (this.#hooks)
      await rm(this.#hooks.dir, { recursive: true, force: true });
  }

  /** The pre-receive hook's call: 204 accepts the push, 403 with the message refuses it. */
  async #preReceive(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const { gitDir, updates } = JSON.parse(
      Buffer.concat(chunks).toString('utf8'),
    ) as { gitDir: string; updates: GitPushUpdate[] };
    const repository = relative(await realpath(this.root), gitDir)
      .split(sep)
      .join('/')
      .replace(/\.git$/, '');
    const refusal = await this.#options.preReceive!({ repository, updates });
    if (refusal === undefined) {
      res.writeHead(204).end();
      return;
    }
    res
      .writeHead(403, { 'content-type': 'text/plain' })
      .end(refusal.endsWith('\n') ? refusal : `${refusal}\n`);
  }
}
