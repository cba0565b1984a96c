import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { RunningQuarantine } from './ArgoCdApplicationDocument';

/**
 * Reads the applications that run a quarantined version from the gitops backend
 * (`GET /api/gitops/quarantines/running`, for services only), as this plugin's service.
 */
export function readRunningQuarantines(deps: {
  discovery: Pick<DiscoveryService, 'getBaseUrl'>;
  auth: Pick<AuthService, 'getOwnServiceCredentials' | 'getPluginRequestToken'>;
  fetch?: typeof fetch;
}): () => Promise<RunningQuarantine[]> {
  const doFetch = deps.fetch ?? fetch;
  return async () => {
    const base = await deps.discovery.getBaseUrl('gitops');
    const { token } = await deps.auth.getPluginRequestToken({
      onBehalfOf: await deps.auth.getOwnServiceCredentials(),
      targetPluginId: 'gitops',
    });
    const response = await doFetch(`${base}/quarantines/running`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()).items as RunningQuarantine[];
  };
}
