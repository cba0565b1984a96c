import { useApi } from '@backstage/frontend-plugin-api';
import type {
  ApplicationDetail,
  ApplicationSummary,
} from '@kupe/plugin-gitops-common';
import { gitOpsApiRef } from '../api/GitOpsApi';
import { appKey } from '../lib/environmentGroups';
import { type KeyedValue, useKeyedAsync } from './useKeyedAsync';
import { gitReadingLoads } from '../lib/requestLimiter';

/**
 * Each app's detail (history, conditions, resources, sync windows), read once for the
 * overview's last deployment and the app's panel, and again whenever the live summary changes
 * in a way the detail reflects.
 */
export function useApplicationDetails(
  apps: readonly ApplicationSummary[],
): Map<string, KeyedValue<ApplicationDetail>> {
  const api = useApi(gitOpsApiRef);
  return useKeyedAsync(
    apps.map(app => ({
      key: appKey(app),
      version: JSON.stringify([
        app.sync,
        app.health,
        app.operation,
        app.lastSyncedAt,
      ]),
      load: () =>
        gitReadingLoads(() =>
          api.getApplication({
            instance: app.instance,
            appNamespace: app.appNamespace,
            name: app.name,
          }),
        ),
    })),
  );
}
