import { useEffect, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  ApplicationSummary,
  ArgoRollout,
  ArgoRolloutAction,
} from '@kupe/plugin-gitops-common';
import { gitOpsApiRef } from '../../api/GitOpsApi';
import { useAsyncValue } from '../../hooks/useAsyncValue';
import { errorMessage } from '../../lib/errorMessage';
import { ConfirmActionDialog } from './ConfirmActionDialog';

/** How often an unfinished Rollout is read again while the section is open. */
export const ARGO_ROLLOUT_POLL_MS = 3_000;

const useStyles = makeStyles(theme => ({
  steps: { margin: theme.spacing(0.5, 0), paddingLeft: theme.spacing(3) },
  current: { fontWeight: theme.typography.fontWeightBold as number },
  done: { color: theme.palette.text.secondary },
  bar: { height: 10, borderRadius: 5, flexGrow: 1 },
}));

const ACTION_TEXT: Record<
  ArgoRolloutAction,
  { label: string; title: (r: ArgoRollout) => string; body: string }
> = {
  promote: {
    label: 'Promote',
    title: r => `Promote ${r.name} past its pause?`,
    body: 'The canary goes on to its next steps and their analyses (Argo CD resume).',
  },
  'promote-full': {
    label: 'Promote fully',
    title: r => `Promote ${r.name} fully?`,
    body: 'Every remaining step and analysis is skipped: the canary takes all traffic now (Argo CD promote-full).',
  },
  abort: {
    label: 'Abort',
    title: r => `Abort ${r.name}?`,
    body: 'All traffic goes back to the stable version and the canary is scaled down (Argo CD abort).',
  },
  retry: {
    label: 'Retry',
    title: r => `Retry ${r.name}?`,
    body: 'The canary starts again from its first step, analyses included (Argo CD retry).',
  },
};

/** "Step 4 of 6" while a canary runs, "Fully promoted" after its last step. */
export function stepText(rollout: ArgoRollout): string | undefined {
  if (rollout.currentStep === undefined || rollout.steps.length === 0)
    return undefined;
  if (rollout.currentStep >= rollout.steps.length) return 'Fully promoted';
  return `Step ${rollout.currentStep + 1} of ${rollout.steps.length}`;
}

/** Why the Rollout waits, in words. */
function pauseText(rollout: ArgoRollout): string | undefined {
  if (!rollout.paused) return undefined;
  const step = rollout.steps[rollout.currentStep ?? -1];
  if (rollout.pauseReason === 'CanaryPauseStep')
    return step?.duration
      ? `Paused for ${step.duration} at this step`
      : 'Paused until promoted';
  if (rollout.pauseReason === 'manual') return 'Paused by hand';
  return `Paused: ${rollout.pauseReason}`;
}

function Version(props: { label: string; images?: string[] }) {
  return (
    <Typography variant="body2">
      <strong>{props.label}:</strong>{' '}
      {props.images?.length ? props.images.join(', ') : 'unknown'}
    </Typography>
  );
}

function RolloutView(props: {
  rollout: ArgoRollout;
  busy: boolean;
  onAction(action: ArgoRolloutAction): void;
}) {
  const { rollout, busy, onAction } = props;
  const classes = useStyles();
  const step = stepText(rollout);
  const pause = pauseText(rollout);
  const promoted = rollout.currentStep === rollout.steps.length;
  return (
    <Box mt={1} data-testid="argo-rollout">
      <Box display="flex" alignItems="center" flexWrap="wrap" gridGap={8}>
        <Typography variant="body1" component="span">
          <strong>{rollout.name}</strong> ({rollout.strategy})
        </Typography>
        <Chip
          size="small"
          label={rollout.aborted ? 'Aborted' : rollout.phase}
        />
        {step && (
          <Typography variant="body2" component="span">
            {step}
          </Typography>
        )}
        {pause && (
          <Typography variant="body2" component="span" color="textSecondary">
            {pause}
          </Typography>
        )}
      </Box>
      {rollout.aborted && rollout.message && (
        <Alert severity="error">{rollout.message}</Alert>
      )}
      {rollout.weight !== undefined && (
        <Box display="flex" alignItems="center" gridGap={8} my={1}>
          <LinearProgress
            className={classes.bar}
            variant="determinate"
            value={rollout.weight}
            aria-label={`Canary traffic ${rollout.weight}%`}
          />
          <Typography variant="body2" component="span" noWrap>
            Canary {rollout.weight}% · stable {100 - rollout.weight}%
          </Typography>
        </Box>
      )}
      <Version label="Stable" images={rollout.stable?.images} />
      {!promoted && rollout.canary && (
        <Version label="Canary" images={rollout.canary.images} />
      )}
      {rollout.steps.length > 0 && (
        <ol className={classes.steps} aria-label={`Steps of ${rollout.name}`}>
          {rollout.steps.map((s, i) => {
            const current = i === rollout.currentStep;
            return (
              <li
                key={`${i}-${s.text}`}
                className={
                  current
                    ? classes.current
                    : (i < (rollout.currentStep ?? 0) && classes.done) ||
                      undefined
                }
                aria-current={current ? 'step' : undefined}
              >
                {s.text}
                {i < (rollout.currentStep ?? 0) ? ' ✓' : ''}
              </li>
            );
          })}
        </ol>
      )}
      {rollout.analysisRuns.length > 0 && (
        <Box>
          <Typography variant="body2">
            <strong>Analysis</strong>
          </Typography>
          {rollout.analysisRuns.map(run => (
            <Typography
              variant="body2"
              key={run.name}
              data-testid="analysis-run"
            >
              {run.name}: {run.phase}
              {run.message ? ` (${run.message})` : ''}
            </Typography>
          ))}
        </Box>
      )}
      <Box mt={1} display="flex" gridGap={8}>
        {rollout.actions.map(action => (
          <Button
            key={action}
            size="small"
            variant={action === 'promote' ? 'contained' : 'outlined'}
            color={action === 'abort' ? 'secondary' : 'primary'}
            disabled={busy}
            onClick={() => onAction(action)}
          >
            {ACTION_TEXT[action].label}
          </Button>
        ))}
      </Box>
    </Box>
  );
}

/**
 * The Argo Rollouts of an application in its panel: strategy, step n of m with the step
 * list, the canary's traffic weight, stable and canary images, the pause, the AnalysisRuns,
 * and the actions Argo CD offers now, each confirmed first. Read again every few seconds
 * while a Rollout is unfinished.
 */
export function ArgoRolloutsSection(props: { app: ApplicationSummary }) {
  const { app } = props;
  const api = useApi(gitOpsApiRef);
  const [version, setVersion] = useState(0);
  const [asking, setAsking] = useState<
    { rollout: ArgoRollout; action: ArgoRolloutAction } | undefined
  >();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<
    { severity: 'success' | 'error'; text: string } | undefined
  >();
  const rollouts = useAsyncValue(
    () => api.getArgoRollouts(app),
    // A sync starts a new canary: read again when the operation or the health moves, then
    // every few seconds while a Rollout is unfinished.
    [
      api,
      app.instance,
      app.appNamespace,
      app.name,
      app.health.status,
      app.sync.status,
      app.operation?.phase,
      app.operation?.finishedAt,
      version,
    ],
  );
  const unfinished = rollouts.value?.items.some(
    r => r.currentStep !== r.steps.length && !r.aborted,
  );
  useEffect(() => {
    if (!unfinished) return undefined;
    const timer = setTimeout(
      () => setVersion(v => v + 1),
      ARGO_ROLLOUT_POLL_MS,
    );
    return () => clearTimeout(timer);
  }, [unfinished, rollouts.value]);

  const run = async () => {
    if (!asking) return;
    const { rollout, action } = asking;
    setAsking(undefined);
    setNotice(undefined);
    setBusy(true);
    try {
      await api.runArgoRolloutAction(app, rollout, action);
      setNotice({
        severity: 'success',
        text: `${ACTION_TEXT[action].label}: ${rollout.name} in ${app.name}`,
      });
    } catch (error) {
      setNotice({ severity: 'error', text: errorMessage(error) });
    } finally {
      setBusy(false);
      setVersion(v => v + 1);
    }
  };

  return (
    <Box mt={2} component="section" aria-label={`Argo Rollouts of ${app.name}`}>
      <Typography variant="subtitle1" component="h4">
        Argo Rollouts
      </Typography>
      {rollouts.error && !rollouts.value && (
        <ResponseErrorPanel error={rollouts.error} />
      )}
      {rollouts.loading && !rollouts.value && <Progress />}
      {notice && (
        <Alert
          severity={notice.severity}
          role={notice.severity === 'error' ? 'alert' : 'status'}
          onClose={() => setNotice(undefined)}
        >
          {notice.text}
        </Alert>
      )}
      {rollouts.value?.items.map(rollout => (
        <RolloutView
          key={`${rollout.namespace}/${rollout.name}`}
          rollout={rollout}
          busy={busy}
          onAction={action => setAsking({ rollout, action })}
        />
      ))}
      {asking && (
        <ConfirmActionDialog
          open
          title={ACTION_TEXT[asking.action].title(asking.rollout)}
          confirmLabel={ACTION_TEXT[asking.action].label}
          onConfirm={run}
          onCancel={() => setAsking(undefined)}
        >
          <Typography>{ACTION_TEXT[asking.action].body}</Typography>
          <Typography variant="body2" color="textSecondary">
            {app.name} ({app.environment ?? 'no environment'})
          </Typography>
        </ConfirmActionDialog>
      )}
    </Box>
  );
}
