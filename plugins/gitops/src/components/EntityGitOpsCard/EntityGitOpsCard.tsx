import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { entityRouteParams, useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  type EntityApplicationsResponse,
  isGitOpsAvailable,
  rollUp,
} from '@kupe/plugin-gitops-common';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useEntityApplications } from '../../hooks/useEntityApplications';
import { useNow } from '../../hooks/useNow';
import { groupByEnvironment } from '../../lib/environmentGroups';
import { toRollupInput } from '../../lib/rollupInput';
import { RollupStatusChip } from '../status/RollupStatusChip';
import { InstanceErrors } from '../common/InstanceErrors';
import { MissingGitOpsAnnotation } from '../common/MissingGitOpsAnnotation';
import { NoApplications } from '../common/NoApplications';
import { isLongOutOfSync } from '../common/ApplicationMarks';
import { gitOpsTranslationRef } from '../../translation';
import { ApplicationRow } from './ApplicationRow';
import { QuarantineBanner } from '../Quarantine/QuarantineBanner';
import { ParentGroupRows } from './ParentGroupRows';
import { groupByParent } from '../../lib/parentGroups';

const useStyles = makeStyles(theme => ({
  // a narrow page scrolls the table sideways rather than breaking names
  scroll: { overflowX: 'auto' },
  head: { padding: theme.spacing(0.5, 1), whiteSpace: 'nowrap' },
  environment: {
    verticalAlign: 'top',
    padding: theme.spacing(0.75, 1),
    whiteSpace: 'nowrap',
    fontWeight: 500,
    textTransform: 'capitalize',
  },
}));

/**
 * Sync and health of the entity's Argo CD applications at a glance: one row per application,
 * environments in promotion order, with what runs and when it last synced.
 *
 * @public
 */
export function EntityGitOpsCard() {
  const { entity } = useEntity();
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const available = isGitOpsAvailable(entity);
  // A plain path rather than a route ref: the tab's path is `gitops` under the entity page
  // in both frontend systems, and the card must work in either without route bindings.
  const { namespace, kind, name } = entityRouteParams(entity, {
    encodeParams: true,
  });
  return (
    <section aria-label={t('card.title')} data-testid="gitops-card">
      {available ? (
        <CardBody
          entityRef={stringifyEntityRef(entity)}
          entityName={entity.metadata.title ?? entity.metadata.name}
          tabLink={`/catalog/${namespace}/${kind}/${name}/gitops`}
        />
      ) : (
        <InfoCard title={t('card.title')}>
          <MissingGitOpsAnnotation />
        </InfoCard>
      )}
    </section>
  );
}

function CardBody(props: {
  entityRef: string;
  entityName: string;
  tabLink: string;
}) {
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const { loading, error, data } = useEntityApplications(props.entityRef);
  const rollup = data && rollUp(data.items.map(toRollupInput));
  return (
    <InfoCard
      title={t('card.title')}
      action={
        rollup && data.items.length > 0 ? (
          <Box pt={1} pr={1}>
            <RollupStatusChip rollup={rollup} />
          </Box>
        ) : undefined
      }
      deepLink={{ title: t('card.deepLink'), link: props.tabLink }}
    >
      {loading && !data && <Progress />}
      {error && !data && <ResponseErrorPanel error={error} />}
      {data && (
        <QuarantineBanner
          entityRef={props.entityRef}
          runningQuarantines={data.runningQuarantines}
        />
      )}
      {data && <Applications data={data} entityName={props.entityName} />}
    </InfoCard>
  );
}

function Applications(props: {
  data: EntityApplicationsResponse;
  entityName: string;
}) {
  const { data } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const now = useNow();
  const drifting = data.items.filter(app => isLongOutOfSync(app, now)).length;
  const families = groupByParent(data.items);
  return (
    <>
      <InstanceErrors errors={data.errors} now={now} />
      {data.items.length === 0 && data.errors.length === 0 && (
        <NoApplications
          entityName={props.entityName}
          withheld={data.withheld}
        />
      )}
      {drifting > 0 && (
        <Typography variant="body2" data-testid="rollup-drift">
          {t('card.drift', { count: drifting })}
        </Typography>
      )}
      {data.items.length > 0 && (
        <div className={classes.scroll} data-testid="gitops-card-table">
          <Table size="small" aria-label={t('card.tableLabel')}>
            <TableHead>
              <TableRow>
                {(
                  [
                    'environment',
                    'application',
                    'status',
                    'running',
                    'synced',
                  ] as const
                ).map(h => (
                  <TableCell key={h} className={classes.head}>
                    {t(`card.columns.${h}`)}
                  </TableCell>
                ))}
              </TableRow>
            </TableHead>
            {groupByEnvironment(families.standalone).map(group => (
              <TableBody
                key={group.environment}
                aria-label={t('card.environmentGroup', {
                  environment: group.environment,
                })}
              >
                {group.apps.map((app, i) => (
                  <ApplicationRow
                    key={`${app.instance}/${app.appNamespace}/${app.name}`}
                    app={app}
                    now={now}
                    environmentCell={
                      i === 0 ? (
                        <TableCell
                          component="th"
                          scope="rowgroup"
                          rowSpan={group.apps.length}
                          className={classes.environment}
                        >
                          {group.environment}
                        </TableCell>
                      ) : undefined
                    }
                  />
                ))}
              </TableBody>
            ))}
            {families.groups.map(group => (
              <ParentGroupRows key={group.key} group={group} now={now} />
            ))}
          </Table>
        </div>
      )}
    </>
  );
}
