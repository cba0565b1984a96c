import type { HealthStatus, ResourceNode } from '@kupe/plugin-gitops-node';
import type { LiveManifest } from './rolloutActions';

interface StoredObject {
  object: LiveManifest;
  health?: HealthStatus;
  uid: string;
}

function groupOf(object: { apiVersion?: string }): string {
  return object.apiVersion?.includes('/')
    ? object.apiVersion.split('/')[0]
    : '';
}

function versionOf(object: { apiVersion?: string }): string {
  return object.apiVersion?.split('/').pop() ?? 'v1';
}

/**
 * Live objects a test puts into an app's cluster beside what `status.resources` lists (a
 * Rollout with its status, the AnalysisRuns its controller created), for the simple
 * controller: they join the resource tree (owner references as `parentRefs`) and answer
 * `GET .../resource` and resource actions.
 */
export class LiveObjectStore {
  readonly #objects = new Map<string, Map<string, StoredObject>>();

  static keyOf(ref: {
    group?: string;
    kind?: string;
    namespace?: string;
    name?: string;
  }): string {
    return [ref.group ?? '', ref.kind, ref.namespace ?? '', ref.name].join('/');
  }

  put(
    appName: string,
    object: LiveManifest,
    health: HealthStatus | undefined,
    uidOf: (key: string) => string,
  ): void {
    const objects = this.#objects.get(appName) ?? new Map();
    const key = LiveObjectStore.keyOf({
      group: groupOf(object),
      kind: object.kind,
      namespace: object.metadata.namespace,
      name: object.metadata.name,
    });
    objects.set(key, {
      object: structuredClone(object),
      health,
      uid: uidOf(key),
    });
    this.#objects.set(appName, objects);
  }

  get(appName: string, node: ResourceNode): LiveManifest | undefined {
    const stored = this.#objects.get(appName)?.get(LiveObjectStore.keyOf(node));
    return stored && structuredClone(stored.object);
  }

  /** Replaces the object's spec and status with a patched copy (a merge patch of both). */
  patch(appName: string, node: ResourceNode, patched: LiveManifest): void {
    const stored = this.#objects.get(appName)?.get(LiveObjectStore.keyOf(node));
    if (stored) stored.object = structuredClone(patched);
  }

  /** Tree nodes of the app's stored objects. */
  nodes(appName: string): ResourceNode[] {
    const stored = [...(this.#objects.get(appName)?.values() ?? [])];
    const uidOf = (kind: string, name: string) =>
      stored.find(
        s => s.object.kind === kind && s.object.metadata.name === name,
      )?.uid;
    return stored.map(({ object, health, uid }) => {
      const owners = (object.metadata.ownerReferences ?? []) as Array<{
        apiVersion?: string;
        kind: string;
        name: string;
      }>;
      const containers = ((
        object.spec?.template as
          | { spec?: { containers?: Array<{ image?: string }> } }
          | undefined
      )?.spec?.containers ?? []) as Array<{ image?: string }>;
      const images = containers.flatMap(c => (c.image ? [c.image] : []));
      return {
        group: groupOf(object) || undefined,
        version: versionOf(object),
        kind: object.kind,
        namespace: object.metadata.namespace,
        name: object.metadata.name,
        uid,
        health,
        images: images.length ? images : undefined,
        parentRefs: owners.length
          ? owners.map(o => ({
              group: groupOf(o) || undefined,
              kind: o.kind,
              namespace: object.metadata.namespace,
              name: o.name,
              uid: uidOf(o.kind, o.name),
            }))
          : undefined,
      };
    });
  }
}
