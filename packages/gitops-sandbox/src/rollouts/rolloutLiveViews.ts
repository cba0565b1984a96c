import type {
  HealthStatus,
  ResourceNode,
  ResourceRef,
} from '@kupe/plugin-gitops-node';
import type { KubernetesObject } from '../manifests/KubernetesObject';
import { rfc3339, shortHash } from '../controller/liveViews';
import { CanarySimulator, analysisRunHealth } from './CanarySimulator';

/**
 * What the sandbox's live views ask beyond a manifest: the health a controller's status gives
 * a custom resource, and the objects a controller creates under it (ReplicaSets, Pods,
 * AnalysisRuns of a Rollout).
 */
export interface LiveExtensions {
  health(object: KubernetesObject): HealthStatus | undefined;
  children(object: KubernetesObject, ref: ResourceRef): ResourceNode[];
}

function uidOf(text: string): string {
  const h = shortHash(text, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(
    16,
    20,
  )}-${h.slice(20, 32)}`;
}

/** The live Rollout with the status its controller wrote, as `GET .../resource` reads it. */
export function liveRollout(
  simulator: CanarySimulator,
  appId: string,
  object: KubernetesObject,
  now: number,
): KubernetesObject {
  const state = simulator.observe(appId, object, now);
  return {
    ...object,
    metadata: {
      ...object.metadata,
      generation: object.metadata.generation ?? 1,
      annotations: {
        ...object.metadata.annotations,
        'rollout.argoproj.io/revision': String(state.revision),
      },
    },
    status: simulator.statusOf(object, state),
  };
}

/** {@link LiveExtensions} of the Rollouts of app `appId`, read at `now`. */
export function rolloutExtensions(
  simulator: CanarySimulator,
  appId: string,
  now: number,
): LiveExtensions {
  return {
    health(object) {
      if (!CanarySimulator.isRollout(object)) return undefined;
      const state = simulator.observe(appId, object, now);
      return simulator.healthOf(simulator.statusOf(object, state));
    },
    children(object, ref) {
      if (!CanarySimulator.isRollout(object)) return [];
      const state = simulator.observe(appId, object, now);
      const status = simulator.statusOf(object, state);
      const name = object.metadata.name;
      const nodes: ResourceNode[] = [];
      const replicaSets = [
        { hash: state.stableHash, images: state.stableImages, role: 'stable' },
        ...(state.currentHash === state.stableHash
          ? []
          : [
              {
                hash: state.currentHash,
                images: state.currentImages,
                role: 'canary',
              },
            ]),
      ];
      for (const rs of replicaSets) {
        const rsRef = {
          group: 'apps',
          version: 'v1',
          kind: 'ReplicaSet',
          namespace: ref.namespace,
          name: `${name}-${rs.hash}`,
          uid: uidOf(`${ref.uid}/${rs.hash}`),
        };
        const pods =
          rs.role === 'canary'
            ? status.updatedReplicas
            : status.replicas - status.updatedReplicas;
        const degraded = rs.role === 'canary' && Boolean(state.aborted);
        nodes.push({
          ...rsRef,
          parentRefs: [ref],
          health: { status: degraded ? 'Degraded' : 'Healthy' },
          images: rs.images,
          info: [
            {
              name: 'Revision',
              value: `Rev:${
                rs.role === 'canary'
                  ? state.revision
                  : Math.max(1, state.revision - 1)
              }`,
            },
          ],
          createdAt: rfc3339(now),
        });
        for (let i = 0; i < Math.min(Math.max(pods, 0), 5); i++) {
          const podName = `${rsRef.name}-${shortHash(`${rsRef.name}/${i}`, 5)}`;
          nodes.push({
            version: 'v1',
            kind: 'Pod',
            namespace: ref.namespace,
            name: podName,
            uid: uidOf(`${rsRef.uid}/${podName}`),
            parentRefs: [rsRef],
            health: { status: 'Healthy' },
            images: rs.images,
            info: [{ name: 'Status Reason', value: 'Running' }],
          });
        }
      }
      for (const run of state.runs) {
        nodes.push({
          group: 'argoproj.io',
          version: 'v1alpha1',
          kind: 'AnalysisRun',
          namespace: ref.namespace,
          name: run.name,
          uid: uidOf(`${ref.uid}/${run.name}`),
          parentRefs: [ref],
          health: analysisRunHealth(run),
          createdAt: rfc3339(run.startedAt),
        });
      }
      return nodes;
    },
  };
}
