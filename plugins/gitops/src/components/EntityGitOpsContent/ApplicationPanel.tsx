import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  ApplicationDetail,
  ApplicationSummary,
  OperationPhaseValue,
} from '@kupe/plugin-gitops-common';
import { gitOpsApiRef } from '../../api/GitOpsApi';
import { useAsyncValue } from '../../hooks/useAsyncValue';
import { SyncStatusChip } from '../status/SyncStatusChip';
import { HealthStatusChip } from '../status/HealthStatusChip';
import { ApplicationMarks } from '../common/ApplicationMarks';
import { DeployedRevision } from '../common/DeployedRevision';
import {
  SyncWindowNotice,
  syncBlockedReason,
} from '../common/SyncWindowNotice';
import { destinationText } from '../EntityGitOpsCard/ApplicationRow';
import { ApplicationActions } from './ApplicationActions';
import { HistoryTable } from './HistoryTable';
import { HistoryRowActions } from './HistoryRowActions';
import { ResourcesTable } from './ResourcesTable';
import { ManifestDiff } from './ManifestDiff';

/**
 * One application in depth. Problems (conditions, operation message) come first because
 * they are why someone opened the tab; history and resources follow.
 */
export function ApplicationPanel(props: {
  app: ApplicationSummary;
  now: number;
  onUpdated(summary: ApplicationSummary): void;
}) {
  const { app, now, onUpdated } = props;
  const api = useApi(gitOpsApiRef);
  const ref = {
    instance: app.instance,
    appNamespace: app.appNamespace,
    name: app.name,
  };
  // Reload the detail whenever the live summary changes in a way the detail reflects.
  const version = JSON.stringify([
    app.sync,
    app.health,
    app.operation,
    app.lastSyncedAt,
  ]);
  const detail = useAsyncValue(
    () => api.getApplication(ref),
    [api, app.instance, app.appNamespace, app.name, version],
  );
  const outOfSync = app.sync.status === 'OutOfSync';
  const resources = useAsyncValue(
    () =>
      outOfSync ? api.getManagedResources(ref) : Promise.resolve({ items: [] }),
    [api, app.instance, app.appNamespace, app.name, outOfSync, version],
  );
  const headingId = `gitops-app-${app.instance}-${app.appNamespace}-${app.name}`;

  return (
    <Paper
      component="section"
      aria-labelledby={headingId}
      data-testid="gitops-app-panel"
      style={{ padding: 16, marginBottom: 16 }}
    >
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        style={{ gap: 8 }}
      >
        <Typography variant="h6" component="h3" id={headingId}>
          {app.name}
        </Typography>
        <SyncStatusChip status={app.sync.status} />
        <HealthStatusChip status={app.health.status} />
        <ApplicationMarks app={app} now={now} />
        {app.argoCdUrl && (
          <Link to={app.argoCdUrl}>Open {app.name} in Argo CD</Link>
        )}
      </Box>
      <Typography variant="body2" color="textSecondary">
        <DeployedRevision app={app} /> · {destinationText(app)} · project{' '}
        {app.project} · sync policy {app.syncPolicy}
      </Typography>
      <Box my={1}>
        <ApplicationActions
          app={app}
          onUpdated={onUpdated}
          syncBlockedReason={syncBlockedReason(detail.value?.syncWindows, now)}
        />
        {detail.value?.syncWindows && (
          <SyncWindowNotice
            appName={app.name}
            windows={detail.value.syncWindows}
            now={now}
          />
        )}
      </Box>
      {detail.error && !detail.value && (
        <ResponseErrorPanel error={detail.error} />
      )}
      {detail.loading && !detail.value && <Progress />}
      {detail.value && (
        <DetailSections
          appName={app.name}
          detail={detail.value}
          repoURL={app.source?.repoURL}
        />
      )}
      {outOfSync && (
        <Box
          component="section"
          aria-label={`Differences of ${app.name}`}
          mt={2}
        >
          <Typography variant="subtitle1" component="h4">
            Differences (live vs desired)
          </Typography>
          {resources.error && <ResponseErrorPanel error={resources.error} />}
          {resources.loading && !resources.value && <Progress />}
          {resources.value &&
            (() => {
              // Only modified resources carry manifests; a missing one on a Synced resource
              // means "not sent", not "absent from the cluster".
              const changed = resources.value.items.filter(r => r.modified);
              return changed.length === 0 ? (
                <Typography variant="body2">
                  No differing resources reported.
                </Typography>
              ) : (
                changed.map(r => (
                  <ManifestDiff
                    key={`${r.group ?? ''}/${r.kind}/${r.namespace ?? ''}/${
                      r.name
                    }`}
                    resource={r}
                  />
                ))
              );
            })()}
        </Box>
      )}
    </Paper>
  );
}

function operationSeverity(
  phase: OperationPhaseValue,
): 'error' | 'success' | 'info' {
  switch (phase) {
    case 'Failed':
    case 'Error':
      return 'error';
    case 'Succeeded':
      return 'success';
    default:
      return 'info';
  }
}

function DetailSections(props: {
  appName: string;
  detail: ApplicationDetail;
  repoURL?: string;
}) {
  const { appName, detail, repoURL } = props;
  const operation = detail.operationState;
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
      {operation?.message && (
        <Alert
          severity={operationSeverity(operation.phase)}
          data-testid="operation-message"
        >
          Operation {operation.phase}: {operation.message}
        </Alert>
      )}
      <Box mt={2}>
        <Typography variant="subtitle1" component="h4">
          History
        </Typography>
        <HistoryTable
          appName={appName}
          history={detail.history}
          repoURL={repoURL}
          app={detail.summary}
          rowActions={entry => (
            <HistoryRowActions app={detail.summary} entry={entry} />
          )}
        />
      </Box>
      <Box mt={2}>
        <Typography variant="subtitle1" component="h4">
          Resources
        </Typography>
        <ResourcesTable appName={appName} resources={detail.resources} />
      </Box>
    </>
  );
}
