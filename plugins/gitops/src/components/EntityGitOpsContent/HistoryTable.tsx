import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { ApplicationHistoryEntry } from '@kupe/plugin-gitops-common';
import { RevisionLink } from '../common/RevisionLink';
import { formatDuration } from '../../lib/relativeTime';

/** Deployments newest first, so the last change is what the eye meets. */
export function HistoryTable(props: {
  appName: string;
  history: ApplicationHistoryEntry[];
  repoURL?: string;
}) {
  const { appName, history, repoURL } = props;
  if (history.length === 0) {
    return <Typography variant="body2">No deployments yet.</Typography>;
  }
  const rows = [...history].sort(
    (a, b) => Date.parse(b.deployedAt) - Date.parse(a.deployedAt),
  );
  return (
    <Table size="small" aria-label={`Deployment history of ${appName}`}>
      <TableHead>
        <TableRow>
          <TableCell>Revision</TableCell>
          <TableCell>Author</TableCell>
          <TableCell>Message</TableCell>
          <TableCell>Deployed at</TableCell>
          <TableCell>Duration</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map(entry => (
          <TableRow key={entry.id}>
            <TableCell>
              {entry.chartVersion && !entry.revision ? (
                <code>{entry.chartVersion}</code>
              ) : (
                <RevisionLink repoURL={repoURL} revision={entry.revision} />
              )}
            </TableCell>
            <TableCell>
              {entry.author ??
                (entry.initiatedBy?.automated
                  ? 'automated sync'
                  : entry.initiatedBy?.username) ??
                '—'}
            </TableCell>
            <TableCell>{entry.message ?? '—'}</TableCell>
            <TableCell>
              <time dateTime={entry.deployedAt}>
                {new Date(entry.deployedAt).toLocaleString()}
              </time>
            </TableCell>
            <TableCell>
              {formatDuration(entry.deployStartedAt, entry.deployedAt) ?? '—'}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
