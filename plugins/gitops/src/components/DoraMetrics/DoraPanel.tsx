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
import type { DoraFigure, DoraResponse } from '@kupe/plugin-gitops-common';
import { DoraChart } from './DoraChart';
import { formatDoraDuration, formatPerWeek, formatRate } from './doraFormat';

function Figure(props: { label: string; value: string; figure: DoraFigure }) {
  const { label, value, figure } = props;
  return (
    <Grid item xs={6} md={3}>
      <Typography variant="body2" color="textSecondary" component="h3">
        {label}
      </Typography>
      <Typography variant="h5" component="p" data-testid={`dora-${label}`}>
        {value}
      </Typography>
      <Typography variant="caption" color="textSecondary">
        {figure.count ?? 0} measured
        {figure.unknown ? `, ${figure.unknown} unknown` : ''}
      </Typography>
    </Grid>
  );
}

const KIND_WORDS = {
  change: 'Change',
  restore: 'Restore',
  redeploy: 'Re-sync',
} as const;

// Short cells never break inside a word ("Chan ge"); the app and the outcome wrap instead.
const NOWRAP = { whiteSpace: 'nowrap' } as const;

const OUTCOME_WORDS = {
  succeeded: 'Succeeded',
  failed: 'Failed',
  pending: 'Validating',
} as const;

/**
 * The four DORA figures of a period, a chart of changes over time, and an expandable "how
 * computed" with each figure's method, what is unknown, and every deployment counted.
 */
export function DoraPanel(props: { dora: DoraResponse }) {
  const { dora } = props;
  return (
    <Box>
      <Grid container spacing={2}>
        <Figure
          label="Deployment frequency"
          value={formatPerWeek(dora.deploymentFrequency.value)}
          figure={dora.deploymentFrequency}
        />
        <Figure
          label="Lead time for changes"
          value={formatDoraDuration(dora.leadTime.value)}
          figure={dora.leadTime}
        />
        <Figure
          label="Change failure rate"
          value={formatRate(dora.changeFailureRate.value)}
          figure={dora.changeFailureRate}
        />
        <Figure
          label="Time to restore"
          value={formatDoraDuration(dora.timeToRestore.value)}
          figure={dora.timeToRestore}
        />
      </Grid>
      <Box mt={2}>
        <DoraChart buckets={dora.buckets} />
        <Typography variant="caption" color="textSecondary">
          Production changes per {dora.days <= 31 ? 'day' : 'week'} over the
          last {Math.round(dora.days)} days; failed ones in red.
        </Typography>
      </Box>
      <Accordion elevation={0} variant="outlined">
        <AccordionSummary expandIcon={<ExpandMoreIcon />}>
          <Typography variant="body2">
            How computed, from {dora.deployments.length} production deployments
          </Typography>
        </AccordionSummary>
        <AccordionDetails>
          <Box width="100%">
            {(
              [
                ['Deployment frequency', dora.deploymentFrequency],
                ['Lead time for changes', dora.leadTime],
                ['Change failure rate', dora.changeFailureRate],
                ['Time to restore', dora.timeToRestore],
              ] as const
            ).map(([label, figure]) => (
              <Typography key={label} variant="body2" paragraph>
                <strong>{label}:</strong> {figure.how}
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
            <Table size="small" aria-label="Deployments counted">
              <TableHead>
                <TableRow>
                  <TableCell style={NOWRAP}>Application</TableCell>
                  <TableCell style={NOWRAP}>Revision</TableCell>
                  <TableCell>Deployed</TableCell>
                  <TableCell>Kind</TableCell>
                  <TableCell>Outcome</TableCell>
                  <TableCell style={NOWRAP}>Lead time</TableCell>
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
                      {d.deployedAt.slice(0, 16).replace('T', ' ')} UTC
                    </TableCell>
                    <TableCell style={NOWRAP}>{KIND_WORDS[d.kind]}</TableCell>
                    <TableCell>
                      {d.outcome === 'failed'
                        ? `Failed: ${d.failure?.detail ?? ''}`
                        : OUTCOME_WORDS[d.outcome]}
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
