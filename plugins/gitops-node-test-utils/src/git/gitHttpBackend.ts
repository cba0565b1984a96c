import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Where a request for Git's smart HTTP protocol goes, for {@link serveGitHttpBackend}.
 *
 * @public
 */
export interface GitHttpBackendOptions {
  /** The directory holding the bare repositories (`<owner>/<repo>.git`). */
  projectRoot: string;
  /** The path below the mount point, decoded, e.g. `/acme/gitops.git/info/refs`. */
  pathInfo: string;
  /** The query string without its `?`. */
  queryString: string;
  /** The user git's hooks see as `REMOTE_USER`. Default `x-access-token`. */
  remoteUser?: string;
  /**
   * A directory of hooks run instead of each repository's own (git's `core.hooksPath`), e.g.
   * a `pre-receive` hook that decides whether a push is accepted.
   */
  hooksPath?: string;
  /** More environment for git and its hooks. */
  env?: Record<string, string>;
}

/**
 * Serves Git's smart HTTP protocol by running the real `git http-backend` as a CGI program,
 * streaming the request in and the answer out, so clones and pushes (`http.receivepack` is
 * on) go through real Git. Authentication is the caller's job: this serves whoever reaches it.
 *
 * @public
 */
export function serveGitHttpBackend(
  req: IncomingMessage,
  res: ServerResponse,
  options: GitHttpBackendOptions,
): void {
  if (options.pathInfo.split('/').includes('..')) {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('Bad path');
    return;
  }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_PROJECT_ROOT: options.projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    ...options.env,
    // Anonymous pushes are refused by http-backend unless receivepack is enabled explicitly.
    GIT_CONFIG_COUNT: options.hooksPath ? '2' : '1',
    GIT_CONFIG_KEY_0: 'http.receivepack',
    GIT_CONFIG_VALUE_0: 'true',
    ...(options.hooksPath
      ? {
          GIT_CONFIG_KEY_1: 'core.hooksPath',
          GIT_CONFIG_VALUE_1: options.hooksPath,
        }
      : {}),
    REMOTE_USER: options.remoteUser ?? 'x-access-token',
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: options.pathInfo,
    QUERY_STRING: options.queryString,
    CONTENT_TYPE: req.headers['content-type'] ?? '',
  };
  if (req.headers['content-length'])
    env.CONTENT_LENGTH = req.headers['content-length'];
  if (req.headers['content-encoding'])
    env.HTTP_CONTENT_ENCODING = req.headers['content-encoding'];
  if (req.headers['git-protocol'])
    env.HTTP_GIT_PROTOCOL = String(req.headers['git-protocol']);

  const child = spawn('git', ['http-backend'], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  req.pipe(child.stdin);
  // http-backend may answer (e.g. an error) and exit before reading the whole request.
  child.stdin.on('error', () => undefined);

  // CGI output: headers (with `Status:`), a blank line, then the body.
  let headerBuffer = Buffer.alloc(0);
  let headersSent = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersSent) {
      res.write(chunk);
      return;
    }
    headerBuffer = Buffer.concat([headerBuffer, chunk]);
    const text = headerBuffer.toString('latin1');
    const separator = /\r?\n\r?\n/.exec(text);
    if (!separator) return;
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of text.slice(0, separator.index).split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon === -1) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = parseInt(value, 10) || 200;
      else headers[name] = value;
    }
    res.writeHead(status, headers);
    headersSent = true;
    // latin1 maps one byte to one character, so string offsets are byte offsets.
    const rest = headerBuffer.subarray(separator.index + separator[0].length);
    if (rest.length) res.write(rest);
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.on('close', code => {
    if (!headersSent) {
      res
        .writeHead(500, { 'content-type': 'text/plain' })
        .end(`git http-backend failed (${code}): ${stderr}`);
    } else res.end();
  });
  res.on('close', () => {
    if (child.exitCode === null) child.kill();
  });
}
