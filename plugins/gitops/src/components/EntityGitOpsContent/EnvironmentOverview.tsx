import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import ArrowDownwardIcon from '@material-ui/icons/ArrowDownward';
import { makeStyles } from '@material-ui/core/styles';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type {
  ApplicationDetail,
  ApplicationSummary,
} from '@kupe/plugin-gitops-common';
import type { KeyedValue } from '../../hooks/useKeyedAsync';
import type { PreviewState } from '../../hooks/usePromotionPreviews';
import {
  type StageComparison,
  type VersionDifference,
  appKey,
  comparisonsByApp,
  groupByEnvironment,
} from '../../lib/environmentGroups';
import { imageVersions } from '../../lib/imageVersions';
import { pendingTargetOf } from '../../lib/revisions';
import { type GitOpsTranslate, gitOpsTranslationRef } from '../../translation';
import { SyncStatusChip } from '../status/SyncStatusChip';
import { HealthStatusChip } from '../status/HealthStatusChip';
import { AutoSyncPauseNote } from '../common/AutoSyncPauseNote';
import { DeployedRevision } from '../common/DeployedRevision';
import { NameText } from '../common/NameText';
import { RelativeTime } from '../common/RelativeTime';
import { RevisionLink } from '../common/RevisionLink';
import { DashboardLinks } from './DashboardLinks';
import { authorName, deploymentAuthor } from './HistoryTable';

const useStyles = makeStyles({
  // Words wrap between words only: the theme's cells break anywhere ("Environmen t").
  table: { '& th, & td': { wordBreak: 'normal', overflowWrap: 'normal' } },
  // What waits reads on one or two lines: the last deploy wraps between who and when first.
  waiting: { minWidth: '13.5em' },
});

/** The id of an app's detail panel, which the overview's button controls. */
export const panelId = (app: ApplicationSummary) =>
  `gitops-panel-${appKey(app).replace(/[^\w-]/g, '-')}`;

/**
 * The tab at a glance: one row per environment in promotion order (one per app when an
 * environment has several) with sync and health, what runs, the last deployment, how it
 * compares with the environment before and what waits to deploy. Each app's name opens its
 * detail panel.
 */
export function EnvironmentOverview(props: {
  apps: ApplicationSummary[];
  previews: Map<string, PreviewState>;
  details: Map<string, KeyedValue<ApplicationDetail>>;
  open: ReadonlySet<string>;
  onToggle(app: ApplicationSummary): void;
  now: number;
}) {
  const { apps, previews, details, open, onToggle, now } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const groups = groupByEnvironment(apps);
  if (groups.length === 0) return null;
  const comparisons = comparisonsByApp(
    [...previews.values()].flatMap(p =>
      p.preview && !p.stale ? [p.preview] : [],
    ),
  );
  // Previews being read (first time or again): no comparison is claimed meanwhile.
  const pending = new Set(
    [...previews.values()].flatMap(p =>
      (p.stale || p.loading) && p.preview?.next
        ? [appKey(p.preview.next.application)]
        : [],
    ),
  );
  const firstRead = [...previews.values()].some(p => p.loading && !p.preview);
  return (
    <Box component="section" aria-labelledby="gitops-overview-heading" mb={2}>
      <Typography variant="h6" component="h2" id="gitops-overview-heading">
        {t('overview.title')}
      </Typography>
      <Table
        size="small"
        aria-labelledby="gitops-overview-heading"
        className={classes.table}
      >
        <TableHead>
          <TableRow>
            {(
              [
                'environment',
                'application',
                'status',
                'runs',
                'lastDeploy',
                'compared',
                'waiting',
              ] as const
            ).map(column => (
              <TableCell key={column}>
                {t(`overview.columns.${column}`)}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {groups.map((group, groupIndex) =>
            group.apps.map((app, index) => {
              const key = appKey(app);
              return (
                <TableRow
                  key={key}
                  data-testid="overview-row"
                  aria-label={`${group.environment}: ${app.name}`}
                >
                  {index === 0 && (
                    <TableCell
                      component="th"
                      scope="rowgroup"
                      rowSpan={group.apps.length}
                      style={{ whiteSpace: 'nowrap' }}
                    >
                      <strong>{group.environment}</strong>
                      <DashboardLinks
                        environment={group.environment}
                        apps={group.apps}
                      />
                    </TableCell>
                  )}
                  <TableCell>
                    <Button
                      size="small"
                      aria-expanded={open.has(key)}
                      aria-controls={panelId(app)}
                      onClick={() => onToggle(app)}
                      style={{ textTransform: 'none', maxWidth: 220 }}
                    >
                      <NameText text={app.name} />
                    </Button>
                  </TableCell>
                  <TableCell>
                    {/* The chips stack when the table is short of width (a long
                        "Waiting to deploy" beside an OutOfSync chip at 1280 px). */}
                    <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
                      <SyncStatusChip status={app.sync.status} />
                      <HealthStatusChip status={app.health.status} />
                    </Box>
                    <AutoSyncPauseNote app={app} now={now} />
                  </TableCell>
                  <TableCell data-testid="overview-runs">
                    <Runs app={app} />
                  </TableCell>
                  <TableCell data-testid="overview-last-deploy">
                    <LastDeploy detail={details.get(key)} app={app} now={now} />
                  </TableCell>
                  <TableCell data-testid="pipeline-comparison">
                    <ComparisonText
                      comparison={comparisons.get(key)}
                      first={groupIndex === 0}
                      comparing={
                        pending.has(key) || (firstRead && !comparisons.has(key))
                      }
                    />
                  </TableCell>
                  <TableCell
                    data-testid="overview-waiting"
                    className={classes.waiting}
                  >
                    <Waiting app={app} comparison={comparisons.get(key)} />
                  </TableCell>
                </TableRow>
              );
            }),
          )}
        </TableBody>
      </Table>
    </Box>
  );
}

/**
 * The running versions: image tags (whole reference as tooltip) and, for charts from a Helm
 * repository, `chart <name> <version>`; else the deployed revision.
 */
function Runs(props: { app: ApplicationSummary }) {
  const versions = [
    ...imageVersions(props.app.images),
    ...(props.app.sources ?? [])
      .filter(source => source.chart && source.deployedRevision)
      .map(source => ({
        image: `chart ${source.chart} ${source.deployedRevision}`,
        version: `chart ${source.chart} ${source.deployedRevision}`,
      })),
  ];
  if (versions.length === 0) return <DeployedRevision app={props.app} />;
  return (
    <>
      {versions.map((v, i) => (
        <span key={v.version}>
          {i > 0 && ', '}
          <code title={v.image} style={{ whiteSpace: 'nowrap' }}>
            {v.version}
          </code>
        </span>
      ))}
    </>
  );
}

/** Who made the change that runs and when it was deployed, from the newest history entry. */
function LastDeploy(props: {
  app: ApplicationSummary;
  detail?: KeyedValue<ApplicationDetail>;
  now: number;
}) {
  const { app, detail, now } = props;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const newest = detail?.value?.history
    .slice()
    .sort((a, b) => Date.parse(b.deployedAt) - Date.parse(a.deployedAt))[0];
  if (!newest) {
    return (
      <RelativeTime
        time={app.lastSyncedAt}
        now={now}
        fallback={
          detail?.loading || app.historyPending ? '…' : t('messages.never')
        }
      />
    );
  }
  const author = deploymentAuthor(newest);
  let by = newest.initiatedBy?.username;
  if (author) by = authorName(author);
  else if (newest.initiatedBy?.automated) by = t('history.automatedSync');
  return (
    <>
      {by && (
        <>
          <span title={author} style={{ whiteSpace: 'nowrap' }}>
            {by},
          </span>{' '}
        </>
      )}
      <RelativeTime time={newest.deployedAt} now={now} />
    </>
  );
}

const shortName = (name: string) =>
  name.startsWith('chart ') ? name : name.split('/').pop() ?? name;

function describe(
  t: GitOpsTranslate,
  differences: VersionDifference[],
  previous: string,
) {
  return differences
    .map(d =>
      t('overview.difference', {
        name: shortName(d.name),
        runs: d.runs.join(', ') || t('overview.notRun'),
        environment: previous,
        previous: d.previous.join(', ') || t('overview.doesNotRunIt'),
      }),
    )
    .join('; ');
}

/** Behind / same / ahead, from the previous environment's promotion preview. */
function ComparisonText(props: {
  comparison?: StageComparison;
  first: boolean;
  comparing: boolean;
}) {
  const { comparison, first, comparing } = props;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  if (first) return <>{t('overview.firstEnvironment')}</>;
  if (comparing) return <>{t('overview.comparing')}</>;
  if (!comparison) return <>{t('overview.notCompared')}</>;
  const { environment, relation, differences } = comparison;
  const described = describe(t, differences, environment);
  switch (relation) {
    case 'same':
      return <>{t('overview.same', { environment })}</>;
    case 'behind':
      return (
        <Box component="span" display="inline-flex" style={{ gap: 4 }}>
          <ArrowDownwardIcon
            fontSize="small"
            color="error"
            aria-hidden="true"
          />
          <span>
            <strong>{t('overview.behind', { environment })}</strong>:{' '}
            {described}
          </span>
        </Box>
      );
    case 'ahead':
      return (
        <>
          {t('overview.ahead', { environment })}: {described}
        </>
      );
    case 'differs':
      return (
        <>
          {t('overview.differs', { environment })}: {described}
        </>
      );
    case 'never-deployed':
      return <>{t('overview.neverDeployed')}</>;
    default:
      return <>{t('overview.nothingToCompare', { environment })}</>;
  }
}

/** What a promotion or a sync would deploy: the previous environment's version, Git's, a commit. */
function Waiting(props: {
  app: ApplicationSummary;
  comparison?: StageComparison;
}) {
  const { app, comparison } = props;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const items = [];
  if (comparison?.promotable) {
    items.push(
      <span key="promote">
        {t('overview.waitingPromotion', {
          version: <code>{comparison.promotable}</code>,
          environment: comparison.environment,
        })}
      </span>,
    );
  }
  if (comparison?.inGit.length) {
    items.push(
      <span key="git">
        {t('overview.waitingGit', {
          versions: comparison.inGit
            .map(d => `${shortName(d.name)} ${d.runs.join(', ')}`)
            .join(', '),
        })}
      </span>,
    );
  } else {
    const target = pendingTargetOf(app);
    if (target)
      items.push(
        <span key="sync">
          {t('overview.waitingCommit', {
            commit: (
              <RevisionLink
                repoURL={app.source?.repoURL}
                revision={target}
                label={t('messages.targetCommit')}
                testId="overview-target"
              />
            ),
          })}
        </span>,
      );
  }
  if (items.length === 0) return <>{t('overview.nothingWaiting')}</>;
  return (
    <>
      {items.map((item, i) => (
        <span key={item.key}>
          {i > 0 && '; '}
          {item}
        </span>
      ))}
    </>
  );
}
