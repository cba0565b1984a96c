import Typography from '@material-ui/core/Typography';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { GitCommit } from '@kupe/plugin-gitops-common';
import { gitOpsTranslationRef } from '../../translation';
import { RevisionLink } from '../common/RevisionLink';

/** Commits newest first: short SHA (linked where the host is known), author, message. */
export function CommitList(props: {
  commits: GitCommit[];
  repoURL?: string;
  label: string;
}) {
  const { commits, repoURL, label } = props;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  if (commits.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {t('diff.noCommits')}
      </Typography>
    );
  }
  return (
    <ul aria-label={label} data-testid="commit-list" style={{ margin: 0 }}>
      {commits.map(commit => (
        <li key={commit.sha}>
          <Typography variant="body2" component="span">
            <RevisionLink repoURL={repoURL} revision={commit.sha} />{' '}
            {commit.message}{' '}
            <Typography variant="body2" component="span" color="textSecondary">
              ({commit.authorName})
            </Typography>
          </Typography>
        </li>
      ))}
    </ul>
  );
}
