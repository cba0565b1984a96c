import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  basicPassword,
  type GitHubFake,
} from '@kupe/plugin-gitops-node-test-utils';
import type { SandboxRepositories } from '../git/SandboxRepositories';

const NAME = /^[a-z0-9][a-z0-9-]*$/;
/** One path segment of a branch, tag or SHA: no `/`, `:`, `..` or leading `-`/`.`. */
const REF = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const SEGMENT = /^[A-Za-z0-9_.-]+$/;

function reply(res: ServerResponse, status: number, text: string): void {
  res
    .writeHead(status, { 'content-type': 'text/plain; charset=utf-8' })
    .end(text);
}

/**
 * The token of a request as GitHub's raw file URLs take it: `Authorization: token <t>` or
 * `Bearer <t>` (what Backstage's GitHub integration sends), or the HTTP Basic password.
 */
export function requestToken(
  authorization: string | undefined,
): string | undefined {
  const [scheme, value] = (authorization ?? '').split(' ');
  if (/^(token|bearer)$/i.test(scheme ?? '') && value) return value;
  return basicPassword(authorization);
}

/**
 * `GET /raw/<owner>/<repo>/<ref>/<path>`: one file of a repository at a branch, tag or SHA
 * (the ref is one path segment), read-only, the way a Git host serves raw file URLs.
 * Repositories are private, so, as GitHub's raw URLs of private repositories, it needs a
 * token (see {@link requestToken}) of a user who may read the repository through the GitHub
 * API; anyone else gets the same 404 as for a file that does not exist. (Backstage's GitHub
 * URL reader, which the catalog uses for the sandbox host, reads files through the API's
 * contents endpoint with the integration's token instead.) `pathInfo` is the path below `/raw`.
 */
export async function serveRawFile(
  req: IncomingMessage,
  res: ServerResponse,
  repositories: SandboxRepositories,
  github: GitHubFake,
  pathInfo: string,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    reply(res, 405, 'Read-only: GET or HEAD');
    return;
  }
  let segments: string[];
  try {
    segments = pathInfo.split('/').slice(1).map(decodeURIComponent);
  } catch {
    reply(res, 400, 'Bad path');
    return;
  }
  const [owner, name, ref, ...path] = segments;
  const valid =
    owner !== undefined &&
    NAME.test(owner) &&
    name !== undefined &&
    NAME.test(name.replace(/\.git$/, '')) &&
    ref !== undefined &&
    REF.test(ref) &&
    !ref.includes('..') &&
    path.length > 0 &&
    path.every(s => SEGMENT.test(s) && s !== '.' && s !== '..');
  if (!valid) {
    reply(res, 400, 'Expected /raw/<owner>/<repo>/<ref>/<path>');
    return;
  }
  const fullName = `${owner}/${name.replace(/\.git$/, '')}`;
  const token = requestToken(req.headers.authorization);
  const login = token === undefined ? undefined : github.loginOfToken(token);
  if (!github.repositoryPermission(login, fullName)) {
    reply(res, 404, 'Not found');
    return;
  }
  const repo = repositories.repository(fullName);
  const sha = await repo?.resolve(ref);
  const content = sha && (await repo!.readFile(sha, path.join('/')));
  if (content === undefined || !sha) {
    reply(res, 404, 'Not found');
    return;
  }
  res.writeHead(200, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': content.length,
    etag: `"${sha}"`,
  });
  res.end(req.method === 'HEAD' ? undefined : content);
}
