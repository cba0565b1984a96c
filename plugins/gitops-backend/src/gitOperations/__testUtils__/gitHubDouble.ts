import { spawn } from 'node:child_process';
import {
  type IncomingMessage,
  type Server,
  type ServerResponse,
  createServer,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** A pull request as the double keeps it (the fields GitHub's REST API answers that we use). */
export interface PullRequestRecord {
  number: number;
  state: 'open' | 'closed';
  title: string;
  body: string;
  head: string;
  base: string;
  html_url: string;
}

const readBody = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/**
 * A GitHub host on 127.0.0.1 for tests, until the shared GitHub fake lands: Git's smart HTTP
 * through the real `git http-backend` over the bare repositories under `root`
 * (`/<owner>/<repo>.git`), and the pull-request routes of the REST API under `/api/v3`
 * (list with `state`/`head`/`base`, create with GitHub's 422 for a duplicate or a missing
 * branch). Every request must carry `token` (git: HTTP Basic password; API: `token`/`Bearer`),
 * else 401 as GitHub answers for a private repository.
 */
export class GitHubDouble {
  readonly root: string;
  readonly #token: string;
  readonly #server: Server;
  readonly pulls = new Map<string, PullRequestRecord[]>();

  private constructor(root: string, token: string) {
    this.root = root;
    this.#token = token;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch(error => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
  }

  static async start(options: {
    root: string;
    token: string;
  }): Promise<GitHubDouble> {
    const double = new GitHubDouble(options.root, options.token);
    await new Promise<void>(resolve =>
      double.#server.listen(0, '127.0.0.1', resolve),
    );
    return double;
  }

  get origin(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** The `integrations.github` entry for this host. */
  integration() {
    return {
      host: new URL(this.origin).host,
      apiBaseUrl: `${this.origin}/api/v3`,
      rawBaseUrl: `${this.origin}/raw`,
      token: this.#token,
    };
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise(resolve => this.#server.close(resolve));
  }

  #authorized(req: IncomingMessage): boolean {
    const [scheme, value = ''] = (req.headers.authorization ?? '').split(' ');
    if (/^basic$/i.test(scheme)) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      return decoded.slice(decoded.indexOf(':') + 1) === this.#token;
    }
    return /^(token|bearer)$/i.test(scheme) && value === this.#token;
  }

  async #handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', this.origin);
    if (!this.#authorized(req)) {
      res.writeHead(401, {
        'Content-Type': 'application/json',
        'WWW-Authenticate': 'Basic realm="GitHub"',
      });
      res.end(JSON.stringify({ message: 'Requires authentication' }));
      return;
    }
    const pulls = /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/pulls$/.exec(
      url.pathname,
    );
    if (pulls) {
      await this.#pulls(req, res, url, `${pulls[1]}/${pulls[2]}`);
      return;
    }
    if (/^\/[^/]+\/[^/]+\.git\//.test(url.pathname)) {
      await this.#git(req, res, url);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ message: 'Not Found' }));
  }

  async #pulls(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    repo: string,
  ) {
    const list = this.pulls.get(repo) ?? [];
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET') {
      const state = url.searchParams.get('state') ?? 'open';
      const head = url.searchParams.get('head');
      const base = url.searchParams.get('base');
      const owner = repo.split('/')[0];
      json(
        200,
        list
          .filter(p => state === 'all' || p.state === state)
          .filter(p => !head || `${owner}:${p.head}` === head)
          .filter(p => !base || p.base === base)
          .map(p => ({ ...p, head: { ref: p.head }, base: { ref: p.base } })),
      );
      return;
    }
    if (req.method === 'POST') {
      const input = JSON.parse((await readBody(req)).toString('utf8'));
      const exists = await this.#branchExists(repo, input.head);
      if (!exists) {
        json(422, {
          message: 'Validation Failed',
          errors: [{ resource: 'PullRequest', field: 'head', code: 'invalid' }],
        });
        return;
      }
      if (
        list.some(
          p =>
            p.state === 'open' && p.head === input.head && p.base === input.base,
        )
      ) {
        json(422, {
          message: 'Validation Failed',
          errors: [
            {
              resource: 'PullRequest',
              code: 'custom',
              message: `A pull request already exists for ${input.head}.`,
            },
          ],
        });
        return;
      }
      const number = list.length + 1;
      const pull: PullRequestRecord = {
        number,
        state: 'open',
        title: input.title,
        body: input.body ?? '',
        head: input.head,
        base: input.base,
        html_url: `${this.origin}/${repo}/pull/${number}`,
      };
      this.pulls.set(repo, [...list, pull]);
      json(201, { ...pull, head: { ref: pull.head }, base: { ref: pull.base } });
      return;
    }
    json(405, { message: 'Method Not Allowed' });
  }

  #branchExists(repo: string, branch: string): Promise<boolean> {
    return new Promise(resolve => {
      const child = spawn(
        'git',
        ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`],
        { cwd: `${this.root}/${repo}.git` },
      );
      child.on('close', code => resolve(code === 0));
      child.on('error', () => resolve(false));
    });
  }

  /** Git smart HTTP through `git http-backend` (CGI), pushes enabled. */
  async #git(req: IncomingMessage, res: ServerResponse, url: URL) {
    const body = await readBody(req);
    const child = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH ?? '',
        GIT_PROJECT_ROOT: this.root,
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
    const headerText = raw.subarray(0, split).toString('utf8');
    const headers: Record<string, string> = {};
    let status = 200;
    for (const line of headerText.split('\r\n')) {
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
