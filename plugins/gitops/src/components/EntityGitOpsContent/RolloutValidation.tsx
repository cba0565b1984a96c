import Typography from '@material-ui/core/Typography';
import ErrorOutlineIcon from '@material-ui/icons/ErrorOutline';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { RolloutRecord } from '@kupe/plugin-gitops-common';
import { type GitOpsTranslate, gitOpsTranslationRef } from '../../translation';

function seconds(ms: number | undefined): string | undefined {
  if (ms === undefined) return undefined;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${s % 60}s`;
}

/** Times of a rollout in words: "Synced in 5s, Healthy in 30s, bake time 2m 0s". */
export function rolloutTimes(
  t: GitOpsTranslate,
  rollout: RolloutRecord,
): string {
  return [
    rollout.timeToSyncedMs !== undefined &&
      t('validation.syncedIn', {
        duration: seconds(rollout.timeToSyncedMs) ?? '',
      }),
    rollout.timeToHealthyMs !== undefined &&
      t('validation.healthyIn', {
        duration: seconds(rollout.timeToHealthyMs) ?? '',
      }),
    t('validation.bakeTime', { duration: seconds(rollout.bakeTimeMs) ?? '' }),
  ]
    .filter(Boolean)
    .join(', ');
}

// Failed is bold text beside a red icon, not red text: MUI's error red fails the contrast
// check on the history's rows (as in ResourceEvents).
const COLORS: Record<RolloutRecord['outcome'], string> = {
  passed: 'textPrimary',
  failed: 'textPrimary',
  'in-progress': 'textSecondary',
  superseded: 'textSecondary',
};

/** The validation of one rollout: outcome, reason when it failed, and its times; nothing without one. */
export function RolloutValidation(props: { rollout?: RolloutRecord }) {
  const { rollout } = props;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  // No validation (Argo CD's history predates it, or none applies) is no news: nothing shows.
  if (!rollout) return null;
  const label = t(`validation.outcome.${rollout.outcome}`);
  const times = rolloutTimes(t, rollout);
  const description = [
    t('validation.label', { outcome: label }),
    rollout.reason,
    times,
  ]
    .filter(Boolean)
    .join('. ');
  return (
    <Typography
      variant="body2"
      component="span"
      color={COLORS[rollout.outcome] as 'textPrimary'}
      aria-label={description}
      title={times}
      data-testid="rollout-validation"
      data-outcome={rollout.outcome}
    >
      {rollout.outcome === 'failed' && (
        <ErrorOutlineIcon
          color="error"
          fontSize="inherit"
          aria-hidden
          style={{ verticalAlign: 'text-bottom', marginRight: 2 }}
        />
      )}
      <strong style={{ whiteSpace: 'nowrap' }}>{label}</strong>
      {rollout.outcome === 'failed' && rollout.reason && (
        <>: {rollout.reason}</>
      )}
    </Typography>
  );
}
