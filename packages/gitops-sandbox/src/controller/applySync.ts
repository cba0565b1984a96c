import type {
  ResourceResult,
  SyncOperationResource,
} from '@kupe/plugin-gitops-node';
import { canonicalJson } from '@kupe/plugin-gitops-common';
import {
  KubernetesObject,
  groupOf,
  objectKey,
  versionOf,
} from '../manifests/KubernetesObject';
import type { LiveObject } from './liveViews';

/**
 * Applies a sync to an app's live objects as Argo CD's sync context and `kubectl apply` would:
 * every desired object (or those `resources` names; with `ApplyOutOfSyncOnly=true` only those
 * that differ from the live one) created or configured unless unchanged, what is no longer
 * desired pruned when `prune`, else reported as requiring pruning. A dry run changes nothing
 * and says so in each message (a server dry run with `ServerSideApply=true`). Returns the sync
 * result's resources.
 */
export function applySync(
  live: Map<string, LiveObject>,
  desired: readonly KubernetesObject[],
  options: {
    resources?: SyncOperationResource[];
    prune: boolean;
    dryRun?: boolean;
    /** The operation's sync options (`ApplyOutOfSyncOnly=true`, `ServerSideApply=true`). */
    syncOptions?: string[];
    now: number;
  },
): ResourceResult[] {
  const outOfSyncOnly = options.syncOptions?.includes(
    'ApplyOutOfSyncOnly=true',
  );
  const serverSideApply = options.syncOptions?.includes('ServerSideApply=true');
  // `SyncOperationResource.HasIdentity`: group, kind, name, and the namespace if it has one.
  const selected = (o: KubernetesObject) =>
    !options.resources?.length ||
    options.resources.some(
      r =>
        r.kind === o.kind &&
        r.name === o.metadata.name &&
        (r.group ?? '') === groupOf(o) &&
        (!r.namespace || r.namespace === (o.metadata.namespace ?? '')),
    );
  let dryRun = '';
  if (options.dryRun)
    dryRun = serverSideApply ? ' (server dry run)' : ' (dry run)';
  const results: ResourceResult[] = [];
  const desiredKeys = new Set(desired.map(objectKey));
  const result = (
    o: KubernetesObject,
    status: ResourceResult['status'],
    message: string,
  ): ResourceResult => ({
    group: groupOf(o),
    version: versionOf(o),
    kind: o.kind,
    namespace: o.metadata.namespace ?? '',
    name: o.metadata.name,
    status,
    message,
    hookPhase: 'Running',
    syncPhase: 'Sync',
  });
  for (const object of desired.filter(selected)) {
    const k = objectKey(object);
    const previous = live.get(k);
    const unchanged =
      previous && canonicalJson(previous.object) === canonicalJson(object);
    // The resource modification checker leaves Synced resources out of the sync altogether.
    if (unchanged && outOfSyncOnly) continue;
    if (!options.dryRun && !unchanged)
      live.set(k, { object, appliedAt: options.now });
    let outcome = 'created';
    if (serverSideApply) {
      outcome = 'serverside-applied';
    } else if (unchanged) {
      outcome = 'unchanged';
    } else if (previous) {
      outcome = 'configured';
    }
    results.push(
      result(
        object,
        'Synced',
        `${object.kind.toLowerCase()}.${groupOf(object) || 'v1'}/${
          object.metadata.name
        } ${outcome}${dryRun}`,
      ),
    );
  }
  for (const [k, entry] of [...live.entries()]) {
    if (desiredKeys.has(k) || !selected(entry.object)) continue;
    if (options.prune && !options.dryRun) live.delete(k);
    results.push(
      options.prune
        ? result(entry.object, 'Pruned', `pruned${dryRun}`)
        : result(entry.object, 'PruneSkipped', 'ignored (requires pruning)'),
    );
  }
  return results;
}
