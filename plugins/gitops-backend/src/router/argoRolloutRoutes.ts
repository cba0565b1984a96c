import {
  ARGO_ROLLOUT_ACTIONS,
  type ArgoRollout,
  type ArgoRolloutAction,
  type ArgoRolloutsResponse,
} from '@kupe/plugin-gitops-common';
import type { Request } from 'express';
import {
  readArgoRollouts,
  runArgoRolloutAction,
} from '../argoRollouts/argoRollouts';
import type { ApplicationGate, ApplicationPath } from './applicationGate';

const targetOf = (req: Request) => ({
  namespace: String(req.params.rolloutNamespace),
  name: String(req.params.rollout),
});

// Promoting all at once skips the analyses that guard a release; aborting stops one.
const SEVERITY: Record<ArgoRolloutAction, 'medium' | 'high'> = {
  promote: 'medium',
  'promote-full': 'high',
  abort: 'high',
  retry: 'medium',
};

/**
 * The app's Argo Rollouts (`GET .../argo-rollouts`) and the portal's actions on one of them
 * (`POST .../argo-rollouts/{rolloutNamespace}/{rollout}/{promote|promote-full|abort|retry}`),
 * each action with its own permission (the document's `x-gitops-permission`), all behind
 * the {@link ApplicationGate}: another tenant's app is a 404 and nothing reaches Argo CD.
 */
export function registerArgoRolloutRoutes(gate: ApplicationGate): void {
  gate.get('/instances/{instance}/applications/{name}/argo-rollouts', {
    audit: { eventId: 'application-argo-rollouts-read' },
    handle: async ({ visible }): Promise<ArgoRolloutsResponse> => ({
      items: await readArgoRollouts(visible),
    }),
  });
  for (const action of ARGO_ROLLOUT_ACTIONS) {
    const path =
      `/instances/{instance}/applications/{name}/argo-rollouts/{rolloutNamespace}/{rollout}/${action}` as ApplicationPath;
    gate.post(path, {
      audit: {
        eventId: 'application-rollout-action',
        severityLevel: () => SEVERITY[action],
        meta: req => {
          const target = targetOf(req);
          return { action, rollout: `${target.namespace}/${target.name}` };
        },
        outcome: (rollout: ArgoRollout) => ({
          phase: rollout.phase,
          step: rollout.currentStep,
        }),
      },
      handle: ({ req, visible }) =>
        runArgoRolloutAction(visible, targetOf(req), action),
    });
  }
}
