import type { Application } from '@kupe/plugin-gitops-node';
import type { AppKey, ArgoCdFake } from '@kupe/plugin-gitops-node-test-utils';
import type { KubernetesObject } from '../manifests/KubernetesObject';
import { appKeyOf } from './controllerTypes';

const FINALIZER = 'resources-finalizer.argocd.argoproj.io';
// Argo CD v3's default resource tracking (util/argo/resource_tracking.go).
const TRACKING_ID_ANNOTATION = 'argocd.argoproj.io/tracking-id';

/** Argo CD's annotation tracking id of an object an app applied (`<app>:<group>/<kind>:<ns>/<name>`). */
function trackingId(parent: string, namespace: string, name: string): string {
  return `${parent}:argoproj.io/Application:${namespace}/${name}`;
}

function isApplicationManifest(object: KubernetesObject): boolean {
  return (
    object.kind === 'Application' &&
    object.apiVersion.startsWith('argoproj.io/')
  );
}

/**
 * App-of-apps: the Application manifests a parent app synced become Applications, as they
 * would once applied to the control plane's cluster, carrying Argo CD's tracking annotation
 * that names the parent; a child the parent no longer has live (pruned, or the parent
 * deleted with its resources) is deleted, its own resources with it when it has Argo CD's
 * resources finalizer.
 */
export function reconcileChildApplications(
  fake: ArgoCdFake,
  liveObjects: (key: AppKey) => KubernetesObject[],
): void {
  const live = new Map<string, Application>();
  for (const parent of fake.listApplications()) {
    if (parent.metadata.deletionTimestamp) continue;
    const parentName = parent.metadata.name ?? '';
    for (const object of liveObjects(appKeyOf(parent))) {
      if (!isApplicationManifest(object)) continue;
      const namespace = object.metadata.namespace ?? 'argocd';
      const id = trackingId(parentName, namespace, object.metadata.name);
      live.set(id, {
        metadata: {
          name: object.metadata.name,
          namespace,
          labels: object.metadata.labels,
          annotations: {
            ...object.metadata.annotations,
            [TRACKING_ID_ANNOTATION]: id,
          },
          finalizers: object.metadata.finalizers as string[] | undefined,
        },
        spec: object.spec as Application['spec'],
      });
    }
  }
  for (const [, child] of live) {
    const key = appKeyOf(child);
    const existing = fake.getApplication(key.name, key.namespace);
    if (!existing) {
      fake.putApplication({
        ...child,
        status: { sync: { status: '' }, health: {}, summary: {} },
      });
      fake.controller.applicationSpecChanged(key);
    } else if (
      JSON.stringify(existing.spec) !== JSON.stringify(child.spec) &&
      existing.metadata.annotations?.[TRACKING_ID_ANNOTATION] ===
        child.metadata.annotations?.[TRACKING_ID_ANNOTATION]
    ) {
      fake.updateApplication(key, a => {
        a.spec = child.spec;
      });
      fake.controller.applicationSpecChanged(key);
    }
  }
  for (const app of fake.listApplications()) {
    const id = app.metadata.annotations?.[TRACKING_ID_ANNOTATION];
    if (!id?.includes(':argoproj.io/Application:') || live.has(id)) continue;
    if (app.metadata.deletionTimestamp) continue;
    const key = appKeyOf(app);
    fake.updateApplication(key, a => {
      a.metadata.deletionTimestamp = fake.timestamp();
    });
    fake.controller.applicationDeleted(
      key,
      (app.metadata.finalizers ?? []).some(f => f.startsWith(FINALIZER)),
    );
  }
}
