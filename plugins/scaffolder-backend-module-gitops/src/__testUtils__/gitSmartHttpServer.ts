import { spawn } from 'node:child_process';
import {
  type IncomingMessage,
  type Server,
  type ServerResponse,
  createServer,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local Git host speaking Git's smart HTTP protocol through the real `git http-backend`,
 * serving the bare repositories under `root` as `/<owner>/<repo>.git`. With `token`, every
 * request must carry it as GitHub takes it from git (HTTP Basic, any user name, the token as
 * password); without it the answer is 401, as a private repository's host gives.
 */
export class GitSmartHttpServer {
  readonly root: string;
  readonly #token?: string;
  readonly #server: Server;
  /** Authorization headers received, to show what git sent. */
  readonly authorizations: string[] = [];

  private constructor(root: string, token?: string) {
    this.root = root;
    this.#token = token;
    this.#server = createServer((req, res) => this.#handle(req, res));
  }

  static async start(options: {
    root: string;
    token?: string;
  }): Promise<GitSmartHttpServer> {
    const server = new GitSmartHttpServer(options.root, options.token);
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
    if (!this.#token) return true;
    const [scheme, value] = header.split(' ');
    if (scheme !== 'Basic' || !value) return false;
    const password = Buffer.from(value, 'base64')
      .toString('utf8')
      .split(':')
      .slice(1)
      .join(':');
    return password === this.#token;
  }

  #handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', this.origin);
    if (url.pathname.split('/').includes('..')) {
      res.writeHead(400).end('Bad path');
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
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_PROJECT_ROOT: this.root,
      GIT_HTTP_EXPORT_ALL: '1',
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.receivepack',
      GIT_CONFIG_VALUE_0: 'true',
      REMOTE_USER: 'x-access-token',
      REMOTE_ADDR: '127.0.0.1',
      GATEWAY_INTERFACE: 'CGI/1.1',
      SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
      REQUEST_METHOD: req.method ?? 'GET',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.replace(/^\?/, ''),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
    };
    if (req.headers['content-length']) {
      env.CONTENT_LENGTH = req.headers['content-length'];
    }
    if (req.headers['content-encoding']) {
      env.HTTP_CONTENT_ENCODING = req.headers['content-encoding'];
    }
    if (req.headers['git-protocol']) {
      env.HTTP_GIT_PROTOCOL = String(req.headers['git-protocol']);
    }
    const child = spawn('git', ['http-backend'], { env });
    req.pipe(child.stdin);
    child.stdin.on('error', () => undefined);

    // CGI output: headers (with `Status:`), a blank line, then the body.
    let head = Buffer.alloc(0);
    let started = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (started) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const text = head.toString('latin1');
      const match = /\r?\n\r?\n/.exec(text);
      if (!match) return;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of text.slice(0, match.index).split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon === -1) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = parseInt(value, 10);
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      started = true;
      const body = head.subarray(match.index + match[0].length);
      if (body.length) res.write(body);
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('close', code => {
      if (started) res.end();
      else
        res.writeHead(500).end(`git http-backend failed (${code}): ${stderr}`);
    });
  }
}
