import type {
  LogPodsResponse,
  PodLogsResponse,
  ResourceEventsResponse,
} from '@kupe/plugin-gitops-common';
import { readResourceEvents } from '../service/resourceEvents';
import type { ApplicationGate } from './applicationGate';
import {
  type FollowedLog,
  openFollowedLog,
  podsOf,
  readPodLogs,
  readPodLogsRequest,
  requirePodOfApp,
  sendFollowedLog,
  sendLogDownload,
} from './podLogs';

type LogsAnswer =
  | { kind: 'lines'; logs: PodLogsResponse; download: boolean }
  | { kind: 'follow'; log: FollowedLog };

/**
 * Events and logs of one application's resources, behind the {@link ApplicationGate}:
 * `GET .../resource-events` and `GET .../pods` with the read permission, `GET .../logs` with
 * `gitops.application.logs`, every read of it audited (who, which pod and container; never a
 * line of the log).
 */
export function registerLogRoutes(gate: ApplicationGate): void {
  gate.get('/instances/{instance}/applications/{name}/resource-events', {
    audit: { eventId: 'application-events-read' },
    handle: ({ visible }): Promise<ResourceEventsResponse> =>
      readResourceEvents(visible),
  });

  gate.get('/instances/{instance}/applications/{name}/pods', {
    audit: { eventId: 'application-pods-read' },
    handle: async ({ visible }): Promise<LogPodsResponse> => {
      const [tree, managed] = await Promise.all([
        visible.client.getResourceTree(visible.app.name, visible.scope),
        visible.client.getManagedResources(visible.app.name, visible.scope),
      ]);
      return { items: podsOf(tree, managed) };
    },
  });

  gate.get('/instances/{instance}/applications/{name}/logs', {
    audit: {
      eventId: 'application-logs-read',
      // Logs can hold secrets: every read is recorded, not only refusals.
      always: true,
      severityLevel: () => 'medium',
      meta: req => {
        const ask = readPodLogsRequest(req);
        return {
          namespace: ask.namespace,
          pod: ask.pod,
          container: ask.container,
          sinceSeconds: ask.sinceSeconds,
          tailLines: ask.tailLines,
          previous: ask.previous,
          follow: ask.follow,
          download: ask.download,
        };
      },
    },
    handle: async ({ req, visible }): Promise<LogsAnswer> => {
      const ask = readPodLogsRequest(req);
      await requirePodOfApp(visible, ask);
      if (ask.follow) {
        return { kind: 'follow', log: await openFollowedLog(visible, ask) };
      }
      return {
        kind: 'lines',
        logs: await readPodLogs(visible, ask, req),
        download: ask.download,
      };
    },
    send: (res, answer) => {
      if (answer.kind === 'follow') return sendFollowedLog(res, answer.log);
      if (answer.download) return sendLogDownload(res, answer.logs);
      return void res.json(answer.logs);
    },
  });
}
