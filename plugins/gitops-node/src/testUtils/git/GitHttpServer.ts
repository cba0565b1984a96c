import {
  type IncomingMessage,
  type Server,
  type ServerResponse,
  createServer,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveGitHttpBackend } from './gitHttpBackend';

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
    });
  }
}
