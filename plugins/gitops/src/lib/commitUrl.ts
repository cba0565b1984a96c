import type { ScmIntegrationRegistry } from '@backstage/integration';

/** Where each kind of Git host shows one commit, below the repository's web URL. */
const COMMIT_PATHS: Record<string, string> = {
  github: '/commit/',
  gitea: '/commit/',
  azure: '/commit/',
  gitlab: '/-/commit/',
  bitbucketCloud: '/commits/',
};

/**
 * Link to a commit on the repository's Git host, for a host the app's SCM integrations know
 * (`integrations.*` in app-config: GitHub, GitHub Enterprise hosts, GitLab, ...); undefined
 * for any other host, a chart version or a branch name, which then show as plain text rather
 * than as a link that could not resolve.
 */
export function commitUrl(
  repoURL: string | undefined,
  revision: string | undefined,
  integrations: ScmIntegrationRegistry,
): string | undefined {
  if (!repoURL || !revision || !/^[0-9a-f]{7,40}$/i.test(revision))
    return undefined;
  const web = toWebUrl(repoURL);
  if (!web) return undefined;
  const integration = integrations.byUrl(web.href);
  const commitPath = integration && COMMIT_PATHS[integration.type];
  if (!commitPath) return undefined;
  const repository = web.pathname.replace(/\/+$/, '').replace(/\.git$/, '');
  if (!repository) return undefined;
  return `${web.origin}${repository}${commitPath}${revision}`;
}

/** `git@host:org/repo.git` and `ssh://git@host/org/repo.git` become `https://host/org/repo.git`. */
function toWebUrl(repoURL: string): URL | undefined {
  const scp = /^[\w.-]+@([\w.-]+):(.+)$/.exec(repoURL);
  const candidate = scp
    ? `https://${scp[1]}/${scp[2]}`
    : repoURL.replace(/^ssh:\/\/[^@]+@/, 'https://');
  try {
    const url = new URL(candidate);
    return url.protocol === 'https:' || url.protocol === 'http:'
      ? url
      : undefined;
  } catch {
    return undefined;
  }
}

/** The 7-character form people recognise; chart versions and tags stay whole. */
export function shortRevision(
  revision: string | undefined,
): string | undefined {
  if (!revision) return undefined;
  return /^[0-9a-f]{40}$/i.test(revision) ? revision.slice(0, 7) : revision;
}
