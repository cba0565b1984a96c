import { useEffect, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import type {
  ApplicationSummary,
  ArgoRollout,
  ArgoRolloutAction,
} from '@kupe/plugin-gitops-common';
import { gitOpsApiRef } from '../../api/GitOpsApi';
import { useAsyncValue } from '../../hooks/useAsyncValue';
import { errorMessage } from '../../lib/errorMessage';
import { type GitOpsTranslate, gitOpsTranslationRef } from '../../translation';
import { ConfirmActionDialog } from './ConfirmActionDialog';

/** How often an unfinished Rollout is read again while the section is open. */
export const ARGO_ROLLOUT_POLL_MS = 3_000;

const useStyles = makeStyles(theme => ({
  steps: { margin: theme.spacing(0.5, 0), paddingLeft: theme.spacing(3) },
  current: { fontWeight: theme.typography.fontWeightBold as number },
  done: { color: theme.palette.text.secondary },
  bar: { height: 10, borderRadius: 5, flexGrow: 1 },
}));

/** "Step 4 of 6" while a canary runs, "Fully promoted" after its last step. */
export function stepText(
  t: GitOpsTranslate,
  rollout: ArgoRollout,
): string | undefined {
  if (rollout.currentStep === undefined || rollout.steps.length === 0)
    return undefined;
  if (rollout.currentStep >= rollout.steps.length)
    return t('rollouts.fullyPromoted');
  return t('rollouts.step', {
    number: String(rollout.currentStep + 1),
    total: String(rollout.steps.length),
  });
}

/** Why the Rollout waits, in words. */
function pauseText(
  t: GitOpsTranslate,
  rollout: ArgoRollout,
): string | undefined {
  if (!rollout.paused) return undefined;
  const step = rollout.steps[rollout.currentStep ?? -1];
  if (rollout.pauseReason === 'CanaryPauseStep')
    return step?.duration
      ? t('rollouts.pausedFor', { duration: step.duration })
      : t('rollouts.pausedUntilPromoted');
  if (rollout.pauseReason === 'manual') return t('rollouts.pausedByHand');
  return t('rollouts.paused', { reason: rollout.pauseReason ?? '' });
}

function Version(props: { label: string; images?: string[] }) {
  const { t } = useTranslationRef(gitOpsTranslationRef);
  return (
    <Typography variant="body2">
      <strong>{t('rollouts.version', { label: props.label })}</strong>
      {props.images?.length
        ? props.images.join(', ')
        : t('rollouts.unknownImages')}
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
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const step = stepText(t, rollout);
  const pause = pauseText(t, rollout);
  const promoted = rollout.currentStep === rollout.steps.length;
  return (
    <Box mt={1} data-testid="argo-rollout">
      <Box display="flex" alignItems="center" flexWrap="wrap" gridGap={8}>
        <Typography variant="body1" component="span">
          <strong>{rollout.name}</strong> ({rollout.strategy})
        </Typography>
        <Chip
          size="small"
          label={rollout.aborted ? t('rollouts.aborted') : rollout.phase}
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
            aria-label={t('rollouts.trafficLabel', {
              weight: String(rollout.weight),
            })}
          />
          <Typography variant="body2" component="span" noWrap>
            {t('rollouts.traffic', {
              weight: String(rollout.weight),
              stable: String(100 - rollout.weight),
            })}
          </Typography>
        </Box>
      )}
      <Version label={t('rollouts.stable')} images={rollout.stable?.images} />
      {!promoted && rollout.canary && (
        <Version label={t('rollouts.canary')} images={rollout.canary.images} />
      )}
      {rollout.steps.length > 0 && (
        <ol
          className={classes.steps}
          aria-label={t('rollouts.stepsLabel', { name: rollout.name })}
        >
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
            <strong>{t('rollouts.analysis')}</strong>
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
            {t(`rollouts.actions.${action}.label`)}
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
  const { t } = useTranslationRef(gitOpsTranslationRef);
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
        text: t('rollouts.done', {
          action: t(`rollouts.actions.${action}.label`),
          rollout: rollout.name,
          name: app.name,
        }),
      });
    } catch (error) {
      setNotice({ severity: 'error', text: errorMessage(error) });
    } finally {
      setBusy(false);
      setVersion(v => v + 1);
    }
  };

  return (
    <Box
      mt={2}
      component="section"
      aria-label={t('rollouts.sectionLabel', { name: app.name })}
    >
      <Typography variant="subtitle1" component="h4">
        {t('rollouts.title')}
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
          title={t(`rollouts.actions.${asking.action}.title`, {
            name: asking.rollout.name,
          })}
          confirmLabel={t(`rollouts.actions.${asking.action}.label`)}
          onConfirm={run}
          onCancel={() => setAsking(undefined)}
        >
          <Typography>{t(`rollouts.actions.${asking.action}.body`)}</Typography>
          <Typography variant="body2" color="textSecondary">
            {app.name} ({app.environment ?? t('rollouts.noEnvironment')})
          </Typography>
        </ConfirmActionDialog>
      )}
    </Box>
  );
}
