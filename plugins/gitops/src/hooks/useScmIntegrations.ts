import { useMemo } from 'react';
import {
  configApiRef,
  useApi,
  useApiHolder,
} from '@backstage/frontend-plugin-api';
import {
  ScmIntegrations,
  type ScmIntegrationRegistry,
} from '@backstage/integration';
import { scmIntegrationsApiRef } from '@backstage/integration-react';

/**
 * The app's SCM integrations; read from config when the app registers no
 * `scmIntegrationsApiRef` (an app assembled without the default APIs), so a commit on a
 * configured host still links.
 */
export function useScmIntegrations(): ScmIntegrationRegistry {
  const registered = useApiHolder().get(scmIntegrationsApiRef);
  const config = useApi(configApiRef);
  return useMemo(
    () => registered ?? ScmIntegrations.fromConfig(config),
    [registered, config],
  );
}
