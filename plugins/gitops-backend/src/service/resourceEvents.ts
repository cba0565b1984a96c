import { isError } from '@backstage/errors';
import type {
  ResourceEvent,
  ResourceEventsResponse,
} from '@kupe/plugin-gitops-common';
import type { KubernetesEvent, ResourceNode } from '@kupe/plugin-gitops-node';
import type { VisibleApplication } from './ApplicationAccess';
import { mapLimited } from './mapLimited';

/**
 * Argo CD lists events one resource at a time; an app with more nodes than this shows the
 * events of its first ones (pods and workloads first), so one big app cannot fan out into
 * hundreds of calls per view.
 */
const MAX_RESOURCES = 60;
const CONCURRENCY = 4;
/** Kinds whose events matter most when something is wrong, read first. */
const FIRST_KINDS = [
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Rollout',
  'Job',
];

function toResourceEvent(event: KubernetesEvent): ResourceEvent {
  return {
    kind: event.involvedObject.kind ?? '',
    namespace: event.involvedObject.namespace,
    name: event.involvedObject.name ?? '',
    type: event.type === 'Warning' ? 'Warning' : 'Normal',
    reason: event.reason ?? '',
    message: event.message ?? '',
    count: Math.max(1, event.count ?? 1),
    firstTimestamp: event.firstTimestamp ?? event.eventTime,
    lastTimestamp: event.lastTimestamp ?? event.eventTime,
    source: event.reportingComponent || event.source?.component || undefined,
  };
}

const rank = (kind: string) => {
  const i = FIRST_KINDS.indexOf(kind);
  return i < 0 ? FIRST_KINDS.length : i;
};

/** Warnings first, then the most recent first. */
export function byUrgency(a: ResourceEvent, b: ResourceEvent): number {
  if (a.type !== b.type) return a.type === 'Warning' ? -1 : 1;
  return (b.lastTimestamp ?? '').localeCompare(a.lastTimestamp ?? '');
}

/**
 * The Kubernetes events of an app's resources and of the Application itself, each read
 * through Argo CD with the app's project scope; a resource whose events fail is named in
 * `failed` and the others are still listed.
 */
export async function readResourceEvents(
  visible: VisibleApplication,
): Promise<ResourceEventsResponse> {
  const { client, scope } = visible;
  const name = visible.app.name;
  const tree = await client.getResourceTree(name, scope);
  const nodes = (tree.nodes ?? [])
    .filter(
      (
        n,
      ): n is ResourceNode & { name: string; namespace: string; uid: string } =>
        Boolean(n.name && n.namespace && n.uid),
    )
    .sort((a, b) => rank(a.kind ?? '') - rank(b.kind ?? ''))
    .slice(0, MAX_RESOURCES);
  const failed: ResourceEventsResponse['failed'] = [];
  const lists = await mapLimited(
    [undefined, ...nodes],
    CONCURRENCY,
    async node => {
      try {
        const list = await client.listEvents(name, {
          ...scope,
          resource: node && {
            name: node.name,
            namespace: node.namespace,
            uid: node.uid,
          },
        });
        return list.items ?? [];
      } catch (error) {
        failed.push({
          kind: node?.kind ?? 'Application',
          name: node?.name ?? name,
          message: isError(error) ? error.message : String(error),
        });
        return [];
      }
    },
  );
  return {
    items: lists.flat().map(toResourceEvent).sort(byUrgency),
    failed,
  };
}
