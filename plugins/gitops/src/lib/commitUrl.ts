/**
 * Link to a commit on the repository's web host, or undefined when the host is not one whose
 * URL scheme we know (then the revision is shown as plain text rather than a broken link).
 */
export function commitUrl(
  repoURL: string | undefined,
  revision: string | undefined,
): string | undefined {
  if (!repoURL || !revision || !/^[0-9a-f]{7,40}$/i.test(revision))
    return undefined;
  const web = toWebUrl(repoURL);
  if (!web) return undefined;
  const host = web.hostname;
  const base = `${web.origin}${web.pathname
    .replace(/\.git$/, '')
    .replace(/\/+$/, '')}`;
  if (host === 'github.com' || host.startsWith('github.'))
    return `${base}/commit/${revision}`;
  if (host === 'gitlab.com' || host.startsWith('gitlab.'))
    return `${base}/-/commit/${revision}`;
  if (host === 'bitbucket.org') return `${base}/commits/${revision}`;
  return undefined;
}

/** `git@host:org/repo.git` and `https://host/org/repo.git` both become `https://host/org/repo.git`. */
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
