import type { ReactNode } from 'react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { parseEntityRef } from '@backstage/catalog-model';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type {
  ApplicationHistoryEntry,
  RolloutRecord,
} from '@kupe/plugin-gitops-common';
import type { ApplicationRef } from '../../api/GitOpsApi';
import { useRollouts } from '../../hooks/useRollouts';
import { RevisionLink } from '../common/RevisionLink';
import { formatDuration } from '../../lib/relativeTime';
import { useNow } from '../../hooks/useNow';
import { RelativeTime } from '../common/RelativeTime';
import { gitOpsTranslationRef } from '../../translation';
import { RolloutValidation } from './RolloutValidation';

type Row =
  | {
      kind: 'deploy';
      at: number;
      entry: ApplicationHistoryEntry;
      rollout?: RolloutRecord;
    }
  | { kind: 'rollout'; at: number; rollout: RolloutRecord };

const time = (iso: string | undefined) => (iso ? Date.parse(iso) : NaN);

/** `Alice Schmidt <alice@acme.example>` → `Alice Schmidt`; the whole stays in the tooltip. */
export const authorName = (author: string) =>
  author.replace(/\s*<[^>]*>\s*$/, '') || author;

/**
 * Deployments and rollouts newest first, one row per deployment. A deployment's validation is
 * the rollout that started it (Argo CD's history `deployStartedAt` is the operation's
 * `startedAt`). A sync of the revision already running is no new deployment: it folds into
 * the row of the deployment before it. Rollouts without a deployment (a failed sync, one still
 * running) get rows of their own, but not one superseded by a newer operation, which has its
 * own row.
 */
function historyRows(
  history: ApplicationHistoryEntry[],
  rollouts: RolloutRecord[],
): Row[] {
  const byStart = new Map(rollouts.map(r => [time(r.startedAt), r]));
  const used = new Set<RolloutRecord>();
  // Newest first: an entry is a re-sync when the next older entry deployed the same revision.
  const newestFirst = [...history].sort(
    (a, b) => time(b.deployedAt) - time(a.deployedAt),
  );
  const rows: Row[] = [];
  newestFirst.forEach((entry, i) => {
    const rollout = byStart.get(time(entry.deployStartedAt));
    if (rollout) used.add(rollout);
    const older = newestFirst[i + 1];
    if (older && entry.revision && older.revision === entry.revision) return;
    rows.push({ kind: 'deploy', at: time(entry.deployedAt), entry, rollout });
  });
  for (const rollout of rollouts) {
    if (!used.has(rollout) && rollout.outcome !== 'superseded')
      rows.push({ kind: 'rollout', at: time(rollout.startedAt), rollout });
  }
  return rows.sort((a, b) => b.at - a.at);
}

/**
 * What a deployment changed for this app: the change it runs, or that it changed nothing of
 * the app's own files (a commit for another app in a shared repository, named as such).
 */
function DeploymentMessage(props: {
  appName: string;
  entry: ApplicationHistoryEntry;
}) {
  const { appName, entry } = props;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  if (entry.ownChange === false) {
    return (
      <span
        data-testid="history-no-own-change"
        title={
          entry.message
            ? t('history.otherFilesCommit', { message: entry.message })
            : undefined
        }
      >
        {t('history.noOwnChange', { name: appName })}
        {entry.ownCommit && (
          <Typography variant="body2" component="span" color="textSecondary">
            {' '}
            {t('history.stillRuns', { message: entry.ownCommit.message })}
          </Typography>
        )}
      </span>
    );
  }
  return <>{entry.ownCommit?.message ?? entry.message ?? '—'}</>;
}

/** Who made the change a deployment runs: the app's own commit, else the revision's. */
export function deploymentAuthor(
  entry: ApplicationHistoryEntry,
): string | undefined {
  if (entry.ownChange && entry.ownCommit) {
    const commit = entry.ownCommit;
    return commit.authorEmail
      ? `${commit.authorName} <${commit.authorEmail}>`
      : commit.authorName;
  }
  return entry.ownChange === false ? undefined : entry.author;
}

/**
 * Who started a deployment: the portal user who asked (Argo CD then names the portal's own
 * account, in the tooltip), Argo CD's controller for an automated sync, or the Argo CD user.
 */
function StartedBy(props: { entry: ApplicationHistoryEntry }) {
  const { requestedBy, initiatedBy } = props.entry;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  if (requestedBy) {
    let shown = requestedBy;
    try {
      shown = parseEntityRef(requestedBy).name;
    } catch {
      // Not an entity ref: shown as Argo CD holds it.
    }
    return (
      <span
        title={
          initiatedBy?.username
            ? t('history.portalTitleWithAccount', {
                user: requestedBy,
                account: initiatedBy.username,
              })
            : t('history.portalTitle', { user: requestedBy })
        }
      >
        {t('history.portal', { name: shown })}
      </span>
    );
  }
  if (initiatedBy?.automated)
    return (
      <span style={{ whiteSpace: 'nowrap' }}>
        {t('history.startedByAutomation')}
      </span>
    );
  if (initiatedBy?.username)
    return <span title={t('history.argoCdUser')}>{initiatedBy.username}</span>;
  return <>—</>;
}

/** A history row's mark when its deployment ran a quarantined release. */
function QuarantineMark(props: { mark?: { version: string; reason: string } }) {
  const { t } = useTranslationRef(gitOpsTranslationRef);
  if (!props.mark) return null;
  return (
    <Typography
      variant="caption"
      component="div"
      data-testid="history-quarantined"
      title={props.mark.reason}
      style={{ whiteSpace: 'nowrap', fontWeight: 600 }}
    >
      {t('history.quarantined', { version: props.mark.version })}
    </Typography>
  );
}

/** Deployments newest first, so the last change is what the eye meets; each with its validation. */
export function HistoryTable(props: {
  appName: string;
  history: ApplicationHistoryEntry[];
  repoURL?: string;
  /** The app whose rollout validations to show; none without it. */
  app?: ApplicationRef;
  /** Actions on a deployment's row (e.g. roll back to it); a column only when given. */
  rowActions?: (entry: ApplicationHistoryEntry) => ReactNode;
  /** History entries that deployed a quarantined release, by id: marked on their row. */
  quarantined?: Map<number, { version: string; reason: string }>;
}) {
  const { appName, history, repoURL, app, rowActions, quarantined } = props;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const now = useNow();
  // Reloaded with the detail (a new history), which reloads on every live change.
  const rollouts = useRollouts(app, [history]);
  const validated = !!app && rollouts.value !== undefined;
  const rows = historyRows(history, rollouts.value?.items ?? []);
  if (rows.length === 0) {
    return <Typography variant="body2">{t('history.empty')}</Typography>;
  }
  return (
    <Table size="small" aria-label={t('history.tableLabel', { name: appName })}>
      <TableHead>
        <TableRow style={{ whiteSpace: 'nowrap' }}>
          {(
            [
              'revision',
              'author',
              'message',
              'deployedAt',
              'startedBy',
              'duration',
            ] as const
          ).map(column => (
            <TableCell key={column}>{t(`history.columns.${column}`)}</TableCell>
          ))}
          {validated && (
            <TableCell>{t('history.columns.validation')}</TableCell>
          )}
          {rowActions && <TableCell>{t('history.columns.actions')}</TableCell>}
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map(row =>
          row.kind === 'deploy' ? (
            <TableRow key={`deploy-${row.entry.id}`}>
              <TableCell>
                {row.entry.chartVersion && !row.entry.revision ? (
                  <code>{row.entry.chartVersion}</code>
                ) : (
                  <RevisionLink
                    repoURL={repoURL}
                    revision={row.entry.revision}
                  />
                )}
                <QuarantineMark mark={quarantined?.get(row.entry.id)} />
              </TableCell>
              <TableCell>
                {deploymentAuthor(row.entry) ? (
                  <span
                    title={deploymentAuthor(row.entry)}
                    style={{ whiteSpace: 'nowrap' }}
                  >
                    {authorName(deploymentAuthor(row.entry)!)}
                  </span>
                ) : (
                  <span style={{ whiteSpace: 'nowrap' }}>
                    {(row.entry.initiatedBy?.automated
                      ? t('history.automatedSync')
                      : row.entry.initiatedBy?.username) ?? '—'}
                  </span>
                )}
              </TableCell>
              <TableCell>
                <DeploymentMessage appName={appName} entry={row.entry} />
              </TableCell>
              <TableCell>
                <RelativeTime time={row.entry.deployedAt} now={now} />
              </TableCell>
              <TableCell>
                <StartedBy entry={row.entry} />
              </TableCell>
              <TableCell>
                {formatDuration(
                  row.entry.deployStartedAt,
                  row.entry.deployedAt,
                ) ?? '—'}
              </TableCell>
              {validated && (
                <TableCell>
                  <RolloutValidation rollout={row.rollout} />
                </TableCell>
              )}
              {rowActions && <TableCell>{rowActions(row.entry)}</TableCell>}
            </TableRow>
          ) : (
            <TableRow key={`rollout-${row.rollout.startedAt}`}>
              <TableCell>
                <RevisionLink
                  repoURL={repoURL}
                  revision={row.rollout.revision}
                />
              </TableCell>
              <TableCell>—</TableCell>
              <TableCell>
                {row.rollout.outcome === 'in-progress'
                  ? t('history.syncInProgress')
                  : t('history.notDeployed')}
              </TableCell>
              <TableCell>
                <RelativeTime
                  time={row.rollout.startedAt}
                  now={now}
                  prefix={t('history.started')}
                />
              </TableCell>
              <TableCell>—</TableCell>
              <TableCell>
                {formatDuration(
                  row.rollout.startedAt,
                  row.rollout.operationFinishedAt,
                ) ?? '—'}
              </TableCell>
              <TableCell>
                <RolloutValidation rollout={row.rollout} />
              </TableCell>
              {rowActions && <TableCell />}
            </TableRow>
          ),
        )}
      </TableBody>
    </Table>
  );
}
