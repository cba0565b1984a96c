import type { RolloutsResponse } from '@kupe/plugin-gitops-common';
import {
  type RolloutStore,
  toRolloutRecord,
} from '../rolloutValidation/RolloutStore';
import type { ApplicationGate } from './applicationGate';

/**
 * `GET /instances/:instance/applications/:name/rollouts[?appNamespace=]`: the app's followed
 * rollouts with their validation, newest first, behind the same gate as the detail view.
 */
export function registerRolloutRoutes(
  gate: ApplicationGate,
  options: { store: RolloutStore },
): void {
  gate.get('/instances/{instance}/applications/{name}/rollouts', {
    audit: { eventId: 'application-rollouts-read' },
    handle: async ({ visible }): Promise<RolloutsResponse> => ({
      items: (await options.store.list(visible.app)).map(toRolloutRecord),
    }),
  });
}
