import type { ScmIntegrationRegistry } from '@backstage/integration';

/** Plain Git over HTTP laid out like Kupe's sandbox: `<origin>/git/<owner>/<repo>.git`. */
const PLAIN_GIT_PATH =
  /^\/git\/([a-z0-9][a-z0-9-]*)\/([a-z0-9][a-z0-9-]*?)(?:\.git)?\/?$/;

/**
 * A URL the backend's URL reader (and so the catalog) can read one file of a repository
 * from, at a branch; undefined when the host's file URLs are unknown.
 *
 * - a GitHub or GitLab integration host: its blob URL, read through that integration;
 * - plain Git over HTTP served under `/git/<owner>/<repo>.git` (the Argo CD sandbox): the
 *   read-only raw endpoint beside it, `<origin>/raw/<owner>/<repo>/<branch>/<path>`, which
 *   the backend reads when the host is in `backend.reading.allow`.
 */
export function repositoryFileUrl(
  integrations: ScmIntegrationRegistry,
  repoUrl: string,
  branch: string,
  path: string,
): string | undefined {
  let url: URL;
  try {
    url = new URL(repoUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const file = path.replace(/^\/+/, '');
  const repoPath = url.pathname.replace(/\.git\/?$/, '').replace(/\/+$/, '');
  if (integrations.github.byUrl(url)) {
    return `${url.origin}${repoPath}/blob/${branch}/${file}`;
  }
  if (integrations.gitlab.byUrl(url)) {
    return `${url.origin}${repoPath}/-/blob/${branch}/${file}`;
  }
  const plain = PLAIN_GIT_PATH.exec(url.pathname);
  if (plain) {
    return `${url.origin}/raw/${plain[1]}/${plain[2]}/${branch}/${file}`;
  }
  return undefined;
}
