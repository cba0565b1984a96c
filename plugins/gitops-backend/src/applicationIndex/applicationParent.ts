import type { ApplicationParent } from '@kupe/plugin-gitops-common';
import { type Application, findPolicyOwner } from '@kupe/plugin-gitops-node';

/**
 * The ApplicationSet that owns an app (its owner reference) or the parent app of an app of
 * apps (Argo CD's tracking id or instance label), from the whole Argo CD object. A `fields=`
 * listing carries no owner references, so the index keeps the parent of the app's previous
 * record there ({@link carryOver}).
 */
export function parentOf(app: Application): ApplicationParent | undefined {
  const owner = findPolicyOwner(app);
  return owner ? { kind: owner.kind, name: owner.name } : undefined;
}
