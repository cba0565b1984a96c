import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { RolloutsResponse } from '@kupe/plugin-gitops-common';
import type { DependencyList } from 'react';
import type { ApplicationRef } from '../api/GitOpsApi';
import { type AsyncValue, useAsyncValue } from './useAsyncValue';

/** The app's followed rollouts and their validation, newest first; reloads when `deps` change. */
export function useRollouts(
  app: ApplicationRef | undefined,
  deps: DependencyList,
): AsyncValue<RolloutsResponse> {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  return useAsyncValue(async () => {
    if (!app) return { items: [] };
    const base = await discoveryApi.getBaseUrl('gitops');
    const url = `${base}/instances/${encodeURIComponent(
      app.instance,
    )}/applications/${encodeURIComponent(
      app.name,
    )}/rollouts?appNamespace=${encodeURIComponent(app.appNamespace)}`;
    const res = await fetchApi.fetch(url);
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as RolloutsResponse;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [
    discoveryApi,
    fetchApi,
    app?.instance,
    app?.appNamespace,
    app?.name,
    ...deps,
  ]);
}
