import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Link } from '@backstage/core-components';
import type { ApplicationSummary } from '@kupe/plugin-gitops-common';
import { SyncStatusChip } from '../status/SyncStatusChip';
import { HealthStatusChip } from '../status/HealthStatusChip';
import { DeployedRevision } from '../common/DeployedRevision';
import { ApplicationMarks } from '../common/ApplicationMarks';
import { OperationLine } from '../common/OperationLine';
import { formatRelative } from '../../lib/relativeTime';

/** Destination as people name it: the registered cluster, else the API server URL. */
export function destinationText(app: ApplicationSummary): string {
  const cluster =
    app.destination.cluster ?? app.destination.server ?? 'unknown cluster';
  return app.destination.namespace
    ? `${cluster} / ${app.destination.namespace}`
    : cluster;
}

export function ApplicationRow(props: {
  app: ApplicationSummary;
  now: number;
}) {
  const { app, now } = props;
  const synced = formatRelative(app.lastSyncedAt, now);
  return (
    <Box
      component="li"
      aria-label={app.name}
      data-testid="gitops-app-row"
      py={1}
      style={{ listStyle: 'none' }}
    >
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        style={{ gap: 8 }}
      >
        <Typography variant="subtitle2" component="span">
          {app.argoCdUrl ? (
            <Link to={app.argoCdUrl} aria-label={`${app.name} in Argo CD`}>
              {app.name}
            </Link>
          ) : (
            app.name
          )}
        </Typography>
        <SyncStatusChip status={app.sync.status} />
        <HealthStatusChip status={app.health.status} />
        <ApplicationMarks app={app} now={now} />
      </Box>
      <Typography variant="body2" color="textSecondary" component="div">
        <DeployedRevision app={app} />
        {' · '}
        <span data-testid="last-synced">
          {synced ? `synced ${synced}` : 'never synced'}
        </span>
        {' · '}
        <span data-testid="destination">{destinationText(app)}</span>
      </Typography>
      <OperationLine operation={app.operation} />
    </Box>
  );
}
