import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import ArrowForwardIcon from '@material-ui/icons/ArrowForward';
import type { ApplicationSummary } from '@kupe/plugin-gitops-common';
import {
  type StageComparison,
  type VersionDifference,
  environmentPipeline,
  groupByEnvironment,
} from '../../lib/environmentGroups';
import { shortRevision } from '../../lib/commitUrl';
import { DashboardLinks } from './DashboardLinks';

/**
 * What each environment runs, in promotion order, and which environments have not yet
 * received what the one before them runs.
 */
export function EnvironmentPipeline(props: { apps: ApplicationSummary[] }) {
  const stages = environmentPipeline(props.apps);
  if (stages.length === 0) return null;
  const appsOf = new Map(
    groupByEnvironment(props.apps).map(g => [g.environment, g.apps]),
  );
  return (
    <Box component="section" aria-labelledby="gitops-pipeline-heading" mb={2}>
      <Typography variant="h6" component="h2" id="gitops-pipeline-heading">
        Environment pipeline
      </Typography>
      <Box
        component="ol"
        display="flex"
        flexWrap="wrap"
        alignItems="stretch"
        p={0}
        m={0}
        style={{ gap: 8, listStyle: 'none' }}
      >
        {stages.map((stage, index) => (
          <Box
            component="li"
            key={stage.environment}
            display="flex"
            alignItems="center"
            // The stages share the row (long image names break) instead of wrapping one by one.
            flex="1 1 0"
            minWidth={220}
            style={{ gap: 8 }}
            aria-label={`Environment ${stage.environment}`}
            data-testid="pipeline-stage"
          >
            {index > 0 && (
              <ArrowForwardIcon aria-hidden="true" color="action" />
            )}
            <Paper
              variant="outlined"
              style={{
                padding: 12,
                flex: 1,
                alignSelf: 'stretch',
                minWidth: 0,
              }}
            >
              <Typography variant="subtitle1" component="h3">
                {stage.environment}
              </Typography>
              <Typography variant="body2" component="div">
                Deployed:{' '}
                {stage.revisions.length === 0 ? (
                  'none'
                ) : (
                  <Revisions revisions={stage.revisions} />
                )}
                {stage.targets.length > 0 && (
                  <span data-testid="pipeline-target">
                    {' '}
                    (target <Revisions revisions={stage.targets} />)
                  </span>
                )}
              </Typography>
              <Typography variant="body2" component="div">
                Images:{' '}
                {stage.images.length === 0 ? (
                  'none reported'
                ) : (
                  <Box component="ul" m={0} pl={2}>
                    {stage.images.map(image => (
                      <li key={image}>
                        <code style={{ overflowWrap: 'anywhere' }}>
                          {image}
                        </code>
                      </li>
                    ))}
                  </Box>
                )}
              </Typography>
              <Typography
                variant="body2"
                component="p"
                color={
                  stage.comparison?.relation === 'behind'
                    ? 'error'
                    : 'textSecondary'
                }
                data-testid="pipeline-comparison"
              >
                {comparisonText(stage.comparison, index === 0)}
              </Typography>
              <DashboardLinks
                environment={stage.environment}
                apps={appsOf.get(stage.environment) ?? []}
              />
            </Paper>
          </Box>
        ))}
      </Box>
    </Box>
  );
}

/** Short revisions, comma-separated, each titled with its full SHA. */
function Revisions(props: { revisions: string[] }) {
  return (
    <>
      {props.revisions.map((r, i) => (
        <span key={r}>
          {i > 0 && ', '}
          <code title={r}>{shortRevision(r)}</code>
        </span>
      ))}
    </>
  );
}

const shortName = (name: string) =>
  name.startsWith('chart ') ? name : name.split('/').pop() ?? name;

function describe(differences: VersionDifference[], previous: string) {
  return differences
    .map(
      d =>
        `${shortName(d.name)} ${d.runs.join(', ') || 'not run'} (${previous} ${
          d.previous.join(', ') || 'does not run it'
        })`,
    )
    .join('; ');
}

/** Behind / same / ahead, by what the environments run. */
function comparisonText(
  comparison: StageComparison | undefined,
  first: boolean,
): string {
  if (first || !comparison) return 'First environment';
  const { environment, relation, differences } = comparison;
  switch (relation) {
    case 'same':
      return `Runs what ${environment} runs`;
    case 'behind':
      return `Behind ${environment}: ${describe(differences, environment)}`;
    case 'ahead':
      return `Ahead of ${environment}: ${describe(differences, environment)}`;
    case 'differs':
      return `Differs from ${environment}: ${describe(
        differences,
        environment,
      )}`;
    default:
      return `Nothing to compare with ${environment}: no images or chart versions reported`;
  }
}
