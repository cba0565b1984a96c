import { useEffect, useState } from 'react';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import type { Quarantine } from '@kupe/plugin-gitops-common';
import { gitOpsApiRef } from '../../api/GitOpsApi';
import { type GitOpsTranslate, gitOpsTranslationRef } from '../../translation';
import {
  quarantinesChanged,
  useEntityQuarantines,
} from '../../hooks/useEntityQuarantines';
import { shortRevision } from '../../lib/commitUrl';
import { RelativeTime } from '../common/RelativeTime';
import { QuarantineDialog } from './QuarantineDialog';
import { byWhom, liftedText, placesOf } from './quarantineText';

const HISTORY_RETRY_MS = 5_000;

const historyText = (t: GitOpsTranslate, q: Quarantine) =>
  q.deployedIn === undefined
    ? t('quarantine.readingHistory')
    : q.deployedIn
        .map(
          d =>
            `${d.name} #${d.historyId}${
              d.revision ? ` (${shortRevision(d.revision)})` : ''
            }`,
        )
        .join(', ');

/**
 * On the tab: the service's quarantined releases, where each still runs and which history
 * entries deployed it, with quarantining a version and lifting a quarantine (each with a
 * reason; the backend checks `gitops.release.quarantine` and audits both). Lifted ones follow,
 * with who lifted them and why.
 */
export function QuarantinePanel(props: { entityRef: string; now: number }) {
  const { entityRef, now } = props;
  const api = useApi(gitOpsApiRef);
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const quarantines = useEntityQuarantines(entityRef, { includeLifted: true });
  const [adding, setAdding] = useState(false);
  const [lifting, setLifting] = useState<Quarantine>();
  const items = quarantines.value?.items ?? [];
  const active = items.filter(q => q.active);
  const lifted = items.filter(q => !q.active).slice(0, 5);
  // The backend answers before the histories are read (a clone each); ask again shortly.
  const historyPending = active.some(q => q.deployedIn === undefined);
  const { reload } = quarantines;
  useEffect(() => {
    if (!historyPending) return undefined;
    const timer = setTimeout(reload, HISTORY_RETRY_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [historyPending, quarantines.value]);
  const done = (changed: boolean) => {
    setAdding(false);
    setLifting(undefined);
    // The banner above reads them too.
    if (changed) quarantinesChanged(entityRef);
  };
  return (
    <InfoCard
      title={t('quarantine.title')}
      subheader={t('quarantine.subheader')}
      action={
        <Button variant="outlined" onClick={() => setAdding(true)}>
          {t('quarantine.add')}
        </Button>
      }
    >
      <div data-testid="quarantine-panel">
        {quarantines.error && !quarantines.value && (
          <ResponseErrorPanel error={quarantines.error} />
        )}
        {quarantines.value && active.length === 0 && (
          <Typography variant="body2">{t('quarantine.none')}</Typography>
        )}
        {active.length > 0 && (
          <Table size="small" aria-label={t('quarantine.tableLabel')}>
            <TableHead>
              <TableRow>
                {(
                  [
                    'version',
                    'reason',
                    'runsIn',
                    'deployedBy',
                    'since',
                    'action',
                  ] as const
                ).map(column => (
                  <TableCell key={column}>
                    {t(`quarantine.columns.${column}`)}
                  </TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {active.map(q => (
                <TableRow key={q.id} data-testid={`quarantine-${q.version}`}>
                  <TableCell>
                    <strong>{q.version}</strong>
                  </TableCell>
                  <TableCell>{byWhom(t, q)}</TableCell>
                  <TableCell>
                    {placesOf(q.runningIn) || t('quarantine.nowhere')}
                  </TableCell>
                  <TableCell>
                    {historyText(t, q) || t('quarantine.noHistoryEntry')}
                  </TableCell>
                  <TableCell>
                    <RelativeTime time={q.createdAt} now={now} />
                  </TableCell>
                  <TableCell>
                    <Button
                      size="small"
                      onClick={() => setLifting(q)}
                      aria-label={t('quarantine.liftLabel', {
                        version: q.version,
                      })}
                    >
                      {t('quarantine.lift')}
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        {lifted.length > 0 && (
          <Typography variant="body2" color="textSecondary" component="div">
            {lifted.map(q => (
              <div key={q.id}>
                {liftedText(t, q)} <RelativeTime time={q.liftedAt} now={now} />
              </div>
            ))}
          </Typography>
        )}
      </div>
      <QuarantineDialog
        open={adding}
        askVersion
        title={t('quarantine.add')}
        description={t('quarantine.addDescription')}
        submitLabel={t('quarantine.quarantine')}
        submit={({ version, reason }) =>
          api.quarantine(entityRef, { version, reason })
        }
        onClose={done}
      />
      <QuarantineDialog
        open={!!lifting}
        title={t('quarantine.liftLabel', { version: lifting?.version ?? '' })}
        description={t('quarantine.liftDescription')}
        submitLabel={t('quarantine.lift')}
        submit={({ reason }) =>
          api.liftQuarantine(entityRef, lifting!.id, { reason })
        }
        onClose={done}
      />
    </InfoCard>
  );
}
