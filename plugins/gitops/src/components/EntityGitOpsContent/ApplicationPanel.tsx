import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Collapse from '@material-ui/core/Collapse';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import Alert from '@material-ui/lab/Alert';
import {
  Link,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import type { ResponseError } from '@backstage/errors';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import type {
  ApplicationDetail,
  ApplicationSummary,
} from '@kupe/plugin-gitops-common';
import { gitOpsApiRef } from '../../api/GitOpsApi';
import { useAsyncValue } from '../../hooks/useAsyncValue';
import { useQuarantinedHistory } from '../../hooks/useQuarantinedHistory';
import type { KeyedValue } from '../../hooks/useKeyedAsync';
import type { PreviewState } from '../../hooks/usePromotionPreviews';
import { errorMessage } from '../../lib/errorMessage';
import { gitOpsTranslationRef } from '../../translation';
import { SyncStatusChip } from '../status/SyncStatusChip';
import { HealthStatusChip } from '../status/HealthStatusChip';
import { AutoSyncPauseNote } from '../common/AutoSyncPauseNote';
import { ApplicationMarks } from '../common/ApplicationMarks';
import { DeployedRevision } from '../common/DeployedRevision';
import {
  SyncWindowNotice,
  syncBlockedReason,
} from '../common/SyncWindowNotice';
import { destinationText } from '../EntityGitOpsCard/ApplicationRow';
import { ApplicationActions } from './ApplicationActions';
import { ArgoRolloutsSection } from './ArgoRolloutsSection';
import { AutoSyncPauseActions } from './AutoSyncPauseActions';
import { panelId } from './EnvironmentOverview';
import { HistoryTable } from './HistoryTable';
import { HistoryRowActions } from './HistoryRowActions';
import { LogsAndEvents } from './LogsAndEvents';
import { ResourcesTable } from './ResourcesTable';
import { ManifestDiff } from './ManifestDiff';
import { PromotionCard } from './PromotionCard';

/** A 404 from the backend (a ResponseError; compared by name, as bundles may hold two copies). */
const isNotFound = (error?: Error) =>
  error?.name === 'ResponseError' &&
  (error as ResponseError).statusCode === 404;

/**
 * One application in depth, collapsed to its name and status until opened. Problems
 * (conditions, a failed or running operation) come first because they are why someone opened
 * it; actions, promotion, history, resources and drift follow.
 */
export function ApplicationPanel(props: {
  app: ApplicationSummary;
  now: number;
  onUpdated(summary: ApplicationSummary): void;
  detail?: KeyedValue<ApplicationDetail>;
  preview?: PreviewState;
  open: boolean;
  onToggle(): void;
  /** The entity whose quarantined releases the history marks; none without it. */
  entityRef?: string;
}) {
  const { app, now, open, onToggle } = props;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const headingId = `${panelId(app)}-heading`;
  return (
    <Paper
      component="section"
      aria-labelledby={headingId}
      data-testid="gitops-app-panel"
      id={panelId(app)}
      style={{ padding: '4px 16px', marginBottom: 8 }}
    >
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        style={{ gap: 8 }}
      >
        <Typography variant="h6" component="h3" id={headingId}>
          <Button
            aria-expanded={open}
            onClick={onToggle}
            startIcon={
              <ExpandMoreIcon
                style={{ transform: open ? 'rotate(180deg)' : undefined }}
              />
            }
            style={{ textTransform: 'none', font: 'inherit' }}
          >
            {app.name}
          </Button>
        </Typography>
        <SyncStatusChip status={app.sync.status} />
        <HealthStatusChip status={app.health.status} />
        <ApplicationMarks app={app} now={now} />
        {app.argoCdUrl && (
          <Link to={app.argoCdUrl}>
            {t('panel.openInArgoCd', { name: app.name })}
          </Link>
        )}
      </Box>
      <Collapse in={open} unmountOnExit>
        <Box pb={2}>
          <PanelBody {...props} />
        </Box>
      </Collapse>
    </Paper>
  );
}

function PanelBody(props: {
  app: ApplicationSummary;
  now: number;
  onUpdated(summary: ApplicationSummary): void;
  detail?: KeyedValue<ApplicationDetail>;
  preview?: PreviewState;
  entityRef?: string;
}) {
  const { app, now, onUpdated, detail, preview } = props;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  if (detail && isNotFound(detail.error)) {
    return (
      <WarningPanel
        severity="warning"
        defaultExpanded
        title={t('panel.notFoundTitle', {
          name: app.name,
          instance: app.instance,
        })}
        message={t('panel.notFoundMessage', {
          namespace: app.appNamespace,
          name: app.name,
          reason: errorMessage(detail.error),
        })}
      />
    );
  }
  const value = detail?.value;
  return (
    <>
      <Typography variant="body2" color="textSecondary">
        {t('panel.facts', {
          revision: <DeployedRevision app={app} />,
          destination: destinationText(t, app),
          project: app.project,
          syncPolicy: app.syncPolicy,
        })}
      </Typography>
      {value && <Problems detail={value} />}
      <Box my={1}>
        <AutoSyncPauseNote app={app} now={now} />
        <ApplicationActions
          app={app}
          onUpdated={onUpdated}
          syncBlockedReason={syncBlockedReason(t, value?.syncWindows, now)}
        />
        <AutoSyncPauseActions app={app} onUpdated={onUpdated} />
        {value?.syncWindows && (
          <SyncWindowNotice
            appName={app.name}
            windows={value.syncWindows}
            now={now}
          />
        )}
      </Box>
      {detail?.error && !value && <ResponseErrorPanel error={detail.error} />}
      {(!detail || (detail.loading && !value)) && <Progress />}
      {value?.resources.some(
        r => r.kind === 'Rollout' && r.group === 'argoproj.io',
      ) && <ArgoRolloutsSection app={app} />}
      {preview && <PromotionCard app={app} state={preview} />}
      {value && (
        <DetailSections
          appName={app.name}
          detail={value}
          repoURL={app.source?.repoURL}
          entityRef={props.entityRef}
        />
      )}
      {app.sync.status === 'OutOfSync' && <Differences app={app} />}
      <LogsAndEvents app={app} />
    </>
  );
}

/** Conditions, and the operation only while it carries news: running, failed or errored. */
function Problems(props: { detail: ApplicationDetail }) {
  const { detail } = props;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const operation = detail.operationState;
  const failed = operation?.phase === 'Failed' || operation?.phase === 'Error';
  const news =
    operation?.message && operation.phase !== 'Succeeded' ? operation : null;
  return (
    <>
      {detail.conditions.map(condition => (
        <Alert
          key={`${condition.type}:${condition.message}`}
          severity={/error/i.test(condition.type) ? 'error' : 'warning'}
          data-testid="condition"
        >
          <strong>{condition.type}</strong>: {condition.message}
        </Alert>
      ))}
      {news && (
        <Alert
          severity={failed ? 'error' : 'info'}
          data-testid="operation-message"
        >
          {t('panel.operation', {
            phase: news.phase,
            message: news.message ?? '',
          })}
        </Alert>
      )}
    </>
  );
}

function History(props: {
  appName: string;
  detail: ApplicationDetail;
  repoURL?: string;
  quarantined?: Map<number, { version: string; reason: string }>;
}) {
  const { appName, detail, repoURL, quarantined } = props;
  return (
    <HistoryTable
      appName={appName}
      history={detail.history}
      repoURL={repoURL}
      app={detail.summary}
      rowActions={entry => (
        <HistoryRowActions app={detail.summary} entry={entry} />
      )}
      quarantined={quarantined}
    />
  );
}

/** The history with the rows that deployed a quarantined release of the entity marked. */
function QuarantineMarkedHistory(props: {
  entityRef: string;
  appName: string;
  detail: ApplicationDetail;
  repoURL?: string;
}) {
  const { entityRef, ...history } = props;
  const quarantined = useQuarantinedHistory(entityRef, history.detail.summary);
  return <History {...history} quarantined={quarantined} />;
}

function DetailSections(props: {
  appName: string;
  detail: ApplicationDetail;
  repoURL?: string;
  entityRef?: string;
}) {
  const { appName, detail, repoURL, entityRef } = props;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  return (
    <>
      <Box mt={2}>
        <Typography variant="subtitle1" component="h4">
          {t('panel.history')}
        </Typography>
        {entityRef ? (
          <QuarantineMarkedHistory
            entityRef={entityRef}
            appName={appName}
            detail={detail}
            repoURL={repoURL}
          />
        ) : (
          <History appName={appName} detail={detail} repoURL={repoURL} />
        )}
      </Box>
      <Box mt={2}>
        <Typography variant="subtitle1" component="h4">
          {t('panel.resources')}
        </Typography>
        <ResourcesTable appName={appName} resources={detail.resources} />
      </Box>
    </>
  );
}

/** Live against desired for the resources that differ, read when the panel opens. */
function Differences(props: { app: ApplicationSummary }) {
  const { app } = props;
  const api = useApi(gitOpsApiRef);
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const version = JSON.stringify([
    app.sync,
    app.health,
    app.operation,
    app.lastSyncedAt,
  ]);
  const resources = useAsyncValue(
    () =>
      api.getManagedResources({
        instance: app.instance,
        appNamespace: app.appNamespace,
        name: app.name,
      }),
    [api, app.instance, app.appNamespace, app.name, version],
  );
  // Only modified resources carry manifests; a missing one on a Synced resource means
  // "not sent", not "absent from the cluster".
  const changed = resources.value?.items.filter(r => r.modified) ?? [];
  return (
    <Box
      component="section"
      aria-label={t('panel.differencesLabel', { name: app.name })}
      mt={2}
    >
      <Typography variant="subtitle1" component="h4">
        {t('panel.differences')}
      </Typography>
      {resources.error && <ResponseErrorPanel error={resources.error} />}
      {resources.loading && !resources.value && <Progress />}
      {resources.value && changed.length === 0 && (
        <Typography variant="body2">{t('panel.noDifferences')}</Typography>
      )}
      {changed.map(r => (
        <ManifestDiff
          key={`${r.group ?? ''}/${r.kind}/${r.namespace ?? ''}/${r.name}`}
          resource={r}
        />
      ))}
    </Box>
  );
}
