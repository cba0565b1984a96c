import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  Progress,
  ResponseErrorPanel,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type {
  ApplicationSummary,
  ResourceEvent,
} from '@kupe/plugin-gitops-common';
import { useAsyncValue } from '../../hooks/useAsyncValue';
import type { GitOpsLogsClient } from '../../api/GitOpsLogsClient';
import { type GitOpsTranslate, gitOpsTranslationRef } from '../../translation';

const columnsOf = (t: GitOpsTranslate): TableColumn<ResourceEvent>[] => [
  {
    title: t('logs.eventColumns.type'),
    field: 'type',
    // Bold rather than red: MUI's error red on white fails the contrast check.
    render: e => (e.type === 'Warning' ? <strong>Warning</strong> : 'Normal'),
  },
  { title: t('logs.eventColumns.reason'), field: 'reason' },
  { title: t('logs.eventColumns.object'), render: e => `${e.kind}/${e.name}` },
  { title: t('logs.eventColumns.message'), field: 'message' },
  { title: t('logs.eventColumns.count'), field: 'count', type: 'numeric' },
  {
    title: t('logs.eventColumns.lastSeen'),
    render: e =>
      e.lastTimestamp
        ? new Date(e.lastTimestamp).toISOString().replace(/\.000Z$/, 'Z')
        : '',
  },
];

/**
 * The Kubernetes events of the app's resources, warnings first, read when the panel opens
 * (Argo CD answers them one resource at a time, so they are not polled).
 */
export function ResourceEvents(props: {
  app: ApplicationSummary;
  client: GitOpsLogsClient;
}) {
  const { app, client } = props;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const events = useAsyncValue(
    () =>
      client.getResourceEvents({
        instance: app.instance,
        appNamespace: app.appNamespace,
        name: app.name,
      }),
    [client, app.instance, app.appNamespace, app.name],
  );
  return (
    <Box
      component="section"
      aria-label={t('logs.eventsLabel', { name: app.name })}
      mt={2}
      data-testid="resource-events"
    >
      {events.error && <ResponseErrorPanel error={events.error} />}
      {events.loading && !events.value && <Progress />}
      {events.value?.failed.map(f => (
        <Alert key={`${f.kind}/${f.name}`} severity="warning">
          {t('logs.eventsFailed', {
            object: `${f.kind}/${f.name}`,
            reason: f.message,
          })}
        </Alert>
      ))}
      {events.value && (
        <Table<ResourceEvent>
          options={{
            paging: events.value.items.length > 10,
            pageSize: 10,
            search: false,
            toolbar: false,
            sorting: false,
            padding: 'dense',
          }}
          columns={columnsOf(t)}
          data={events.value.items}
          emptyContent={
            <Box p={2}>
              <Typography variant="body2">{t('logs.noEvents')}</Typography>
            </Box>
          }
        />
      )}
    </Box>
  );
}
