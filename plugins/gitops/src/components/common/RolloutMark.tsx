import Typography from '@material-ui/core/Typography';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import type {
  ApplicationSummary,
  ArgoRollout,
} from '@kupe/plugin-gitops-common';
import { gitOpsApiRef } from '../../api/GitOpsApi';
import { useAsyncValue } from '../../hooks/useAsyncValue';
import { type GitOpsTranslate, gitOpsTranslationRef } from '../../translation';

/** An app health that an unfinished Argo Rollout gives its app (Argo CD's health.lua). */
const ROLLOUT_HEALTH = new Set(['Progressing', 'Suspended', 'Degraded']);

/** "canary 50%, paused", "canary 20%, step 1 of 6" or "canary aborted"; none when done. */
export function rolloutMarkText(
  t: GitOpsTranslate,
  rollout: ArgoRollout,
): string | undefined {
  const kind = t(
    rollout.strategy === 'blueGreen'
      ? 'rollouts.mark.blueGreen'
      : 'rollouts.mark.canary',
  );
  if (rollout.aborted) return t('rollouts.mark.aborted', { kind });
  if (rollout.currentStep === undefined) return undefined;
  if (rollout.currentStep >= rollout.steps.length) return undefined;
  const state =
    rollout.weight === undefined
      ? kind
      : t('rollouts.mark.weight', { kind, weight: String(rollout.weight) });
  if (rollout.paused) return t('rollouts.mark.paused', { state });
  return t('rollouts.mark.step', {
    state,
    number: String(rollout.currentStep + 1),
    total: String(rollout.steps.length),
  });
}

/**
 * A mark on the card's row while an Argo Rollout of the app is unfinished, e.g. "canary 50%,
 * paused". Read only while the app's health says a Rollout may be under way, and again when
 * that health changes.
 */
export function RolloutMark(props: { app: ApplicationSummary }) {
  const { app } = props;
  const api = useApi(gitOpsApiRef);
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const asked = ROLLOUT_HEALTH.has(app.health.status ?? '');
  const rollouts = useAsyncValue(
    () => (asked ? api.getArgoRollouts(app) : Promise.resolve({ items: [] })),
    [api, app.instance, app.appNamespace, app.name, app.health.status, asked],
  );
  const marks = (asked ? rollouts.value?.items ?? [] : [])
    .map(rollout => rolloutMarkText(t, rollout))
    .filter((text): text is string => !!text);
  if (marks.length === 0) return null;
  return (
    <Typography
      variant="caption"
      color="textSecondary"
      component="div"
      data-testid="rollout-mark"
    >
      {marks.join('; ')}
    </Typography>
  );
}
