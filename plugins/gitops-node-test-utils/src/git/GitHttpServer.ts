import {
  type IncomingMessage,
  type Server,
  type ServerResponse,
  createServer,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type GitAccessRequest,
  type GitAccess,
  type GitPush,
  GitSmartHttp,
} from './GitSmartHttp';

export type { GitPush, GitPushUpdate } from './GitSmartHttp';

/**
 * Options of {@link GitHttpServer.start}.
 *
 * @public
 */
export interface GitHttpServerOptions {
  /** The directory holding the bare repositories, served as `/<owner>/<repo>.git`. */
  root: string;
  /**
   * The token git must send, as GitHub takes it from git (HTTP Basic, any user name, the token
   * as password), or a check of the token; otherwise the answer is 401, as a private
   * repository's host gives. Without it (and without `access`), git is served to anyone.
   */
  token?: string | ((token: string) => boolean);
  /**
   * Who may read or push which repository, as GitHub answers it (401, 403 or 404); takes the
   * place of `token`.
   */
  access?: (request: GitAccessRequest) => GitAccess | Promise<GitAccess>;
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

/** `token` as an access check: the token, else 401. */
function tokenAccess(
  token: string | ((token: string) => boolean),
): (request: GitAccessRequest) => GitAccess {
  return request => {
    if (request.token === undefined) return 'unauthenticated';
    const valid =
      typeof token === 'string'
        ? request.token === token
        : token(request.token);
    return valid ? 'granted' : 'unauthenticated';
  };
}

/**
 * A local Git host for tests on 127.0.0.1 (an ephemeral port), speaking Git's smart HTTP
 * protocol through the real `git http-backend` over the bare repositories under `root`
 * ({@link GitSmartHttp}).
 *
 * @public
 */
export class GitHttpServer {
  readonly root: string;
  readonly #options: GitHttpServerOptions;
  readonly #server: Server;
  readonly #git: GitSmartHttp;

  private constructor(options: GitHttpServerOptions, git: GitSmartHttp) {
    this.root = options.root;
    this.#options = options;
    this.#git = git;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch(error => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(error));
      });
    });
  }

  static async start(options: GitHttpServerOptions): Promise<GitHttpServer> {
    const access =
      options.access ??
      (options.token !== undefined ? tokenAccess(options.token) : undefined);
    const git = await GitSmartHttp.create({
      root: options.root,
      access,
      preReceive: options.preReceive,
    });
    const server = new GitHttpServer(options, git);
    await new Promise<void>(resolve =>
      server.#server.listen(0, '127.0.0.1', resolve),
    );
    return server;
  }

  /** Authorization headers git sent (`''` when none), to show what reached the host. */
  get authorizations(): readonly string[] {
    return this.#git.authorizations;
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
    await this.#git.close();
  }

  async #handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', this.origin);
    if (!this.#git.handles(url.pathname)) {
      if (this.#options.otherRequests) {
        await this.#options.otherRequests(req, res);
      } else {
        res.writeHead(404).end();
      }
      return;
    }
    await this.#git.handle(req, res, {
      origin: this.origin,
      pathInfo: decodeURIComponent(url.pathname),
      queryString: url.search.replace(/^\?/, ''),
    });
  }
}
