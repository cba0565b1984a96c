import type { ApplicationSummary } from '@kupe/plugin-gitops-common';
import { deployedRevisionOf, pendingTargetOf } from '../../lib/revisions';
import { RevisionLink } from './RevisionLink';

/** What runs, and what a sync would deploy when that differs. */
export function DeployedRevision(props: { app: ApplicationSummary }) {
  const { app } = props;
  const target = pendingTargetOf(app);
  return (
    <>
      <RevisionLink
        repoURL={app.source?.repoURL}
        revision={deployedRevisionOf(app)}
      />
      {target && (
        <span data-testid="target-revision">
          {' '}
          (target{' '}
          <RevisionLink
            repoURL={app.source?.repoURL}
            revision={target}
            label="Target commit"
            testId="target-revision-link"
          />
          )
        </span>
      )}
    </>
  );
}
