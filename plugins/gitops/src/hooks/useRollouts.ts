import { useApi } from '@backstage/frontend-plugin-api';
import type { RolloutsResponse } from '@kupe/plugin-gitops-common';
import { type DependencyList, useEffect, useState } from 'react';
import { type ApplicationRef, gitOpsApiRef } from '../api/GitOpsApi';
import { type AsyncValue, useAsyncValue } from './useAsyncValue';

/**
 * How often rollouts are reloaded while one is still being validated. A rollout's outcome can
 * change without the app's summary changing (a Degraded app fails its bake time while it stays
 * Degraded), so the summary's live updates alone would leave "Validating…" on screen.
 */
export const ROLLOUT_POLL_MS = 5000;

/**
 * The app's followed rollouts and their validation, newest first; reloads when `deps` change,
 * and every {@link ROLLOUT_POLL_MS} while any rollout is in progress.
 */
export function useRollouts(
  app: ApplicationRef | undefined,
  deps: DependencyList,
): AsyncValue<RolloutsResponse> {
  const api = useApi(gitOpsApiRef);
  const [tick, setTick] = useState(0);
  const rollouts = useAsyncValue(
    () => (app ? api.getRollouts(app) : Promise.resolve({ items: [] })),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, app?.instance, app?.appNamespace, app?.name, tick, ...deps],
  );
  const validating = !!rollouts.value?.items.some(
    r => r.outcome === 'in-progress',
  );
  useEffect(() => {
    if (!validating || rollouts.loading) return undefined;
    const timer = setTimeout(() => setTick(t => t + 1), ROLLOUT_POLL_MS);
    return () => clearTimeout(timer);
  }, [validating, rollouts.loading, rollouts.value]);
  return rollouts;
}
