import Typography from '@material-ui/core/Typography';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  ApplicationSummary,
  ArgoRollout,
} from '@kupe/plugin-gitops-common';
import { gitOpsApiRef } from '../../api/GitOpsApi';
import { useAsyncValue } from '../../hooks/useAsyncValue';

/** An app health that an unfinished Argo Rollout gives its app (Argo CD's health.lua). */
const ROLLOUT_HEALTH = new Set(['Progressing', 'Suspended', 'Degraded']);

/** "canary 50%, paused", "canary 20%, step 1 of 6" or "canary aborted"; none when done. */
export function rolloutMarkText(rollout: ArgoRollout): string | undefined {
  const kind = rollout.strategy === 'blueGreen' ? 'blue-green' : 'canary';
  if (rollout.aborted) return `${kind} aborted`;
  if (rollout.currentStep === undefined) return undefined;
  if (rollout.currentStep >= rollout.steps.length) return undefined;
  const weight =
    rollout.weight === undefined ? kind : `${kind} ${rollout.weight}%`;
  if (rollout.paused) return `${weight}, paused`;
  return `${weight}, step ${rollout.currentStep + 1} of ${
    rollout.steps.length
  }`;
}

/**
 * A mark on the card's row while an Argo Rollout of the app is unfinished, e.g. "canary 50%,
 * paused". Read only while the app's health says a Rollout may be under way, and again when
 * that health changes.
 */
export function RolloutMark(props: { app: ApplicationSummary }) {
  const { app } = props;
  const api = useApi(gitOpsApiRef);
  const asked = ROLLOUT_HEALTH.has(app.health.status ?? '');
  const rollouts = useAsyncValue(
    () => (asked ? api.getArgoRollouts(app) : Promise.resolve({ items: [] })),
    [api, app.instance, app.appNamespace, app.name, app.health.status, asked],
  );
  const marks = (asked ? rollouts.value?.items ?? [] : [])
    .map(rolloutMarkText)
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
