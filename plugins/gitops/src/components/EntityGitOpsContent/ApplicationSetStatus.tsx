import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import type {
  ApplicationSetDetail,
  ApplicationSetGeneratorSummary,
} from '@kupe/plugin-gitops-common';
import { type ApplicationRef, gitOpsApiRef } from '../../api/GitOpsApi';
import { useAsyncValue } from '../../hooks/useAsyncValue';
import { gitOpsTranslationRef } from '../../translation';
import { HealthStatusChip } from '../status/HealthStatusChip';
import { RelativeTime } from '../common/RelativeTime';

const useStyles = makeStyles(theme => ({
  table: { '& th, & td': { wordBreak: 'normal', overflowWrap: 'normal' } },
  code: { fontFamily: 'monospace', fontSize: '0.8125rem' },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: theme.spacing(1, 0),
  },
}));

/** One generator as people read it: where it looks and with what parameters. */
function Generator(props: { generator: ApplicationSetGeneratorSummary }) {
  const { generator } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(gitOpsTranslationRef);
  return (
    <Box component="li" mb={1}>
      <Typography variant="body2" component="div">
        <strong>{generator.type}</strong>
        {generator.repoURL && (
          <>
            {' '}
            <span className={classes.code}>{generator.repoURL}</span>
            {generator.revision && (
              <span className={classes.code}> @ {generator.revision}</span>
            )}
          </>
        )}
      </Typography>
      <Typography variant="caption" color="textSecondary" component="div">
        {t('applicationSet.parameters')}
      </Typography>
      <ul
        aria-label={t('applicationSet.parametersLabel', {
          generator: generator.type,
        })}
      >
        {(generator.directories ?? []).map(d => (
          <li key={`${d.path}/${d.exclude}`} className={classes.code}>
            {d.exclude
              ? t('applicationSet.excluded', { path: d.path })
              : d.path}
          </li>
        ))}
        {(generator.elements ?? []).map(element => {
          const text = Object.entries(element)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ');
          return (
            <li key={text} className={classes.code}>
              {text}
            </li>
          );
        })}
        {Object.entries(generator.values ?? {}).map(([k, v]) => (
          <li key={k} className={classes.code}>
            values.{k}={v}
          </li>
        ))}
      </ul>
    </Box>
  );
}

function Detail(props: { set: ApplicationSetDetail; now: number }) {
  const { set, now } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const headingId = `gitops-appset-${set.name}-conditions`;
  return (
    <>
      <div className={classes.facts}>
        <Typography variant="body2">{t('applicationSet.health')}</Typography>
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          <HealthStatusChip status={set.health?.status} />
          {set.health?.message && (
            <Typography variant="body2">{set.health.message}</Typography>
          )}
        </Box>
        <Typography variant="body2">
          {t('applicationSet.applicationName')}
        </Typography>
        <Typography variant="body2" className={classes.code}>
          {set.templateName}
        </Typography>
        <Typography variant="body2">{t('applicationSet.policy')}</Typography>
        <Typography variant="body2" className={classes.code}>
          {set.applicationsSync}
        </Typography>
      </div>
      <Typography variant="subtitle2" component="h4" id={headingId}>
        {t('applicationSet.conditions')}
      </Typography>
      {set.conditions.length === 0 ? (
        <Typography variant="body2">
          {t('applicationSet.noConditions')}
        </Typography>
      ) : (
        <Table
          size="small"
          aria-labelledby={headingId}
          className={classes.table}
        >
          <TableHead>
            <TableRow>
              {(['type', 'status', 'reason', 'message', 'since'] as const).map(
                c => (
                  <TableCell key={c}>
                    {t(`applicationSet.conditionColumns.${c}`)}
                  </TableCell>
                ),
              )}
            </TableRow>
          </TableHead>
          <TableBody>
            {set.conditions.map(c => (
              <TableRow key={c.type} data-testid="appset-condition">
                <TableCell>{c.type}</TableCell>
                <TableCell>{c.status}</TableCell>
                <TableCell>{c.reason}</TableCell>
                <TableCell>{c.message}</TableCell>
                <TableCell>
                  <RelativeTime time={c.lastTransitionTime} now={now} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Box mt={2}>
        <Typography variant="subtitle2" component="h4">
          {t('applicationSet.generators')}
        </Typography>
        <ul>
          {set.generators.map((g, i) => (
            <Generator key={i} generator={g} />
          ))}
        </ul>
      </Box>
    </>
  );
}

/**
 * The ApplicationSet behind a group of generated apps, read through one of its members (the
 * backend reaches a set only through an app of the caller's tenant): its health, conditions
 * and generators with their parameters. Reloads when the members change.
 */
export function ApplicationSetStatus(props: {
  member: ApplicationRef;
  /** Changes when a member is added, removed or changes state. */
  version: string;
  now: number;
}) {
  const { member, version, now } = props;
  const api = useApi(gitOpsApiRef);
  const set = useAsyncValue(
    () => api.getApplicationSet(member),
    [api, member.instance, member.appNamespace, member.name, version],
  );
  if (set.loading && !set.value) return <Progress />;
  if (set.error && !set.value) return <ResponseErrorPanel error={set.error} />;
  return set.value ? <Detail set={set.value} now={now} /> : null;
}
