import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { ApplicationResourceSummary } from '@kupe/plugin-gitops-common';
import { gitOpsTranslationRef } from '../../translation';
import { SyncStatusChip } from '../status/SyncStatusChip';
import { HealthStatusChip } from '../status/HealthStatusChip';

export function ResourcesTable(props: {
  appName: string;
  resources: ApplicationResourceSummary[];
}) {
  const { appName, resources } = props;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  if (resources.length === 0) {
    return <Typography variant="body2">{t('resources.empty')}</Typography>;
  }
  return (
    <Table
      size="small"
      aria-label={t('resources.tableLabel', { name: appName })}
    >
      <TableHead>
        <TableRow>
          {(['kind', 'name', 'namespace', 'sync', 'health'] as const).map(
            column => (
              <TableCell key={column}>
                {t(`resources.columns.${column}`)}
              </TableCell>
            ),
          )}
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
              {r.requiresPruning ? ` ${t('resources.willBePruned')}` : ''}
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
