import type { KubernetesObject } from '../manifests/KubernetesObject';
import { objectKey } from '../manifests/KubernetesObject';
import { applySync } from './applySync';
import type { LiveObject } from './liveViews';

const object = (
  apiVersion: string,
  kind: string,
  name: string,
  spec: object = {},
): KubernetesObject => ({
  apiVersion,
  kind,
  metadata: { name, namespace: 'shop' },
  spec,
});

const service = object('v1', 'Service', 'web', { port: 80 });
const deployment = object('apps/v1', 'Deployment', 'web', { replicas: 2 });
const orphan = object('v1', 'ConfigMap', 'old');

/** Live: the Service as desired, the Deployment at an older spec, an orphaned ConfigMap. */
function liveState(): Map<string, LiveObject> {
  const live = new Map<string, LiveObject>();
  for (const o of [
    service,
    object('apps/v1', 'Deployment', 'web', { replicas: 1 }),
    orphan,
  ])
    live.set(objectKey(o), { object: o, appliedAt: 1 });
  return live;
}

const messages = (results: ReturnType<typeof applySync>) =>
  results.map(r => `${r.status}: ${r.message}`);

describe('applySync', () => {
  it('applies everything, reporting unchanged objects, and skips pruning unless asked', () => {
    const live = liveState();
    const results = applySync(live, [service, deployment], {
      prune: false,
      now: 2,
    });
    expect(messages(results)).toEqual([
      'Synced: service.v1/web unchanged',
      'Synced: deployment.apps/web configured',
      'PruneSkipped: ignored (requires pruning)',
    ]);
    expect(live.get(objectKey(deployment))?.object).toBe(deployment);
    expect(live.has(objectKey(orphan))).toBe(true);
  });

  it('leaves Synced objects out with ApplyOutOfSyncOnly and prunes when asked', () => {
    const live = liveState();
    const results = applySync(live, [service, deployment], {
      prune: true,
      syncOptions: ['ApplyOutOfSyncOnly=true'],
      now: 2,
    });
    expect(messages(results)).toEqual([
      'Synced: deployment.apps/web configured',
      'Pruned: pruned',
    ]);
    expect(live.has(objectKey(orphan))).toBe(false);
  });

  it('changes nothing on a dry run, a server dry run with server-side apply', () => {
    const live = liveState();
    const before = [...live.values()].map(l => l.object);
    expect(
      messages(
        applySync(live, [service, deployment], {
          prune: true,
          dryRun: true,
          syncOptions: ['ServerSideApply=true'],
          now: 2,
        }),
      ),
    ).toEqual([
      'Synced: service.v1/web serverside-applied (server dry run)',
      'Synced: deployment.apps/web serverside-applied (server dry run)',
      'Pruned: pruned (server dry run)',
    ]);
    expect([...live.values()].map(l => l.object)).toEqual(before);
  });

  it('syncs only the named resources', () => {
    const live = liveState();
    const results = applySync(live, [service, deployment], {
      resources: [{ group: 'apps', kind: 'Deployment', name: 'web' }],
      prune: true,
      now: 2,
    });
    expect(messages(results)).toEqual([
      'Synced: deployment.apps/web configured',
    ]);
    expect(live.has(objectKey(orphan))).toBe(true);
  });
});
