import Box from '@material-ui/core/Box';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import ScheduleIcon from '@material-ui/icons/Schedule';
import { makeStyles } from '@material-ui/core/styles';
import { Link } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { ApplicationSummary } from '@kupe/plugin-gitops-common';
import { SyncStatusChip } from '../status/SyncStatusChip';
import { HealthStatusChip } from '../status/HealthStatusChip';
import { DeployedRevision } from '../common/DeployedRevision';
import { RolloutMark } from '../common/RolloutMark';
import { NameText } from '../common/NameText';
import { RelativeTime } from '../common/RelativeTime';
import { AutoSyncPauseNote } from '../common/AutoSyncPauseNote';
import {
  LONG_OUT_OF_SYNC_MS,
  outOfSyncForMs,
  staleAge,
} from '../common/ApplicationMarks';
import { imageVersions } from '../../lib/imageVersions';
import { type GitOpsTranslate, gitOpsTranslationRef } from '../../translation';

/** Destination as people name it: the registered cluster, else the API server URL. */
export function destinationText(
  t: GitOpsTranslate,
  app: ApplicationSummary,
): string {
  const cluster =
    app.destination.cluster ??
    app.destination.server ??
    t('messages.unknownCluster');
  return app.destination.namespace
    ? `${cluster} / ${app.destination.namespace}`
    : cluster;
}

const useStyles = makeStyles(theme => ({
  cell: { verticalAlign: 'top', padding: theme.spacing(0.75, 1) },
  // the name column gives way first; its names end in an ellipsis, never break
  nameCell: {
    verticalAlign: 'top',
    padding: theme.spacing(0.75, 1),
    maxWidth: 200,
  },
  // sync and health side by side, one under the other when the card is too narrow for both
  // (a long version and Degraded at 1280 px): every column stays in view, none scrolls away
  chips: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 4 },
  mark: {
    display: 'flex',
    alignItems: 'center',
    gap: 2,
    whiteSpace: 'nowrap',
  },
  version: { fontWeight: 500, whiteSpace: 'nowrap' },
}));

const CAPTIONED = ['Running', 'Terminating', 'Failed', 'Error'] as const;

/** The running or last failed operation, one line; a succeeded one says nothing the chips don't. */
function OperationCaption(props: { app: ApplicationSummary }) {
  const { operation } = props.app;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const phase = CAPTIONED.find(p => p === operation?.phase);
  if (!operation || !phase) return null;
  const failed = phase === 'Failed' || phase === 'Error';
  const text = `${t(`card.operation.${phase}`)}${
    operation.message ? `: ${operation.message}` : ''
  }`;
  return (
    <Typography
      variant="caption"
      component="div"
      color={failed ? 'error' : 'textSecondary'}
      role={failed ? 'alert' : 'status'}
      data-testid="operation"
    >
      <NameText text={text} />
    </Typography>
  );
}

/** What runs, as people name it: image tags first, then the commit or chart version. */
function RunningVersion(props: { app: ApplicationSummary }) {
  const classes = useStyles();
  const versions = imageVersions(props.app.images);
  return (
    <>
      {versions.length > 0 && (
        <div data-testid="running-version">
          {versions.map((v, i) => (
            <span key={v.version} className={classes.version} title={v.image}>
              {i > 0 && ', '}
              {v.version}
            </span>
          ))}
        </div>
      )}
      <Typography variant="caption" color="textSecondary" component="div">
        <DeployedRevision app={props.app} stacked />
      </Typography>
    </>
  );
}

/**
 * One application of the card, one table row: name and destination, sync and health, what
 * runs, when it last synced. Stale data and long drift are small marks in the status cell, so
 * a card of stale apps stays as compact as a fresh one.
 */
export function ApplicationRow(props: {
  app: ApplicationSummary;
  now: number;
  /** The environment's header cell, on the first row of its group. */
  environmentCell?: JSX.Element;
}) {
  const { app, now, environmentCell } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const drift = outOfSyncForMs(app, now);
  return (
    <TableRow data-testid="gitops-app-row">
      {environmentCell}
      <TableCell className={classes.nameCell}>
        <Typography variant="body2" component="div">
          {app.argoCdUrl ? (
            <Link
              to={app.argoCdUrl}
              aria-label={t('card.inArgoCd', { name: app.name })}
            >
              <NameText text={app.name} />
            </Link>
          ) : (
            <NameText text={app.name} />
          )}
        </Typography>
        <Typography variant="caption" color="textSecondary" component="div">
          <NameText text={destinationText(t, app)} testId="destination" />
        </Typography>
      </TableCell>
      <TableCell className={classes.cell}>
        <Box className={classes.chips}>
          <SyncStatusChip status={app.sync.status} />
          <HealthStatusChip status={app.health.status} />
        </Box>
        {app.stale && (
          <Typography
            variant="caption"
            color="textSecondary"
            component="div"
            className={classes.mark}
            data-testid="stale-mark"
          >
            <ScheduleIcon fontSize="inherit" aria-hidden />
            {t('messages.stale', { age: staleAge(app) })}
          </Typography>
        )}
        {drift !== undefined && drift >= LONG_OUT_OF_SYNC_MS && (
          <Typography
            variant="caption"
            color="textSecondary"
            component="div"
            data-testid="long-out-of-sync-mark"
          >
            {t('messages.outOfSyncSince', {
              since: <RelativeTime time={app.outOfSyncSince} now={now} />,
            })}
          </Typography>
        )}
        <OperationCaption app={app} />
        <RolloutMark app={app} />
        <AutoSyncPauseNote app={app} now={now} />
      </TableCell>
      <TableCell className={classes.cell}>
        <RunningVersion app={app} />
      </TableCell>
      <TableCell className={classes.cell}>
        <Typography variant="body2" component="div">
          <RelativeTime
            time={app.lastSyncedAt}
            now={now}
            fallback={app.historyPending ? '…' : t('messages.never')}
            testId="last-synced"
          />
        </Typography>
      </TableCell>
    </TableRow>
  );
}
