import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import ArrowForwardIcon from '@material-ui/icons/ArrowForward';
import type { ApplicationSummary } from '@kupe/plugin-gitops-common';
import {
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
            style={{ gap: 8 }}
            aria-label={`Environment ${stage.environment}`}
            data-testid="pipeline-stage"
          >
            {index > 0 && (
              <ArrowForwardIcon aria-hidden="true" color="action" />
            )}
            <Paper variant="outlined" style={{ padding: 12, minWidth: 200 }}>
              <Typography variant="subtitle1" component="h3">
                {stage.environment}
              </Typography>
              <Typography variant="body2" component="div">
                Deployed:{' '}
                {stage.revisions.length === 0
                  ? 'none'
                  : stage.revisions.map(r => (
                      <code key={r} title={r} style={{ marginRight: 4 }}>
                        {shortRevision(r)}
                      </code>
                    ))}
                {stage.targets.length > 0 && (
                  <span data-testid="pipeline-target">
                    (target{' '}
                    {stage.targets.map(r => (
                      <code key={r} title={r} style={{ marginRight: 4 }}>
                        {shortRevision(r)}
                      </code>
                    ))}
                    )
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
                        <code>{image}</code>
                      </li>
                    ))}
                  </Box>
                )}
              </Typography>
              <Typography
                variant="body2"
                component="p"
                color={stage.behind ? 'error' : 'textSecondary'}
                data-testid="pipeline-comparison"
              >
                {behindText(stage.behind, index === 0)}
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

function behindText(
  behind: ReturnType<typeof environmentPipeline>[number]['behind'],
  first: boolean,
): string {
  if (first) return 'First environment';
  if (!behind) return 'Same as the previous environment';
  const what = [
    behind.revisionDiffers && 'revision',
    behind.imagesDiffer && 'images',
  ]
    .filter(Boolean)
    .join(' and ');
  return `Behind ${behind.environment}: different ${what}`;
}
