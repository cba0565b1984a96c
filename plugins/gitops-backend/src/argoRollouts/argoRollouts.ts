import { ConflictError, NotFoundError } from '@backstage/errors';
import type {
  ArgoRollout,
  ArgoRolloutAction,
} from '@kupe/plugin-gitops-common';
import type {
  ApplicationResourceRef,
  ResourceNode,
} from '@kupe/plugin-gitops-node';
import type { VisibleApplication } from '../service/ApplicationAccess';
import {
  ARGO_CD_ACTION,
  type LiveRollout,
  toArgoRollout,
} from './toArgoRollout';

const isRollout = (n: ResourceNode) =>
  n.kind === 'Rollout' && n.group === 'argoproj.io';

const refOf = (node: ResourceNode): ApplicationResourceRef => ({
  group: node.group,
  version: node.version ?? 'v1alpha1',
  kind: node.kind ?? 'Rollout',
  namespace: node.namespace,
  name: node.name ?? '',
});

async function readOne(
  visible: VisibleApplication,
  node: ResourceNode,
  tree: ResourceNode[],
): Promise<ArgoRollout> {
  const { client, app, scope } = visible;
  const [resource, actions] = await Promise.all([
    client.getResource(app.name, refOf(node), scope),
    client.listResourceActions(app.name, refOf(node), scope),
  ]);
  const live = JSON.parse(resource.manifest ?? '{}') as LiveRollout;
  return toArgoRollout(live, node, tree, actions.actions ?? []);
}

/**
 * The Argo Rollouts of an application's resource tree, each read through Argo CD with the
 * caller's tenant scope: its live manifest and the actions Argo CD offers for it.
 */
export async function readArgoRollouts(
  visible: VisibleApplication,
): Promise<ArgoRollout[]> {
  const tree =
    (await visible.client.getResourceTree(visible.app.name, visible.scope))
      .nodes ?? [];
  return Promise.all(
    tree.filter(isRollout).map(node => readOne(visible, node, tree)),
  );
}

/**
 * Runs a portal action on one Rollout of the app through Argo CD's resource actions, once
 * Argo CD offers it (a promotion of a Rollout that is not paused is a 409, not a no-op), and
 * answers the Rollout as it is afterwards.
 */
export async function runArgoRolloutAction(
  visible: VisibleApplication,
  target: { namespace: string; name: string },
  action: ArgoRolloutAction,
): Promise<ArgoRollout> {
  const { client, app, scope } = visible;
  const tree = (await client.getResourceTree(app.name, scope)).nodes ?? [];
  const node = tree.find(
    n =>
      isRollout(n) &&
      n.name === target.name &&
      (n.namespace ?? '') === target.namespace,
  );
  if (!node) {
    throw new NotFoundError(
      `Application ${app.name} has no Rollout ${target.namespace}/${target.name}`,
    );
  }
  const before = await readOne(visible, node, tree);
  if (!before.actions.includes(action)) {
    throw new ConflictError(
      `Rollout ${target.name} cannot be ${describe(action)} now: it is ${
        before.aborted ? 'aborted' : before.phase
      }${before.message ? ` (${before.message})` : ''}`,
    );
  }
  await client.runResourceAction(
    app.name,
    refOf(node),
    ARGO_CD_ACTION[action],
    scope,
  );
  const after = (await client.getResourceTree(app.name, scope)).nodes ?? [];
  return readOne(visible, after.find(n => n.uid === node.uid) ?? node, after);
}

function describe(action: ArgoRolloutAction): string {
  switch (action) {
    case 'promote':
      return 'promoted';
    case 'promote-full':
      return 'fully promoted';
    case 'abort':
      return 'aborted';
    default:
      return 'retried';
  }
}
