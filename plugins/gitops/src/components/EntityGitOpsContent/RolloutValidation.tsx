import Typography from '@material-ui/core/Typography';
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

const COLORS: Record<RolloutRecord['outcome'], string> = {
  passed: 'textPrimary',
  failed: 'error',
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
      color={COLORS[rollout.outcome] as 'error'}
      aria-label={description}
      title={times}
      data-testid="rollout-validation"
      data-outcome={rollout.outcome}
    >
      <strong style={{ whiteSpace: 'nowrap' }}>{label}</strong>
      {rollout.outcome === 'failed' && rollout.reason && (
        <>: {rollout.reason}</>
      )}
    </Typography>
  );
}
