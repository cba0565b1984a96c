import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { ApplicationSummary } from '@kupe/plugin-gitops-common';
import { deployedRevisionOf, pendingTargetOf } from '../../lib/revisions';
import { RevisionLink } from './RevisionLink';
import { gitOpsTranslationRef } from '../../translation';
import { SourceRevisions, showsSources } from './SourceRevisions';

/**
 * What runs, and what a sync would deploy when that differs. An app that has never synced
 * (no history, nothing Succeeded) runs nothing: it says so rather than showing a revision.
 * A multi-source or Helm chart app lists every source with its commit or chart version.
 * Right after the portal's start the history may not be in yet (`historyPending`): then it
 * says that it is loading, not that nothing was ever deployed.
 */
export function DeployedRevision(props: {
  app: ApplicationSummary;
  /** One source a line, none broken inside (a narrow column, e.g. the card's). */
  stacked?: boolean;
}) {
  const { app, stacked } = props;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const never = app.historyPending ? (
    <span data-testid="history-pending">{t('messages.historyPending')}</span>
  ) : (
    <span data-testid="never-deployed">{t('messages.neverDeployed')}</span>
  );
  if (showsSources(app)) {
    const deployedAny = app.sources?.some(s => s.deployedRevision);
    return !deployedAny && !app.lastSyncedAt ? (
      never
    ) : (
      <SourceRevisions app={app} stacked={stacked} />
    );
  }
  const target = pendingTargetOf(app);
  const deployed = deployedRevisionOf(app);
  return (
    <>
      {!deployed && !app.lastSyncedAt ? (
        never
      ) : (
        <RevisionLink repoURL={app.source?.repoURL} revision={deployed} />
      )}
      {target && (
        <span data-testid="target-revision">
          {' '}
          {t('messages.target', {
            revision: (
              <RevisionLink
                repoURL={app.source?.repoURL}
                revision={target}
                label={t('messages.targetCommit')}
                testId="target-revision-link"
              />
            ),
          })}
        </span>
      )}
    </>
  );
}
