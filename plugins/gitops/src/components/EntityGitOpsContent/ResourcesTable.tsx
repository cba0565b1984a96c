import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { ApplicationResourceSummary } from '@kupe/plugin-gitops-common';
import { SyncStatusChip } from '../status/SyncStatusChip';
import { HealthStatusChip } from '../status/HealthStatusChip';

export function ResourcesTable(props: {
  appName: string;
  resources: ApplicationResourceSummary[];
}) {
  const { appName, resources } = props;
  if (resources.length === 0) {
    return <Typography variant="body2">No managed resources.</Typography>;
  }
  return (
    <Table size="small" aria-label={`Resources of ${appName}`}>
      <TableHead>
        <TableRow>
          <TableCell>Kind</TableCell>
          <TableCell>Name</TableCell>
          <TableCell>Namespace</TableCell>
          <TableCell>Sync</TableCell>
          <TableCell>Health</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {resources.map(r => (
          <TableRow
            key={`${r.group ?? ''}/${r.kind}/${r.namespace ?? ''}/${r.name}`}
          >
            <TableCell>{r.kind}</TableCell>
            <TableCell>
              {r.name}
              {r.requiresPruning ? ' (will be pruned)' : ''}
            </TableCell>
            <TableCell>{r.namespace ?? '—'}</TableCell>
            <TableCell>
              {r.status ? <SyncStatusChip status={r.status} /> : '—'}
            </TableCell>
            <TableCell>
              {r.health ? <HealthStatusChip status={r.health} /> : '—'}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
