import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { Link, Progress } from '@backstage/core-components';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  type ApplicationSummary,
  type PromoteResponse,
  type PromotionPreview,
  applicationResourceRef,
  gitOpsApplicationPromotePermission,
} from '@kupe/plugin-gitops-common';
import { gitOpsApiRef } from '../../api/GitOpsApi';
import type { PreviewState } from '../../hooks/usePromotionPreviews';
import { errorMessage } from '../../lib/errorMessage';
import { syncBlockedReason } from '../common/SyncWindowNotice';
import { CommitList } from './CommitList';
import { ConfirmActionDialog } from './ConfirmActionDialog';
import { UnifiedDiff } from './UnifiedDiff';
import { gitOpsTranslationRef } from '../../translation';

/**
 * An application's promotion into the next environment: the version it runs, what the next
 * one runs, what promoting would move (version change, commits, diff), and the action that
 * opens the pull request. A preview older than the live state says so and offers no Promote
 * until the fresh one arrives.
 */
export function PromotionCard(props: {
  app: ApplicationSummary;
  state: PreviewState;
}) {
  const { app, state } = props;
  const preview = state.preview;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const headingId = `gitops-promotion-${app.instance}-${app.appNamespace}-${app.name}`;
  return (
    <Paper
      variant="outlined"
      component="section"
      aria-labelledby={headingId}
      data-testid="promotion-card"
      style={{ padding: 12, marginTop: 8 }}
    >
      <Typography variant="subtitle1" component="h4" id={headingId}>
        {preview?.next
          ? t('promotion.titleTo', {
              environment: app.environment ?? '',
              next: preview.next.environment,
              name: app.name,
            })
          : t('promotion.title', {
              environment: app.environment ?? '',
              name: app.name,
            })}
      </Typography>
      {state.loading && !preview && <Progress />}
      {state.error && !preview && (
        <Alert severity="error" data-testid="promotion-error">
          {t('promotion.readFailed', {
            name: app.name,
            reason: errorMessage(state.error),
          })}
        </Alert>
      )}
      {state.stale && (
        <Alert severity="info" role="status" data-testid="promotion-stale">
          {t('promotion.stale')}
        </Alert>
      )}
      {preview && (
        <PromotionDetails app={app} preview={preview} stale={state.stale} />
      )}
    </Paper>
  );
}

function PromotionDetails(props: {
  app: ApplicationSummary;
  preview: PromotionPreview;
  stale: boolean;
}) {
  const { app, preview, stale } = props;
  const next = preview.next;
  const repoURL = app.source?.repoURL;
  const chartChanges = preview.chartChanges ?? [];
  const { t } = useTranslationRef(gitOpsTranslationRef);
  return (
    <>
      <Typography variant="body2" data-testid="deployed-version">
        {t('promotion.deployedVersion', {
          version: <code>{preview.version.label}</code>,
        })}
      </Typography>
      {next && (
        <Typography variant="body2" data-testid="next-version">
          {t('promotion.nextRuns', {
            environment: next.environment,
            name: next.application.name,
            version: <code>{next.version.label}</code>,
          })}
        </Typography>
      )}
      {(preview.changes.length > 0 || chartChanges.length > 0) && (
        <Box mt={1}>
          <Typography variant="subtitle2" component="h4">
            {t('promotion.versionChange')}
          </Typography>
          <ul
            aria-label={t('promotion.versionChangeLabel', {
              name: next?.application.name ?? app.name,
            })}
            data-testid="version-change"
            style={{ margin: 0 }}
          >
            {preview.changes.map(change => {
              // The change is to the next environment's files; what it runs may lag them.
              const running = next?.version.images.find(
                i => i.name === change.name,
              )?.tag;
              return (
                <li key={change.name}>
                  <Typography variant="body2" component="span">
                    <code>{change.name}</code>:{' '}
                    {change.from ?? t('promotion.unset')} → {change.to}
                    {running && change.from && running !== change.from && (
                      <Typography
                        variant="body2"
                        component="span"
                        color="textSecondary"
                      >
                        {' '}
                        (in Git; {next?.environment} still runs {running})
                      </Typography>
                    )}
                  </Typography>
                </li>
              );
            })}
            {chartChanges.map(change => (
              <li key={`${change.kind}:${change.name}`}>
                <Typography variant="body2" component="span">
                  {change.kind === 'chart'
                    ? t('promotion.chart')
                    : t('promotion.chartDependency')}{' '}
                  <code>{change.name}</code>:{' '}
                  {change.from ?? t('promotion.unset')} → {change.to}
                </Typography>
              </li>
            ))}
          </ul>
        </Box>
      )}
      {next && (
        <Box mt={1}>
          <Typography variant="subtitle2" component="h4">
            {t('promotion.commitsSince', { environment: next.environment })}
          </Typography>
          <CommitList
            commits={preview.commits}
            repoURL={repoURL}
            label={t('promotion.commitsLabel', { name: app.name })}
          />
        </Box>
      )}
      {preview.diff && (
        <Box mt={1}>
          <Typography variant="subtitle2" component="h4">
            {t('promotion.changesTo', { files: preview.files.join(', ') })}
          </Typography>
          <UnifiedDiff
            diff={preview.diff}
            label={t('promotion.diffLabel', { name: app.name })}
          />
        </Box>
      )}
      {!preview.promotable && preview.reason && (
        <Typography
          variant="body2"
          color="textSecondary"
          data-testid="promotion-reason"
        >
          {preview.reason}
        </Typography>
      )}
      {next && preview.promotable && (
        <PromoteAction app={app} preview={preview} stale={stale} />
      )}
    </>
  );
}

function PromoteAction(props: {
  app: ApplicationSummary;
  preview: PromotionPreview;
  stale: boolean;
}) {
  const { app, preview, stale } = props;
  const next = preview.next!;
  const api = useApi(gitOpsApiRef);
  const permission = usePermission({
    permission: gitOpsApplicationPromotePermission,
    resourceRef: applicationResourceRef(app),
  });
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const [confirming, setConfirming] = useState(false);
  const [acknowledged, setAcknowledged] = useState(false);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<PromoteResponse | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const downgrades = preview.downgrades ?? [];
  const downgrade = downgrades.length > 0;
  const downgradeText = downgrades
    .map(
      d =>
        `${d.kind === 'image' ? '' : `${d.kind} `}${d.name} ${d.from} → ${
          d.to
        }`,
    )
    .join(', ');
  const label = t(downgrade ? 'promotion.downgrade' : 'promotion.promote', {
    environment: preview.environment,
    next: next.environment,
  });
  const blocked = syncBlockedReason(t, next.syncWindows);
  const held =
    blocked &&
    t('promotion.held', {
      environment: next.environment,
      reason: blocked,
      name: next.application.name,
    });

  if (permission.loading) return null;
  if (!permission.allowed) {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        data-testid="promote-denied"
      >
        {t('promotion.denied', { name: app.name })}
      </Typography>
    );
  }

  const promote = async () => {
    setConfirming(false);
    setRunning(true);
    setResult(undefined);
    setFailure(undefined);
    try {
      setResult(
        await api.promote(
          {
            instance: app.instance,
            appNamespace: app.appNamespace,
            name: app.name,
          },
          downgrade ? { allowDowngrade: acknowledged } : {},
        ),
      );
    } catch (e) {
      setFailure(errorMessage(e));
    } finally {
      setRunning(false);
    }
  };

  return (
    <Box mt={1}>
      {downgrade && (
        <Alert
          severity="warning"
          data-testid="promotion-downgrade"
          style={{ marginBottom: 8 }}
        >
          {t('promotion.downgradeWarning', {
            environment: next.environment,
            name: next.application.name,
            versions: downgradeText,
          })}
        </Alert>
      )}
      {held && (
        <Alert
          severity="warning"
          data-testid="promotion-sync-window"
          style={{ marginBottom: 8 }}
        >
          {held}
        </Alert>
      )}
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 8 }}
      >
        <Button
          variant="contained"
          color="primary"
          disabled={running || stale}
          onClick={() => {
            setAcknowledged(false);
            setConfirming(true);
          }}
        >
          {label}
        </Button>
        <Typography variant="body2" color="textSecondary">
          {t(
            preview.requiresApproval
              ? 'promotion.needsApproval'
              : 'promotion.opensPullRequest',
          )}
        </Typography>
      </Box>
      {result && (
        <Alert
          severity="success"
          role="status"
          data-testid="promote-outcome"
          style={{ marginTop: 8 }}
        >
          {t('promotion.opened', {
            name: result.application.name,
            environment: result.environment,
            link: (
              <Link to={result.pullRequestUrl}>{result.pullRequestUrl}</Link>
            ),
          })}
        </Alert>
      )}
      {failure && (
        <Alert
          severity="error"
          role="alert"
          data-testid="promote-outcome"
          style={{ marginTop: 8 }}
        >
          {t('promotion.failed', {
            name: app.name,
            environment: next.environment,
            reason: failure,
          })}
        </Alert>
      )}
      <ConfirmActionDialog
        open={confirming}
        title={t('promotion.confirmTitle', { action: label })}
        confirmLabel={t(
          downgrade
            ? 'promotion.openDowngradePullRequest'
            : 'promotion.openPullRequest',
        )}
        confirmDisabled={(downgrade && !acknowledged) || stale}
        onCancel={() => setConfirming(false)}
        onConfirm={promote}
      >
        <Typography paragraph>
          {t('promotion.confirmChange', {
            name: next.application.name,
            version: <strong>{preview.version.label}</strong>,
            current: next.version.label,
            files: preview.files.join(', '),
          })}
        </Typography>
        {preview.requiresApproval && (
          <Typography paragraph>
            {t('promotion.confirmProduction', {
              environment: <strong>{next.environment}</strong>,
            })}
          </Typography>
        )}
        {held && <Typography paragraph>{held}</Typography>}
        {downgrade && (
          <FormControlLabel
            data-testid="confirm-downgrade"
            control={
              <Checkbox
                checked={acknowledged}
                onChange={e => setAcknowledged(e.target.checked)}
              />
            }
            label={t('promotion.confirmDowngrade', {
              environment: next.environment,
              versions: downgradeText,
            })}
          />
        )}
      </ConfirmActionDialog>
    </Box>
  );
}
