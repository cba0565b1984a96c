import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  Progress,
  ResponseErrorPanel,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import type {
  ApplicationSummary,
  ResourceEvent,
} from '@kupe/plugin-gitops-common';
import { useAsyncValue } from '../../hooks/useAsyncValue';
import type { GitOpsLogsClient } from '../../api/GitOpsLogsClient';

const columns: TableColumn<ResourceEvent>[] = [
  {
    title: 'Type',
    field: 'type',
    // Bold rather than red: MUI's error red on white fails the contrast check.
    render: e => (e.type === 'Warning' ? <strong>Warning</strong> : 'Normal'),
  },
  { title: 'Reason', field: 'reason' },
  { title: 'Object', render: e => `${e.kind}/${e.name}` },
  { title: 'Message', field: 'message' },
  { title: 'Count', field: 'count', type: 'numeric' },
  {
    title: 'Last seen',
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
      aria-label={`Events of ${app.name}`}
      mt={2}
      data-testid="resource-events"
    >
      {events.error && <ResponseErrorPanel error={events.error} />}
      {events.loading && !events.value && <Progress />}
      {events.value?.failed.map(f => (
        <Alert key={`${f.kind}/${f.name}`} severity="warning">
          Events of {f.kind}/{f.name} could not be read: {f.message}
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
          columns={columns}
          data={events.value.items}
          emptyContent={
            <Box p={2}>
              <Typography variant="body2">
                No events: Kubernetes keeps them for an hour.
              </Typography>
            </Box>
          }
        />
      )}
    </Box>
  );
}
