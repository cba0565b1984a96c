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
 * Applies a sync to an app's live objects as `kubectl apply` would: every desired object
 * (or those `resources` names) created or configured unless unchanged, what is no longer
 * desired pruned when `prune`, else reported as requiring pruning. A dry run changes
 * nothing. Returns the sync result's resources.
 */
export function applySync(
  live: Map<string, LiveObject>,
  desired: readonly KubernetesObject[],
  options: {
    resources?: SyncOperationResource[];
    prune: boolean;
    dryRun: boolean;
    now: number;
  },
): ResourceResult[] {
  const selected = (o: KubernetesObject) =>
    !options.resources?.length ||
    options.resources.some(
      r =>
        r.kind === o.kind &&
        r.name === o.metadata.name &&
        (r.group ?? '') === groupOf(o),
    );
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
    if (!options.dryRun && !unchanged)
      live.set(k, { object, appliedAt: options.now });
    let outcome = 'created';
    if (unchanged) {
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
        } ${outcome}${options.dryRun ? ' (dry run)' : ''}`,
      ),
    );
  }
  for (const [k, entry] of [...live.entries()]) {
    if (desiredKeys.has(k) || !selected(entry.object)) continue;
    if (options.prune && !options.dryRun) live.delete(k);
    results.push(
      options.prune
        ? result(entry.object, 'Pruned', 'pruned')
        : result(entry.object, 'PruneSkipped', 'ignored (requires pruning)'),
    );
  }
  return results;
}
