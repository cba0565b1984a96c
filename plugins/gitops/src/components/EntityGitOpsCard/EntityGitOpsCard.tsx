import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { entityRouteParams, useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { isGitOpsAvailable, rollUp } from '@kupe/plugin-gitops-common';
import { useEntityApplications } from '../../hooks/useEntityApplications';
import { useNow } from '../../hooks/useNow';
import { groupByEnvironment } from '../../lib/environmentGroups';
import { toRollupInput } from '../../lib/rollupInput';
import { RollupStatusChip } from '../status/RollupStatusChip';
import { InstanceErrors } from '../common/InstanceErrors';
import { MissingGitOpsAnnotation } from '../common/MissingGitOpsAnnotation';
import { isLongOutOfSync } from '../common/ApplicationMarks';
import { ApplicationRow } from './ApplicationRow';

/**
 * Sync and health of the entity's Argo CD applications, grouped by environment.
 *
 * @public
 */
export function EntityGitOpsCard() {
  const { entity } = useEntity();
  const available = isGitOpsAvailable(entity);
  // A plain path rather than a route ref: the tab's path is `gitops` under the entity page
  // in both frontend systems, and the card must work in either without route bindings.
  const { namespace, kind, name } = entityRouteParams(entity, {
    encodeParams: true,
  });
  return (
    <section aria-label="GitOps" data-testid="gitops-card">
      <InfoCard
        title="GitOps"
        deepLink={
          available
            ? {
                title: 'View GitOps details',
                link: `/catalog/${namespace}/${kind}/${name}/gitops`,
              }
            : undefined
        }
      >
        {available ? (
          <CardBody entityRef={stringifyEntityRef(entity)} />
        ) : (
          <MissingGitOpsAnnotation />
        )}
      </InfoCard>
    </section>
  );
}

function CardBody(props: { entityRef: string }) {
  const { loading, error, data } = useEntityApplications(props.entityRef);
  const now = useNow();
  if (loading && !data) return <Progress />;
  if (error && !data) return <ResponseErrorPanel error={error} />;
  if (!data) return null;

  const rollup = rollUp(data.items.map(toRollupInput));
  const drifting = data.items.filter(app => isLongOutOfSync(app, now)).length;
  return (
    <>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        mb={1}
        style={{ gap: 8 }}
      >
        <RollupStatusChip rollup={rollup} />
        {drifting > 0 && (
          <Typography variant="body2" data-testid="rollup-drift">
            {drifting}{' '}
            {drifting === 1 ? 'application has' : 'applications have'} been
            OutOfSync for more than 15 minutes
          </Typography>
        )}
      </Box>
      <InstanceErrors errors={data.errors} />
      {data.items.length === 0 && data.errors.length === 0 && (
        <EmptyState
          missing="data"
          title="No Argo CD applications"
          description="No application matches this entity's annotations."
        />
      )}
      {groupByEnvironment(data.items).map(group => (
        <Box
          component="section"
          key={group.environment}
          aria-label={`Environment ${group.environment}`}
          mt={1}
        >
          <Typography variant="overline" component="h3">
            {group.environment}
          </Typography>
          <Box component="ul" m={0} p={0}>
            {group.apps.map(app => (
              <ApplicationRow
                key={`${app.instance}/${app.appNamespace}/${app.name}`}
                app={app}
                now={now}
              />
            ))}
          </Box>
        </Box>
      ))}
    </>
  );
}
