import type { ApplicationParent } from '@kupe/plugin-gitops-common';
import { type Application, findPolicyOwner } from '@kupe/plugin-gitops-node';

/**
 * The ApplicationSet that owns an app (its owner reference) or the parent app of an app of
 * apps (Argo CD's tracking id or instance label), from the whole Argo CD object. A `fields=`
 * listing cannot carry owner references: `metadata.ownerReferences` is not among the List
 * whitelist's paths (argo-cd v3.5.1 `forwarder_overwrite.go` `appFields`; asking for it returns
 * nothing), so the index keeps the parent of the app's previous record there ({@link carryOver}).
 * The watch's projection does carry them (`INDEX_WATCH_FIELDS`): an app a relist finds first
 * (made while the watch was down) learns its ApplicationSet with its next watch event, that is
 * its next change; until then the backend's pause check, which reads the whole app, still
 * refuses with the reason.
 */
export function parentOf(app: Application): ApplicationParent | undefined {
  const owner = findPolicyOwner(app);
  return owner ? { kind: owner.kind, name: owner.name } : undefined;
}
