import type { Application, ResourceNode } from '@kupe/plugin-gitops-node';
import type { AppKey, LiveManifest } from '@kupe/plugin-gitops-node-test-utils';
import { type KubernetesObject, groupOf } from '../manifests/KubernetesObject';
import { CanarySimulator, type CanaryTimings } from './CanarySimulator';
import {
  type LiveExtensions,
  liveRollout,
  rolloutExtensions,
} from './rolloutLiveViews';

/** What the Rollouts need of the sandbox's controller: its live objects. */
export interface LiveCluster {
  liveObjects(key: AppKey): KubernetesObject[];
  injectDrift(
    key: AppKey,
    target: { kind: string; name: string },
    mutate: (object: KubernetesObject) => void,
  ): void;
  reconcile(key: AppKey): Promise<void>;
}

const appKeyOf = (app: Application): AppKey => ({
  name: app.metadata.name ?? '',
  namespace: app.metadata.namespace ?? 'argocd',
});
const idOf = (key: AppKey) => `${key.namespace}/${key.name}`;

/**
 * The Argo Rollouts controller of the sandbox's clusters ({@link CanarySimulator}) seen
 * through Argo CD: the health and child nodes of each live Rollout, the live Rollout with its
 * status (`GET .../resource`), and resource actions applied to it.
 */
export class SandboxRollouts {
  readonly simulator: CanarySimulator;

  constructor(timings?: CanaryTimings) {
    this.simulator = new CanarySimulator(timings);
  }

  extensions(key: AppKey): LiveExtensions {
    return rolloutExtensions(this.simulator, idOf(key), Date.now());
  }

  #find(cluster: LiveCluster, key: AppKey, node: ResourceNode) {
    return cluster
      .liveObjects(key)
      .find(
        o =>
          groupOf(o) === (node.group ?? '') &&
          o.kind === node.kind &&
          (o.metadata.namespace ?? '') === (node.namespace ?? '') &&
          o.metadata.name === node.name,
      );
  }

  read(
    cluster: LiveCluster,
    app: Application,
    node: ResourceNode,
  ): LiveManifest | undefined {
    const key = appKeyOf(app);
    const object = this.#find(cluster, key, node);
    if (!object) return undefined;
    return (
      CanarySimulator.isRollout(object)
        ? liveRollout(this.simulator, idOf(key), object, Date.now())
        : object
    ) as LiveManifest;
  }

  /**
   * A resource action's result on a live Rollout, as the Argo Rollouts controller takes it:
   * spec changes (`spec.paused`, `spec.restartAt`) land on the live object, status changes
   * (pause conditions removed, `abort`, `promoteFull`) move the canary.
   */
  patch(
    cluster: LiveCluster,
    app: Application,
    node: ResourceNode,
    patched: LiveManifest,
  ): void {
    const key = appKeyOf(app);
    const object = this.#find(cluster, key, node);
    if (!object || !CanarySimulator.isRollout(object)) return;
    const now = Date.now();
    const before = liveRollout(this.simulator, idOf(key), object, now);
    cluster.injectDrift(
      key,
      { kind: object.kind, name: object.metadata.name },
      o => {
        o.spec = { ...(o.spec as object), ...patched.spec };
      },
    );
    const next = this.#find(cluster, key, node)!;
    this.simulator.applyPatch(
      idOf(key),
      next,
      (before.status ?? {}) as Record<string, unknown>,
      patched.status ?? {},
      now,
    );
    void cluster.reconcile(key);
  }
}
