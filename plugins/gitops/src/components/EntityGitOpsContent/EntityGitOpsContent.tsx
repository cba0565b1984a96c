import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  type ApplicationSummary,
  applicationResourceRef,
  isGitOpsAvailable,
  rollUp,
} from '@kupe/plugin-gitops-common';
import { useApplicationDetails } from '../../hooks/useApplicationDetails';
import { useEntityApplications } from '../../hooks/useEntityApplications';
import { useNow } from '../../hooks/useNow';
import { usePromotionPreviews } from '../../hooks/usePromotionPreviews';
import { appKey, groupByEnvironment } from '../../lib/environmentGroups';
import { toRollupInput } from '../../lib/rollupInput';
import { gitOpsTranslationRef } from '../../translation';
import { RollupStatusChip } from '../status/RollupStatusChip';
import { InstanceErrors } from '../common/InstanceErrors';
import { MissingGitOpsAnnotation } from '../common/MissingGitOpsAnnotation';
import { NoApplications } from '../common/NoApplications';
import { EnvironmentOverview, panelId } from './EnvironmentOverview';
import { ApplicationPanel } from './ApplicationPanel';
import { QuarantineBanner } from '../Quarantine/QuarantineBanner';
import { QuarantinePanel } from '../Quarantine/QuarantinePanel';
import { ParentGroupsSection } from './ParentGroupsSection';
import { groupByParent } from '../../lib/parentGroups';

/**
 * The GitOps tab: an overview of every environment at a glance, then one collapsed panel per
 * application with its problems, actions, promotion, history, resources and drift. The
 * `application` query parameter (search results and notifications link with it) opens that
 * application's panel and scrolls to it.
 *
 * @public
 */
export function EntityGitOpsContent() {
  const { entity } = useEntity();
  const { t } = useTranslationRef(gitOpsTranslationRef);
  return (
    <Box
      component="section"
      aria-label={t('tab.title')}
      data-testid="gitops-content"
    >
      {isGitOpsAvailable(entity) ? (
        <ContentBody
          entityRef={stringifyEntityRef(entity)}
          entityName={entity.metadata.title ?? entity.metadata.name}
        />
      ) : (
        <MissingGitOpsAnnotation />
      )}
    </Box>
  );
}

/** Brings an app's panel into view once it has rendered open. */
function scrollToPanel(app: ApplicationSummary, behavior: ScrollBehavior) {
  requestAnimationFrame(() => {
    const panel = document.getElementById(panelId(app));
    // Not every DOM has it (jsdom): the panel is open either way.
    if (typeof panel?.scrollIntoView === 'function')
      panel.scrollIntoView({ block: 'start', behavior });
  });
}

/** Whether `?application=` names this app: its resource ref (`instance:namespace/name`) or name. */
function isLinked(app: ApplicationSummary, linked: string | null): boolean {
  return linked === applicationResourceRef(app) || linked === app.name;
}

function ContentBody(props: { entityRef: string; entityName: string }) {
  const { loading, error, data, applySummary } = useEntityApplications(
    props.entityRef,
  );
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const now = useNow();
  const apps = data?.items ?? [];
  const details = useApplicationDetails(apps);
  const previews = usePromotionPreviews(apps);
  const [searchParams] = useSearchParams();
  const linked = searchParams.get('application');
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const linkedApp = apps.find(app => isLinked(app, linked));
  const linkedKey = linkedApp && appKey(linkedApp);

  // Opens the linked app once it is listed, and brings its panel into view.
  useEffect(() => {
    if (!linkedKey) return;
    setOpen(previous => new Set(previous).add(linkedKey));
    scrollToPanel(linkedApp, 'auto');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [linkedKey]);

  // Once its detail is in, the panel is as tall as it gets: bring it into view again.
  const linkedLoaded = Boolean(linkedKey && details.get(linkedKey)?.value);
  useEffect(() => {
    if (linkedLoaded && linkedApp) scrollToPanel(linkedApp, 'auto');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [linkedLoaded]);

  const toggle = (app: ApplicationSummary) =>
    setOpen(previous => {
      const next = new Set(previous);
      const key = appKey(app);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  const openPanel = (app: ApplicationSummary) => {
    toggle(app);
    if (!open.has(appKey(app))) scrollToPanel(app, 'smooth');
  };
  const families = groupByParent(apps);

  if (loading && !data) return <Progress />;
  if (error && !data) return <ResponseErrorPanel error={error} />;
  if (!data) return null;
  return (
    <>
      <Box display="flex" alignItems="center" mb={1} style={{ gap: 8 }}>
        <Typography variant="h5" component="h2">
          {t('tab.title')}
        </Typography>
        <RollupStatusChip rollup={rollUp(data.items.map(toRollupInput))} />
      </Box>
      <InstanceErrors errors={data.errors} now={now} />
      <QuarantineBanner
        entityRef={props.entityRef}
        runningQuarantines={data.runningQuarantines}
      />
      {data.items.length === 0 && data.errors.length === 0 && (
        <NoApplications
          entityName={props.entityName}
          withheld={data.withheld}
        />
      )}
      <EnvironmentOverview
        apps={families.standalone}
        previews={previews}
        details={details}
        open={open}
        onToggle={openPanel}
        now={now}
      />
      <ParentGroupsSection
        groups={families.groups}
        open={open}
        onToggle={openPanel}
        now={now}
      />
      {data.items.length > 0 && (
        <QuarantinePanel entityRef={props.entityRef} now={now} />
      )}
      {groupByEnvironment(data.items).map(group =>
        group.apps.map(app => {
          const key = appKey(app);
          return (
            <ApplicationPanel
              key={key}
              app={app}
              now={now}
              onUpdated={applySummary}
              detail={details.get(key)}
              preview={previews.get(key)}
              open={open.has(key)}
              onToggle={() => toggle(app)}
              entityRef={props.entityRef}
            />
          );
        }),
      )}
    </>
  );
}
