import { Link } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { commitUrl, shortRevision } from '../../lib/commitUrl';
import { useScmIntegrations } from '../../hooks/useScmIntegrations';
import { gitOpsTranslationRef } from '../../translation';

/**
 * A revision in its short form, linked to the commit when the app's SCM integrations know the
 * repository's host; the full revision is the tooltip.
 */
export function RevisionLink(props: {
  repoURL?: string;
  revision?: string;
  /** Accessible name prefix of the link; default `Commit`. */
  label?: string;
  testId?: string;
}) {
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const {
    repoURL,
    revision,
    label = t('messages.commit'),
    testId = 'revision',
  } = props;
  const integrations = useScmIntegrations();
  const short = shortRevision(revision);
  if (!revision || !short)
    return <span data-testid={testId}>{t('messages.noRevision')}</span>;
  const href = commitUrl(repoURL, revision, integrations);
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
