import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { TenantInfo, TenantsResponse } from '@kupe/plugin-gitops-common';
import { useEffect, useState } from 'react';

/** The signed-in user's tenants from `GET /api/gitops/tenants`; the backend filters them. */
export function useGitOpsTenants(): {
  tenants?: TenantInfo[];
  error?: Error;
} {
  const discovery = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const [state, setState] = useState<{ tenants?: TenantInfo[]; error?: Error }>(
    {},
  );
  useEffect(() => {
    let cancelled = false;
    (async () => {
      const base = await discovery.getBaseUrl('gitops');
      const response = await fetchApi.fetch(`${base}/tenants`);
      if (!response.ok) throw await ResponseError.fromResponse(response);
      const body = (await response.json()) as TenantsResponse;
      if (!cancelled) setState({ tenants: body.items });
    })().catch(error => {
      if (!cancelled) setState({ error });
    });
    return () => {
      cancelled = true;
    };
  }, [discovery, fetchApi]);
  return state;
}
