import { useApi } from '@backstage/frontend-plugin-api';
import type { RolloutsResponse } from '@kupe/plugin-gitops-common';
import type { DependencyList } from 'react';
import { type ApplicationRef, gitOpsApiRef } from '../api/GitOpsApi';
import { type AsyncValue, useAsyncValue } from './useAsyncValue';

/** The app's followed rollouts and their validation, newest first; reloads when `deps` change. */
export function useRollouts(
  app: ApplicationRef | undefined,
  deps: DependencyList,
): AsyncValue<RolloutsResponse> {
  const api = useApi(gitOpsApiRef);
  return useAsyncValue(
    () => (app ? api.getRollouts(app) : Promise.resolve({ items: [] })),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, app?.instance, app?.appNamespace, app?.name, ...deps],
  );
}
