import { Link } from '@backstage/core-components';
import { commitUrl, shortRevision } from '../../lib/commitUrl';

/** A revision in its short form, linked to the commit when the repo host is known. */
export function RevisionLink(props: {
  repoURL?: string;
  revision?: string;
  /** Accessible name prefix of the link; default `Commit`. */
  label?: string;
  testId?: string;
}) {
  const { repoURL, revision, label = 'Commit', testId = 'revision' } = props;
  const short = shortRevision(revision);
  if (!revision || !short) return <span data-testid={testId}>no revision</span>;
  const href = commitUrl(repoURL, revision);
  const code = (
    <code title={revision} style={{ whiteSpace: 'nowrap' }}>
      {short}
    </code>
  );
  return href ? (
    <Link to={href} aria-label={`${label} ${short}`} data-testid={testId}>
      {code}
    </Link>
  ) : (
    <span data-testid={testId}>{code}</span>
  );
}
