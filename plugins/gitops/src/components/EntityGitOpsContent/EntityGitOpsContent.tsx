import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { isGitOpsAvailable, rollUp } from '@kupe/plugin-gitops-common';
import { useEntityApplications } from '../../hooks/useEntityApplications';
import { useNow } from '../../hooks/useNow';
import { groupByEnvironment } from '../../lib/environmentGroups';
import { toRollupInput } from '../../lib/rollupInput';
import { RollupStatusChip } from '../status/RollupStatusChip';
import { InstanceErrors } from '../common/InstanceErrors';
import { MissingGitOpsAnnotation } from '../common/MissingGitOpsAnnotation';
import { EnvironmentPipeline } from './EnvironmentPipeline';
import { ApplicationPanel } from './ApplicationPanel';
import { PromotionPanel } from './PromotionPanel';

/**
 * The GitOps tab: the promotion pipeline, then each application with its problems,
 * history, resources, drift and actions.
 *
 * @public
 */
export function EntityGitOpsContent() {
  const { entity } = useEntity();
  return (
    <Box component="section" aria-label="GitOps" data-testid="gitops-content">
      {isGitOpsAvailable(entity) ? (
        <ContentBody entityRef={stringifyEntityRef(entity)} />
      ) : (
        <MissingGitOpsAnnotation />
      )}
    </Box>
  );
}

function ContentBody(props: { entityRef: string }) {
  const { loading, error, data, applySummary } = useEntityApplications(
    props.entityRef,
  );
  const now = useNow();
  if (loading && !data) return <Progress />;
  if (error && !data) return <ResponseErrorPanel error={error} />;
  if (!data) return null;
  return (
    <>
      <Box display="flex" alignItems="center" mb={2} style={{ gap: 8 }}>
        <Typography variant="h5" component="h2">
          GitOps
        </Typography>
        <RollupStatusChip rollup={rollUp(data.items.map(toRollupInput))} />
      </Box>
      <InstanceErrors errors={data.errors} />
      {data.items.length === 0 && data.errors.length === 0 && (
        <EmptyState
          missing="data"
          title="No Argo CD applications"
          description="No application matches this entity's annotations."
        />
      )}
      <EnvironmentPipeline apps={data.items} />
      <PromotionPanel apps={data.items} />
      {groupByEnvironment(data.items).map(group =>
        group.apps.map(app => (
          <ApplicationPanel
            key={`${app.instance}/${app.appNamespace}/${app.name}`}
            app={app}
            now={now}
            onUpdated={applySummary}
          />
        )),
      )}
    </>
  );
}
