import { isAutoSync } from '@kupe/plugin-gitops-common';
import type { Application, ResourceStatus } from '@kupe/plugin-gitops-node';

/**
 * Argo CD's auto-sync rules, sync windows aside: never while an operation runs; not again
 * for the revisions the last automated sync already deployed, unless self-heal is on; and not
 * when only unprunable extras differ. (A window that blocks automated syncs is checked by the
 * caller and skips the sync silently, as Argo CD's controller does.)
 */
export function wantsAutoSync(
  app: Application,
  comparison: { synced: boolean; resources: ResourceStatus[] },
  revisions: readonly string[],
): boolean {
  if (comparison.synced || app.operation || !isAutoSync(app.spec.syncPolicy))
    return false;
  const automated = app.spec.syncPolicy?.automated ?? {};
  const state = app.status?.operationState;
  if (state?.phase === 'Running' || state?.phase === 'Terminating')
    return false;
  const outOfSync = comparison.resources.filter(r => r.status === 'OutOfSync');
  if (!automated.prune && outOfSync.every(r => r.requiresPruning)) return false;
  const sync = state?.operation.sync;
  const tried = sync?.revisions ?? (sync?.revision ? [sync.revision] : []);
  const alreadyTried =
    state?.operation.initiatedBy?.automated &&
    tried.join(',') === revisions.join(',');
  return !(alreadyTried && !automated.selfHeal);
}
