import Box from '@material-ui/core/Box';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { DoraFigure, DoraResponse } from '@kupe/plugin-gitops-common';
import { gitOpsTranslationRef } from '../../translation';
import { DoraChart } from './DoraChart';
import { formatDoraDuration, formatPerWeek, formatRate } from './doraFormat';

const FIGURES = [
  ['deploymentFrequency', 'Deployment frequency'],
  ['leadTime', 'Lead time for changes'],
  ['changeFailureRate', 'Change failure rate'],
  ['timeToRestore', 'Time to restore'],
] as const;

type FigureKey = (typeof FIGURES)[number][0];

/** One figure; `testId` names it in English whatever the app's wording. */
function Figure(props: {
  name: FigureKey;
  testId: string;
  value: string;
  figure: DoraFigure;
}) {
  const { name, testId, value, figure } = props;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  return (
    <Grid item xs={6} md={3}>
      <Typography variant="body2" color="textSecondary" component="h3">
        {t(`dora.figures.${name}`)}
      </Typography>
      <Typography variant="h5" component="p" data-testid={`dora-${testId}`}>
        {value}
      </Typography>
      <Typography variant="caption" color="textSecondary">
        {figure.unknown
          ? t('dora.measuredWithUnknown', {
              number: String(figure.count ?? 0),
              unknown: String(figure.unknown),
            })
          : t('dora.measured', { number: String(figure.count ?? 0) })}
      </Typography>
    </Grid>
  );
}

// Short cells never break inside a word ("Chan ge"); the app and the outcome wrap instead.
const NOWRAP = { whiteSpace: 'nowrap' } as const;

/**
 * The four DORA figures of a period, a chart of changes over time, and an expandable "how
 * computed" with each figure's method, what is unknown, and every deployment counted.
 */
export function DoraPanel(props: { dora: DoraResponse }) {
  const { dora } = props;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const values: Record<FigureKey, string> = {
    deploymentFrequency: formatPerWeek(dora.deploymentFrequency.value),
    leadTime: formatDoraDuration(dora.leadTime.value),
    changeFailureRate: formatRate(dora.changeFailureRate.value),
    timeToRestore: formatDoraDuration(dora.timeToRestore.value),
  };
  return (
    <Box>
      <Grid container spacing={2}>
        {FIGURES.map(([name, testId]) => (
          <Figure
            key={name}
            name={name}
            testId={testId}
            value={values[name]}
            figure={dora[name]}
          />
        ))}
      </Grid>
      <Box mt={2}>
        <DoraChart buckets={dora.buckets} />
        <Typography variant="caption" color="textSecondary">
          {t(dora.days <= 31 ? 'dora.perDay' : 'dora.perWeek', {
            days: String(Math.round(dora.days)),
          })}
        </Typography>
      </Box>
      <Accordion elevation={0} variant="outlined">
        <AccordionSummary expandIcon={<ExpandMoreIcon />}>
          <Typography variant="body2">
            {t('dora.howComputed', { count: dora.deployments.length })}
          </Typography>
        </AccordionSummary>
        <AccordionDetails>
          <Box width="100%">
            {FIGURES.map(([name]) => (
              <Typography key={name} variant="body2" paragraph>
                <strong>
                  {t('dora.figureHow', { figure: t(`dora.figures.${name}`) })}
                </strong>
                {dora[name].how}
              </Typography>
            ))}
            {[...dora.unknown, ...dora.errors.map(e => e.message)].map(text => (
              <Typography
                key={text}
                variant="body2"
                color="textSecondary"
                paragraph
              >
                {text}
              </Typography>
            ))}
            <Table size="small" aria-label={t('dora.deploymentsLabel')}>
              <TableHead>
                <TableRow>
                  <TableCell style={NOWRAP}>
                    {t('dora.columns.application')}
                  </TableCell>
                  <TableCell style={NOWRAP}>
                    {t('dora.columns.revision')}
                  </TableCell>
                  <TableCell>{t('dora.columns.deployed')}</TableCell>
                  <TableCell>{t('dora.columns.kind')}</TableCell>
                  <TableCell>{t('dora.columns.outcome')}</TableCell>
                  <TableCell style={NOWRAP}>
                    {t('dora.columns.leadTime')}
                  </TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {dora.deployments.map(d => (
                  <TableRow key={`${d.instance}/${d.app}@${d.deployedAt}`}>
                    <TableCell>{d.app}</TableCell>
                    <TableCell style={NOWRAP}>
                      <code>{d.revision?.slice(0, 7) ?? '—'}</code>
                    </TableCell>
                    <TableCell>
                      {t('dora.deployedAt', {
                        time: d.deployedAt.slice(0, 16).replace('T', ' '),
                      })}
                    </TableCell>
                    <TableCell style={NOWRAP}>
                      {t(`dora.kind.${d.kind}`)}
                    </TableCell>
                    <TableCell>
                      {d.outcome === 'failed'
                        ? t('dora.failedBecause', {
                            detail: d.failure?.detail ?? '',
                          })
                        : t(`dora.outcome.${d.outcome}`)}
                    </TableCell>
                    <TableCell style={NOWRAP}>
                      {d.leadTimeMs === undefined
                        ? '—'
                        : formatDoraDuration(d.leadTimeMs)}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Box>
        </AccordionDetails>
      </Accordion>
    </Box>
  );
}
