import { createHash } from 'node:crypto';
import type {
  ApplicationTree,
  KubernetesEvent,
  ManagedResourcesResponse,
  ResourceNode,
} from '@kupe/plugin-gitops-node';
import { ArgoCdApiError, GrpcCode } from './errors';
import {
  containersOf,
  crashRunStarts,
  isCrashingRelease,
  restartCount,
} from './podLogs';

/**
 * Kubernetes events of the resources in an app's tree, as a cluster's scheduler, kubelet and
 * controllers would have written them: a Deployment scaled its ReplicaSet, which created its
 * Pods, which were scheduled, pulled, created and started; a Pod of a release that crashes on
 * start also has `BackOff` (Warning, counted once per restart).
 */

function rfc3339(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function eventOf(
  node: ResourceNode,
  index: number,
  event: {
    reason: string;
    message: string;
    type?: 'Normal' | 'Warning';
    component: string;
    host?: string;
    firstMs: number;
    lastMs?: number;
    count?: number;
  },
): KubernetesEvent {
  const suffix = createHash('sha1')
    .update(`${node.uid}/${index}`)
    .digest('hex')
    .slice(0, 16);
  const first = rfc3339(event.firstMs);
  const last = rfc3339(event.lastMs ?? event.firstMs);
  return {
    metadata: {
      name: `${node.name}.${suffix}`,
      namespace: node.namespace,
      uid: `${suffix.slice(0, 8)}-${suffix.slice(8, 12)}-4${suffix.slice(
        13,
        16,
      )}-8000-${suffix.padEnd(12, '0').slice(0, 12)}`,
      resourceVersion: String(Math.floor(event.firstMs / 1000)),
      creationTimestamp: first,
    },
    involvedObject: {
      kind: node.kind,
      namespace: node.namespace,
      name: node.name,
      uid: node.uid,
      apiVersion: node.group ? `${node.group}/${node.version}` : node.version,
    },
    reason: event.reason,
    message: event.message,
    type: event.type ?? 'Normal',
    count: event.count ?? 1,
    firstTimestamp: first,
    lastTimestamp: last,
    source: { component: event.component, host: event.host },
    reportingComponent: event.component,
  };
}

function childrenOf(tree: ApplicationTree, node: ResourceNode) {
  return (tree.nodes ?? []).filter(n =>
    n.parentRefs?.some(
      r => r.kind === node.kind && r.name === node.name && r.uid === node.uid,
    ),
  );
}

/** The events of one node of the tree, oldest first, as of `nowMs`. */
export function eventsOfResource(
  tree: ApplicationTree,
  node: ResourceNode,
  nowMs: number,
  managed?: ManagedResourcesResponse,
): KubernetesEvent[] {
  const createdMs = Date.parse(node.createdAt ?? '') || nowMs;
  if (node.kind === 'Deployment') {
    return childrenOf(tree, node).map((rs, i) =>
      eventOf(node, i, {
        reason: 'ScalingReplicaSet',
        message: `Scaled up replica set ${rs.name} to ${
          childrenOf(tree, rs).length
        }`,
        component: 'deployment-controller',
        firstMs: createdMs,
      }),
    );
  }
  if (node.kind === 'ReplicaSet') {
    return childrenOf(tree, node).map((pod, i) =>
      eventOf(node, i, {
        reason: 'SuccessfulCreate',
        message: `Created pod: ${pod.name}`,
        component: 'replicaset-controller',
        firstMs: createdMs,
      }),
    );
  }
  if (node.kind !== 'Pod') return [];
  const host = `node-${createHash('sha1')
    .update(node.namespace ?? '')
    .digest('hex')
    .slice(0, 5)}`;
  const events: KubernetesEvent[] = [
    eventOf(node, 0, {
      reason: 'Scheduled',
      message: `Successfully assigned ${node.namespace}/${node.name} to ${host}`,
      component: 'default-scheduler',
      firstMs: createdMs,
    }),
  ];
  containersOf(node, tree, managed).forEach((container, c) => {
    const crashing = isCrashingRelease(container);
    const starts = crashing ? crashRunStarts(createdMs, nowMs) : [createdMs];
    const lastStart = starts[starts.length - 1];
    const times = starts.length;
    const common = { component: 'kubelet', host, firstMs: createdMs };
    events.push(
      eventOf(node, 10 * c + 1, {
        ...common,
        reason: 'Pulled',
        message: `Container image "${container.image}" already present on machine`,
        lastMs: lastStart,
        count: times,
      }),
      eventOf(node, 10 * c + 2, {
        ...common,
        reason: 'Created',
        message: `Created container: ${container.name}`,
        lastMs: lastStart,
        count: times,
      }),
      eventOf(node, 10 * c + 3, {
        ...common,
        reason: 'Started',
        message: `Started container ${container.name}`,
        lastMs: lastStart,
        count: times,
      }),
    );
    const restarts = restartCount(createdMs, nowMs);
    if (crashing && restarts > 0) {
      events.push(
        eventOf(node, 10 * c + 4, {
          ...common,
          type: 'Warning',
          reason: 'BackOff',
          message: `Back-off restarting failed container ${container.name} in pod ${node.name}_${node.namespace}(${node.uid})`,
          firstMs: starts[1],
          lastMs: lastStart,
          count: restarts,
        }),
      );
    }
  });
  return events;
}

/**
 * `ListResourceEvents` for one resource: it must be a node of the tree with that exact name,
 * namespace and UID (orphaned nodes count), or Argo CD answers 400.
 */
export function resourceEventList(
  appName: string,
  tree: ApplicationTree,
  q: URLSearchParams,
  nowMs: number,
  managed?: ManagedResourcesResponse,
): { metadata: object; items: KubernetesEvent[] } {
  const name = q.get('resourceName') ?? '';
  const namespace = q.get('resourceNamespace') ?? '';
  const uid = q.get('resourceUID') ?? '';
  const node = [...(tree.nodes ?? []), ...(tree.orphanedNodes ?? [])].find(
    n =>
      n.name === name &&
      (n.namespace ?? '') === namespace &&
      (n.uid ?? '') === uid,
  );
  if (!node) {
    throw new ArgoCdApiError(
      GrpcCode.InvalidArgument,
      `${name} not found as part of application ${appName}`,
    );
  }
  return {
    metadata: {},
    items: eventsOfResource(tree, node, nowMs, managed),
  };
}
