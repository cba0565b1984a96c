import { createHash } from 'node:crypto';
import { canonicalJson } from '@kupe/plugin-gitops-common';
import type {
  ApplicationTree,
  HealthStatusCode,
  ManagedResourcesResponse,
  ResourceNode,
  ResourceStatus,
} from '@kupe/plugin-gitops-node';
import {
  KubernetesObject,
  groupOf,
  imagesOf,
  objectKey,
  versionOf,
} from '../manifests/KubernetesObject';
import { resourceHealth, worstHealth } from './resourceHealth';
import type { LiveExtensions } from '../rollouts/rolloutLiveViews';

/** An object the sandbox "applied", with when. */
export interface LiveObject {
  object: KubernetesObject;
  appliedAt: number;
}

export function shortHash(text: string, length: number): string {
  return createHash('sha1').update(text).digest('hex').slice(0, length);
}

export function rfc3339(date: string | number | Date): string {
  return `${new Date(date).toISOString().slice(0, 19)}Z`;
}

function shortUid(text: string): string {
  const h = shortHash(text, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(
    16,
    20,
  )}-${h.slice(20, 32)}`;
}

/**
 * The resource tree of an app's live objects, as Argo CD's `resource-tree` answers it: each
 * object with its health, and under a Deployment its ReplicaSet and Pods (as a cluster would
 * show them; at most five Pods).
 */
export function resourceTreeOf(
  appName: string,
  live: Iterable<LiveObject>,
  now: number,
  progressMs: number,
  extensions?: LiveExtensions,
): ApplicationTree {
  const nodes: ResourceNode[] = [];
  for (const { object, appliedAt } of live) {
    const custom = extensions?.health(object);
    const health =
      custom?.status ?? resourceHealth(object, appliedAt, now, progressMs);
    const uid = shortUid(`${appName}/${objectKey(object)}`);
    const createdAt = rfc3339(appliedAt);
    const ref = {
      group: groupOf(object) || undefined,
      version: versionOf(object),
      kind: object.kind,
      namespace: object.metadata.namespace,
      name: object.metadata.name,
      uid,
    };
    const images = imagesOf(object);
    nodes.push({
      ...ref,
      health: custom ?? (health ? { status: health } : undefined),
      createdAt,
      resourceVersion: String(appliedAt),
      images: images.length ? images : undefined,
    });
    if (extensions) nodes.push(...extensions.children(object, ref));
    if (object.kind === 'Deployment') {
      const rsName = `${object.metadata.name}-${shortHash(
        canonicalJson(object.spec),
        10,
      )}`;
      const rsRef = {
        group: 'apps',
        version: 'v1',
        kind: 'ReplicaSet',
        namespace: ref.namespace,
        name: rsName,
        uid: shortUid(`${uid}/${rsName}`),
      };
      nodes.push({
        ...rsRef,
        parentRefs: [ref],
        health: health ? { status: health } : undefined,
        createdAt,
        images,
        info: [{ name: 'Revision', value: 'Rev:1' }],
      });
      const replicas = Number(
        (object.spec as { replicas?: number } | undefined)?.replicas ?? 1,
      );
      for (let i = 0; i < Math.min(replicas, 5); i++) {
        const podName = `${rsName}-${shortHash(`${rsName}/${i}`, 5)}`;
        nodes.push({
          version: 'v1',
          kind: 'Pod',
          namespace: ref.namespace,
          name: podName,
          uid: shortUid(`${rsRef.uid}/${podName}`),
          parentRefs: [rsRef],
          health: health
            ? { status: health === 'Degraded' ? 'Degraded' : health }
            : undefined,
          createdAt,
          images,
          info: [
            {
              name: 'Status Reason',
              // A broken release crashes on start (its logs show the panic), so Kubernetes
              // restarts it with back-off rather than failing to pull it.
              value: health === 'Degraded' ? 'CrashLoopBackOff' : 'Running',
            },
          ],
        });
      }
    }
  }
  return { nodes };
}

/** Desired against live state per object, as Argo CD's `managed-resources` answers it. */
export function managedResourcesOf(
  desiredObjects: readonly KubernetesObject[],
  liveObjects: ReadonlyMap<string, LiveObject>,
): ManagedResourcesResponse {
  const desired = new Map(desiredObjects.map(o => [objectKey(o), o]));
  const keys = [...new Set([...desired.keys(), ...liveObjects.keys()])].sort();
  return {
    items: keys.map(k => {
      const want = desired.get(k);
      const live = liveObjects.get(k)?.object;
      const object = (want ?? live)!;
      const target = want ? JSON.stringify(want) : 'null';
      const liveState = live ? JSON.stringify(live) : 'null';
      return {
        group: groupOf(object),
        kind: object.kind,
        namespace: object.metadata.namespace,
        name: object.metadata.name,
        targetState: target,
        liveState,
        normalizedLiveState: liveState,
        predictedLiveState: target,
        modified: !(
          want &&
          live &&
          canonicalJson(want) === canonicalJson(live)
        ),
      };
    }),
  };
}

/**
 * Desired against live state, as Argo CD's comparison reports it: each resource Synced or
 * OutOfSync with its health (Missing when not live), the app Synced when all are, and its
 * health the worst of theirs.
 */
export function compareWithLive(
  desiredObjects: readonly KubernetesObject[],
  liveObjects: ReadonlyMap<string, LiveObject>,
  now: number,
  progressMs: number,
  extensions?: LiveExtensions,
): {
  synced: boolean;
  health: HealthStatusCode;
  resources: ResourceStatus[];
} {
  const desired = new Map(desiredObjects.map(o => [objectKey(o), o]));
  const keys = [...new Set([...desired.keys(), ...liveObjects.keys()])].sort();
  const resources: ResourceStatus[] = keys.map(k => {
    const want = desired.get(k);
    const live = liveObjects.get(k);
    const object = (want ?? live!.object) as KubernetesObject;
    const custom = live && extensions?.health(live.object);
    const health = live
      ? custom?.status ??
        resourceHealth(live.object, live.appliedAt, now, progressMs)
      : 'Missing';
    const inSync = Boolean(
      want && live && canonicalJson(want) === canonicalJson(live.object),
    );
    return {
      group: groupOf(object),
      version: versionOf(object),
      kind: object.kind,
      namespace: object.metadata.namespace,
      name: object.metadata.name,
      status: inSync ? 'Synced' : 'OutOfSync',
      health: custom || (health ? { status: health } : undefined),
      requiresPruning: !want ? true : undefined,
    };
  });
  return {
    synced: resources.every(r => r.status === 'Synced'),
    health: worstHealth(resources.map(r => r.health?.status)),
    resources,
  };
}
