import { spawn } from 'node:child_process';
import {
  type IncomingMessage,
  type Server,
  type ServerResponse,
  createServer,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  GitHubFake,
  type GitHubFakeOptions,
} from '@kupe/plugin-gitops-node/testUtils';

const readBody = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/**
 * A GitHub host on 127.0.0.1 for tests: the REST API under `/api/v3` answered by the shared
 * {@link GitHubFake}, and Git's smart HTTP (`/<owner>/<repo>.git`) by the real
 * `git http-backend` over the same bare repositories, so what the portal pushes is what the
 * fake's pull requests, files and merges see. Git needs a token of a fake user (HTTP Basic
 * password, as GitHub takes it), else 401.
 */
export class LocalGitHub {
  readonly #root: string;
  readonly #server: Server;
  #fake?: GitHubFake;

  private constructor(root: string) {
    this.#root = root;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch(error => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
  }

  static async start(
    options: Omit<GitHubFakeOptions, 'webUrl' | 'apiBaseUrl'>,
  ): Promise<LocalGitHub> {
    const host = new LocalGitHub(options.repositoriesRoot);
    await new Promise<void>(resolve =>
      host.#server.listen(0, '127.0.0.1', resolve),
    );
    host.#fake = new GitHubFake({ ...options, webUrl: host.origin });
    return host;
  }

  get fake(): GitHubFake {
    return this.#fake!;
  }

  get origin(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** The `integrations.github` entry for this host, authenticating with `token`. */
  integration(token: string) {
    return {
      host: new URL(this.origin).host,
      apiBaseUrl: this.fake.apiBaseUrl,
      rawBaseUrl: `${this.origin}/raw`,
      token,
    };
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise(resolve => this.#server.close(resolve));
  }

  async #handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', this.origin);
    if (url.pathname.startsWith('/api/v3/')) {
      const body = await readBody(req);
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers.set(key, value);
      }
      const response = await this.fake.handle(
        new Request(url, {
          method: req.method,
          headers,
          body: body.length > 0 ? body : undefined,
        }),
      );
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
      return;
    }
    if (/^\/[^/]+\/[^/]+\.git\//.test(url.pathname)) {
      const [scheme, value = ''] = (req.headers.authorization ?? '').split(
        ' ',
      );
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const token = decoded.slice(decoded.indexOf(':') + 1);
      if (!/^basic$/i.test(scheme) || !this.fake.loginOfToken(token)) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="GitHub"' });
        res.end();
        return;
      }
      await this.#git(req, res, url);
      return;
    }
    res.writeHead(404);
    res.end();
  }

  /** Git smart HTTP through `git http-backend` (CGI), pushes enabled. */
  async #git(req: IncomingMessage, res: ServerResponse, url: URL) {
    const body = await readBody(req);
    const child = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH ?? '',
        GIT_PROJECT_ROOT: this.#root,
        GIT_HTTP_EXPORT_ALL: '1',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: 'http.receivepack',
        GIT_CONFIG_VALUE_0: 'true',
        REMOTE_USER: 'x-access-token',
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.replace(/^\?/, ''),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        CONTENT_LENGTH: String(body.length),
        HTTP_CONTENT_ENCODING: String(req.headers['content-encoding'] ?? ''),
        GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
      },
    });
    // http-backend may answer (e.g. an error) and exit before reading the whole request.
    child.stdin.on('error', () => {});
    child.stdin.end(body);
    const out: Buffer[] = [];
    child.stdout.on('data', c => out.push(c));
    await new Promise(resolve => child.on('close', resolve));
    const raw = Buffer.concat(out);
    const split = raw.indexOf('\r\n\r\n');
    const headers: Record<string, string> = {};
    let status = 200;
    for (const line of raw.subarray(0, split).toString('utf8').split('\r\n')) {
      const colon = line.indexOf(':');
      const key = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (/^status$/i.test(key)) status = Number(value.split(' ')[0]);
      else if (key) headers[key] = value;
    }
    res.writeHead(status, headers);
    res.end(raw.subarray(split + 4));
  }
}
