import {
  type IncomingMessage,
  type Server,
  type ServerResponse,
  createServer,
} from 'node:http';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { serveGitHttpBackend } from './gitHttpBackend';

/** One ref a push updates, as git's `pre-receive` hook sees it. */
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

/** A push git is about to accept, for {@link GitHttpServerOptions.preReceive}. */
export interface GitPush {
  /** `owner/repo`. */
  repository: string;
  updates: GitPushUpdate[];
}

const ZERO_SHA = /^0+$/;
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

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

/** Options of {@link GitHttpServer.start}. */
export interface GitHttpServerOptions {
  /** The directory holding the bare repositories, served as `/<owner>/<repo>.git`. */
  root: string;
  /**
   * The token git must send, as GitHub takes it from git (HTTP Basic, any user name, the token
   * as password), or a check of the token; otherwise the answer is 401, as a private
   * repository's host gives. Without it, git is served to anyone.
   */
  token?: string | ((token: string) => boolean);
  /**
   * Answers every request that is not git's, e.g. a REST API on the same origin, as GitHub
   * Enterprise serves both. Without it those get 404.
   */
  otherRequests?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /**
   * Decides whether a push is accepted, as a host's `pre-receive` checks (branch protection):
   * the message to refuse it with (git shows each line as `remote: <line>` and the refs as
   * `! [remote rejected] ... (pre-receive hook declined)`), or undefined to accept it. Each
   * repository's own hooks are not run when this is given.
   */
  preReceive?: (push: GitPush) => Promise<string | undefined>;
}

const GIT_PATH = /^\/[^/]+\/[^/]+\.git(?:\/|$)/;

/**
 * A local Git host for tests on 127.0.0.1 (an ephemeral port), speaking Git's smart HTTP
 * protocol through the real `git http-backend` over the bare repositories under `root`.
 */
export class GitHttpServer {
  readonly root: string;
  /** Authorization headers git sent (`''` when none), to show what reached the host. */
  readonly authorizations: string[] = [];
  readonly #options: GitHttpServerOptions;
  readonly #server: Server;
  /** The pre-receive hook's directory and the secret path it calls back on. */
  #hooks?: { dir: string; path: string };

  private constructor(options: GitHttpServerOptions) {
    this.root = options.root;
    this.#options = options;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch(error => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(error));
      });
    });
  }

  static async start(options: GitHttpServerOptions): Promise<GitHttpServer> {
    const server = new GitHttpServer(options);
    if (options.preReceive) {
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
      server.#hooks = {
        dir,
        path: `/.pre-receive/${randomBytes(16).toString('hex')}`,
      };
    }
    await new Promise<void>(resolve =>
      server.#server.listen(0, '127.0.0.1', resolve),
    );
    return server;
  }

  /** `http://127.0.0.1:<port>`, where the repositories are. */
  get origin(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** `127.0.0.1:<port>`, the `host` of an integration entry. */
  get host(): string {
    return new URL(this.origin).host;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise(resolve => this.#server.close(resolve));
    if (this.#hooks)
      await rm(this.#hooks.dir, { recursive: true, force: true });
  }

  #authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    this.authorizations.push(header);
    const { token } = this.#options;
    if (token === undefined) return true;
    const [scheme, value] = header.split(' ');
    if (!/^basic$/i.test(scheme) || !value) return false;
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const password = decoded.slice(decoded.indexOf(':') + 1);
    return typeof token === 'string' ? password === token : token(password);
  }

  async #handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', this.origin);
    if (
      this.#hooks &&
      req.method === 'POST' &&
      url.pathname === this.#hooks.path
    ) {
      await this.#preReceive(req, res);
      return;
    }
    if (!GIT_PATH.test(url.pathname)) {
      if (this.#options.otherRequests) {
        await this.#options.otherRequests(req, res);
      } else {
        res.writeHead(404).end();
      }
      return;
    }
    if (!this.#authorized(req)) {
      res
        .writeHead(401, {
          'www-authenticate': 'Basic realm="GitHub"',
          'content-type': 'text/plain',
        })
        .end('Authentication required');
      return;
    }
    serveGitHttpBackend(req, res, {
      projectRoot: this.root,
      pathInfo: decodeURIComponent(url.pathname),
      queryString: url.search.replace(/^\?/, ''),
      ...(this.#hooks
        ? {
            hooksPath: this.#hooks.dir,
            env: {
              KUPE_PRE_RECEIVE_URL: `${this.origin}${this.#hooks.path}`,
            },
          }
        : {}),
    });
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
