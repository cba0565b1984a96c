import { useCallback, useEffect, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  ApplicationSummary,
  EntityApplicationsResponse,
} from '@kupe/plugin-gitops-common';
import { gitOpsApiRef } from '../api/GitOpsApi';

export interface EntityApplicationsState {
  loading: boolean;
  error?: Error;
  data?: EntityApplicationsResponse;
  /** Puts the summary an action returned in place, before the next event confirms it. */
  applySummary(summary: ApplicationSummary): void;
}

/**
 * The entity's applications: one request, then kept current by the API's subscription
 * (server-sent events, or backoff polling when those are unavailable).
 */
export function useEntityApplications(
  entityRef: string,
): EntityApplicationsState {
  const api = useApi(gitOpsApiRef);
  const [state, setState] = useState<{
    loading: boolean;
    error?: Error;
    data?: EntityApplicationsResponse;
  }>({
    loading: true,
  });

  useEffect(() => {
    let active = true;
    setState({ loading: true });
    api.getEntityApplications(entityRef).then(
      data =>
        active && setState(s => ({ loading: false, data: s.data ?? data })),
      error => active && setState({ loading: false, error }),
    );
    const unsubscribe = api.subscribe(entityRef, event => {
      if (active)
        setState({
          loading: false,
          data: {
            items: event.items,
            errors: event.errors,
            withheld: event.withheld,
          },
        });
    });
    return () => {
      active = false;
      unsubscribe();
    };
  }, [api, entityRef]);

  const applySummary = useCallback((summary: ApplicationSummary) => {
    setState(s =>
      s.data
        ? {
            ...s,
            data: {
              ...s.data,
              items: s.data.items.map(item =>
                sameApp(item, summary) ? summary : item,
              ),
            },
          }
        : s,
    );
  }, []);

  return { ...state, applySummary };
}

export function sameApp(
  a: Pick<ApplicationSummary, 'instance' | 'appNamespace' | 'name'>,
  b: Pick<ApplicationSummary, 'instance' | 'appNamespace' | 'name'>,
): boolean {
  return (
    a.instance === b.instance &&
    a.appNamespace === b.appNamespace &&
    a.name === b.name
  );
}
