import Typography from '@material-ui/core/Typography';
import PauseCircleOutlineIcon from '@material-ui/icons/PauseCircleOutline';
import { parseEntityRef } from '@backstage/catalog-model';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { ApplicationSummary } from '@kupe/plugin-gitops-common';
import { gitOpsTranslationRef } from '../../translation';
import { RelativeTime } from './RelativeTime';

/** A user entity ref as people read it: `user:default/alice` is alice. */
function personOf(ref: string): string {
  try {
    return parseEntityRef(ref, { defaultKind: 'user' }).name;
  } catch {
    return ref;
  }
}

/**
 * "Auto-sync paused by alice 2 hours ago: incident INC-42" while the app's automated sync
 * policy is switched off; "Auto-sync paused in Argo CD" when it was switched off there,
 * without the portal's record. Nothing while auto-sync runs.
 */
export function AutoSyncPauseNote(props: {
  app: ApplicationSummary;
  now: number;
}) {
  const { app, now } = props;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const pause = app.autoSyncPause;
  if (!pause) return null;
  const time = <RelativeTime time={pause.at} now={now} />;
  return (
    <Typography
      variant="caption"
      component="div"
      color="textSecondary"
      data-testid="auto-sync-paused"
      style={{ display: 'flex', alignItems: 'flex-start', gap: 2 }}
    >
      <PauseCircleOutlineIcon
        fontSize="inherit"
        aria-hidden
        style={{ marginTop: 2 }}
      />
      <span>
        {!pause.by && t('autoSyncPause.pausedInArgoCd')}
        {pause.by &&
          (pause.reason
            ? t('autoSyncPause.pausedByWithReason', {
                person: personOf(pause.by),
                time,
                reason: pause.reason,
              })
            : t('autoSyncPause.pausedBy', {
                person: personOf(pause.by),
                time,
              }))}
      </span>
    </Typography>
  );
}
