import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  ActionResponse,
  ApplicationDetail,
  ApplicationsEvent,
  EntityApplicationsResponse,
  ManagedResourcesResponseBody,
  RefreshRequestBody,
  SyncRequestBody,
} from '@kupe/plugin-gitops-common';

/** Identifies one Argo CD application across instances. */
export interface ApplicationRef {
  instance: string;
  appNamespace: string;
  name: string;
}

/**
 * The browser's view of the gitops backend (`/api/gitops`).
 *
 * @public
 */
export interface GitOpsApi {
  /** The applications of a catalog entity, plus per-instance errors. */
  getEntityApplications(entityRef: string): Promise<EntityApplicationsResponse>;
  getApplication(app: ApplicationRef): Promise<ApplicationDetail>;
  /** Managed resources with live and desired manifests, for diffs. */
  getManagedResources(
    app: ApplicationRef,
  ): Promise<ManagedResourcesResponseBody>;
  sync(app: ApplicationRef, body: SyncRequestBody): Promise<ActionResponse>;
  refresh(
    app: ApplicationRef,
    body: RefreshRequestBody,
  ): Promise<ActionResponse>;
  terminate(app: ApplicationRef): Promise<ActionResponse>;
  /**
   * Calls `onEvent` whenever the entity's applications change, through server-sent events,
   * or by polling with backoff when the event stream is unavailable.
   *
   * @returns a function that ends the subscription
   */
  subscribe(
    entityRef: string,
    onEvent: (event: ApplicationsEvent) => void,
  ): () => void;
}

/** @public */
export const gitOpsApiRef = createApiRef<GitOpsApi>().with({
  id: 'plugin.gitops.api',
  pluginId: 'gitops',
});
