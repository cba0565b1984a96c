import { Link } from '@backstage/core-components';
import { commitUrl, shortRevision } from '../../lib/commitUrl';

/** A revision in its short form, linked to the commit when the repo host is known. */
export function RevisionLink(props: { repoURL?: string; revision?: string }) {
  const { repoURL, revision } = props;
  const short = shortRevision(revision);
  if (!revision || !short)
    return <span data-testid="revision">no revision</span>;
  const href = commitUrl(repoURL, revision);
  const code = <code title={revision}>{short}</code>;
  return href ? (
    <Link to={href} aria-label={`Commit ${short}`} data-testid="revision">
      {code}
    </Link>
  ) : (
    <span data-testid="revision">{code}</span>
  );
}
