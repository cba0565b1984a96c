import type { ReactNode } from 'react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type {
  ApplicationHistoryEntry,
  RolloutRecord,
} from '@kupe/plugin-gitops-common';
import type { ApplicationRef } from '../../api/GitOpsApi';
import { useRollouts } from '../../hooks/useRollouts';
import { RevisionLink } from '../common/RevisionLink';
import { formatDuration } from '../../lib/relativeTime';
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
 * Deployments and rollouts newest first. A deployment's validation is the rollout that
 * started it (Argo CD's history `deployStartedAt` is the operation's `startedAt`); rollouts
 * without a deployment (a failed sync, one still running) get rows of their own.
 */
function historyRows(
  history: ApplicationHistoryEntry[],
  rollouts: RolloutRecord[],
): Row[] {
  const byStart = new Map(rollouts.map(r => [time(r.startedAt), r]));
  const used = new Set<RolloutRecord>();
  const rows: Row[] = history.map(entry => {
    const rollout = byStart.get(time(entry.deployStartedAt));
    if (rollout) used.add(rollout);
    return { kind: 'deploy', at: time(entry.deployedAt), entry, rollout };
  });
  for (const rollout of rollouts) {
    if (!used.has(rollout))
      rows.push({ kind: 'rollout', at: time(rollout.startedAt), rollout });
  }
  return rows.sort((a, b) => b.at - a.at);
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
}) {
  const { appName, history, repoURL, app, rowActions } = props;
  // Reloaded with the detail (a new history), which reloads on every live change.
  const rollouts = useRollouts(app, [history]);
  const validated = !!app && rollouts.value !== undefined;
  const rows = historyRows(history, rollouts.value?.items ?? []);
  if (rows.length === 0) {
    return <Typography variant="body2">No deployments yet.</Typography>;
  }
  return (
    <Table size="small" aria-label={`Deployment history of ${appName}`}>
      <TableHead>
        <TableRow style={{ whiteSpace: 'nowrap' }}>
          <TableCell>Revision</TableCell>
          <TableCell>Author</TableCell>
          <TableCell>Message</TableCell>
          <TableCell>Deployed at</TableCell>
          <TableCell>Duration</TableCell>
          {validated && <TableCell>Validation</TableCell>}
          {rowActions && <TableCell>Actions</TableCell>}
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
              </TableCell>
              <TableCell>
                {row.entry.author ? (
                  <span title={row.entry.author}>
                    {authorName(row.entry.author)}
                  </span>
                ) : (
                  (row.entry.initiatedBy?.automated
                    ? 'automated sync'
                    : row.entry.initiatedBy?.username) ?? '—'
                )}
              </TableCell>
              <TableCell>{row.entry.message ?? '—'}</TableCell>
              <TableCell>
                <time dateTime={row.entry.deployedAt}>
                  {new Date(row.entry.deployedAt).toLocaleString()}
                </time>
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
                  ? 'Sync in progress'
                  : 'Not deployed'}
              </TableCell>
              <TableCell>
                started{' '}
                <time dateTime={row.rollout.startedAt}>
                  {new Date(row.rollout.startedAt).toLocaleString()}
                </time>
              </TableCell>
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
