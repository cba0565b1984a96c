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
 * The entity's applications: the first state of the API's subscription (the event stream's
 * first event, so one request; the list's GET when the stream gives none), then kept current
 * by it (server-sent events, or backoff polling when those are unavailable).
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
    const unsubscribe = api.subscribe(
      entityRef,
      ({ entityRef: _entityRef, ...data }) => {
        if (active) setState({ loading: false, data });
      },
      error => {
        if (active) setState({ loading: false, error });
      },
    );
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
