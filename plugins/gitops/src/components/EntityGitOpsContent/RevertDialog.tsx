import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { Link, Progress } from '@backstage/core-components';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import type {
  ApplicationSummary,
  RevertPlan,
  RevertResponse,
} from '@kupe/plugin-gitops-common';
import { gitOpsApiRef } from '../../api/GitOpsApi';
import { useAsyncValue } from '../../hooks/useAsyncValue';
import { errorMessage } from '../../lib/errorMessage';
import { shortRevision } from '../../lib/commitUrl';
import { RevisionLink } from '../common/RevisionLink';
import { CommitList } from './CommitList';
import { UnifiedDiff } from './UnifiedDiff';
import { gitOpsTranslationRef } from '../../translation';

type Delivery = 'pull-request' | 'direct-commit';

/**
 * Rollback by Git revert: loads which commits after `toRevision` touched the application's
 * files and the diff reverting them gives, lets the user choose a pull request or (where the
 * environment allows it) a direct commit, and shows the pull request or commit made.
 * Argo CD then reconciles to the reverted state, whether the app syncs automatically or not.
 */
export function RevertDialog(props: {
  app: ApplicationSummary;
  toRevision: string;
  open: boolean;
  onClose(): void;
}) {
  const { app, toRevision, open, onClose } = props;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const short = shortRevision(toRevision);
  const titleId = `gitops-revert-title-${app.name}`;
  return (
    <Dialog
      open={open}
      onClose={onClose}
      aria-labelledby={titleId}
      maxWidth="md"
      fullWidth
    >
      <DialogTitle id={titleId}>
        {t('revert.title', { name: app.name, revision: short ?? toRevision })}
      </DialogTitle>
      {open && (
        <RevertDialogBody app={app} toRevision={toRevision} onClose={onClose} />
      )}
    </Dialog>
  );
}

function RevertDialogBody(props: {
  app: ApplicationSummary;
  toRevision: string;
  onClose(): void;
}) {
  const { app, toRevision, onClose } = props;
  const api = useApi(gitOpsApiRef);
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const ref = {
    instance: app.instance,
    appNamespace: app.appNamespace,
    name: app.name,
  };
  const plan = useAsyncValue(
    () => api.getRevertPlan(ref, toRevision),
    [api, app.instance, app.appNamespace, app.name, toRevision],
  );
  const [choice, setChoice] = useState<Delivery | undefined>();
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<RevertResponse | undefined>();
  const [failure, setFailure] = useState<string | undefined>();

  const value = plan.value;
  const deliveries: Delivery[] = value ? availableDeliveries(value) : [];
  const delivery = choice ?? deliveries[0];

  const revert = async () => {
    if (!delivery) return;
    setRunning(true);
    setFailure(undefined);
    try {
      setResult(
        await api.revert(ref, {
          toRevision,
          ...(delivery === 'direct-commit' && { directCommit: true }),
        }),
      );
    } catch (e) {
      setFailure(errorMessage(e));
    } finally {
      setRunning(false);
    }
  };

  return (
    <>
      <DialogContent>
        {app.syncPolicy === 'manual' ? (
          <Typography variant="body2" paragraph>
            {t('revert.manualNote', { name: app.name })}
          </Typography>
        ) : (
          <Typography variant="body2" paragraph data-testid="auto-sync-note">
            {t('revert.autoSyncNote', { name: app.name })}
          </Typography>
        )}
        {plan.loading && !value && <Progress />}
        {plan.error && !value && (
          <Alert severity="error" role="alert">
            {t('revert.planFailed', { reason: errorMessage(plan.error) })}
          </Alert>
        )}
        {value && !result && <RevertPlanDetails app={app} plan={value} />}
        {value && !result && value.commits.length > 0 && (
          <Box mt={2}>
            {deliveries.length === 0 ? (
              <Alert severity="warning">
                {t('revert.noDelivery', {
                  environment: value.environment ?? t('revert.thisEnvironment'),
                })}
              </Alert>
            ) : (
              <RadioGroup
                aria-label={t('revert.deliveryLabel')}
                value={delivery}
                onChange={e => setChoice(e.target.value as Delivery)}
              >
                {deliveries.includes('pull-request') && (
                  <FormControlLabel
                    value="pull-request"
                    control={<Radio />}
                    label={t('revert.pullRequest')}
                  />
                )}
                {deliveries.includes('direct-commit') && (
                  <FormControlLabel
                    value="direct-commit"
                    control={<Radio />}
                    label={t('revert.directCommit', {
                      branch: value.branch,
                      environment:
                        value.environment ?? t('revert.thisEnvironment'),
                    })}
                  />
                )}
              </RadioGroup>
            )}
          </Box>
        )}
        {result && <RevertResult app={app} result={result} />}
        {failure && (
          <Alert severity="error" role="alert" data-testid="revert-failure">
            {t('revert.failed', { name: app.name, reason: failure })}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>
          {t(result ? 'dialog.close' : 'dialog.cancel')}
        </Button>
        {!result && value && value.commits.length > 0 && delivery && (
          <Button
            color="secondary"
            variant="contained"
            disabled={running}
            onClick={revert}
          >
            {t(
              delivery === 'pull-request'
                ? 'revert.openPullRequest'
                : 'revert.commit',
            )}
          </Button>
        )}
      </DialogActions>
    </>
  );
}

function availableDeliveries(plan: RevertPlan): Delivery[] {
  const list: Delivery[] = [];
  if (plan.pullRequestAvailable) list.push('pull-request');
  if (plan.directCommitAllowed) list.push('direct-commit');
  return list;
}

function RevertPlanDetails(props: {
  app: ApplicationSummary;
  plan: RevertPlan;
}) {
  const { app, plan } = props;
  const repoURL = app.source?.repoURL;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  if (plan.commits.length === 0) {
    return (
      <Typography variant="body2" data-testid="revert-nothing">
        Nothing to revert: {app.name}&apos;s files have not changed on{' '}
        {plan.branch} since {shortRevision(plan.toRevision)}.
      </Typography>
    );
  }
  const count = plan.commits.length;
  return (
    <>
      <Typography variant="body2" paragraph data-testid="revert-summary">
        Reverts {count} {count === 1 ? 'commit' : 'commits'} on {plan.branch}{' '}
        (at <RevisionLink repoURL={repoURL} revision={plan.head} />
        ), returning {plan.files.join(', ')} to{' '}
        <RevisionLink repoURL={repoURL} revision={plan.toRevision} />.
      </Typography>
      <Typography variant="subtitle2" component="h3">
        {t('revert.commitsReverted')}
      </Typography>
      <CommitList
        commits={plan.commits}
        repoURL={repoURL}
        label={t('revert.commitsLabel', { name: app.name })}
      />
      <Box mt={1}>
        <Typography variant="subtitle2" component="h3">
          {t('revert.diff')}
        </Typography>
        <UnifiedDiff
          diff={plan.diff}
          label={t('revert.diffLabel', { name: app.name })}
        />
      </Box>
    </>
  );
}

function RevertResult(props: {
  app: ApplicationSummary;
  result: RevertResponse;
}) {
  const { app, result } = props;
  const count = result.revertedCommits.length;
  const what = `${count} ${count === 1 ? 'commit' : 'commits'}`;
  return (
    <Alert severity="success" role="status" data-testid="revert-outcome">
      {result.delivery === 'pull-request' && result.pullRequestUrl ? (
        <>
          Pull request reverting {what}:{' '}
          <Link to={result.pullRequestUrl}>{result.pullRequestUrl}</Link>. Argo
          CD deploys the rollback once it is merged.
        </>
      ) : (
        <>
          Reverted {what} in commit{' '}
          <RevisionLink
            repoURL={app.source?.repoURL}
            revision={result.commitSha}
          />{' '}
          on {result.branch}.{' '}
          {app.syncPolicy === 'manual'
            ? `Sync ${app.name} to deploy it.`
            : `Argo CD syncs ${app.name} to it automatically.`}
        </>
      )}
    </Alert>
  );
}
