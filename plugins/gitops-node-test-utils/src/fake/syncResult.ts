import type { ResourceResult, ResourceStatus } from '@kupe/plugin-gitops-node';

/**
 * `syncResult.resources` as Argo CD reports a sync that applied every resource, shared so the
 * seeded history and the simulated controller cannot describe a sync differently.
 */
export function syncedResourceResults(
  resources: readonly ResourceStatus[],
): ResourceResult[] {
  return resources.map(r => ({
    group: r.group ?? '',
    version: r.version ?? 'v1',
    kind: r.kind ?? '',
    namespace: r.namespace ?? '',
    name: r.name ?? '',
    status: 'Synced',
    message: `${(r.kind ?? '').toLowerCase()}/${r.name} configured`,
    hookPhase: 'Running',
    syncPhase: 'Sync',
  }));
}
