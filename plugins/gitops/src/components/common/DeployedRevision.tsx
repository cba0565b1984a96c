import type { ApplicationSummary } from '@kupe/plugin-gitops-common';
import { deployedRevisionOf, pendingTargetOf } from '../../lib/revisions';
import { RevisionLink } from './RevisionLink';
import { SourceRevisions, showsSources } from './SourceRevisions';

/**
 * What runs, and what a sync would deploy when that differs. An app that has never synced
 * (no history, nothing Succeeded) runs nothing: it says so rather than showing a revision.
 * A multi-source or Helm chart app lists every source with its commit or chart version.
 */
export function DeployedRevision(props: { app: ApplicationSummary }) {
  const { app } = props;
  if (showsSources(app)) {
    const deployedAny = app.sources?.some(s => s.deployedRevision);
    return !deployedAny && !app.lastSyncedAt ? (
      <span data-testid="never-deployed">never deployed</span>
    ) : (
      <SourceRevisions app={app} />
    );
  }
  const target = pendingTargetOf(app);
  const deployed = deployedRevisionOf(app);
  return (
    <>
      {!deployed && !app.lastSyncedAt ? (
        <span data-testid="never-deployed">never deployed</span>
      ) : (
        <RevisionLink repoURL={app.source?.repoURL} revision={deployed} />
      )}
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
