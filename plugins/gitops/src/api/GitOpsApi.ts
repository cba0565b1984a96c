import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  ArgoRollout,
  ArgoRolloutAction,
  ArgoRolloutsResponse,
  ActionResponse,
  ApplicationDetail,
  ApplicationSetDetail,
  ApplicationsEvent,
  DoraResponse,
  LiftQuarantineRequest,
  Quarantine,
  QuarantineRequest,
  QuarantinesResponse,
  EntityApplicationsResponse,
  ManagedResourcesResponseBody,
  PauseAutoSyncRequestBody,
  PromoteResponse,
  PromotionPreview,
  RefreshRequestBody,
  RevertPlan,
  RevertRequest,
  RevertResponse,
  RollbackRequestBody,
  RolloutsResponse,
  SyncRequestBody,
  TenantsResponse,
} from '@kupe/plugin-gitops-common';

/**
 * Identifies one Argo CD application across instances.
 *
 * @public
 */
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
  /** Followed rollouts with their post-deploy validation, newest first. */
  getRollouts(app: ApplicationRef): Promise<RolloutsResponse>;
  /** The Argo Rollouts of the app's resource tree: step, weight, versions, analysis, actions. */
  getArgoRollouts(app: ApplicationRef): Promise<ArgoRolloutsResponse>;
  /** Promotes, fully promotes, aborts or retries one Rollout of the app; answers it after. */
  runArgoRolloutAction(
    app: ApplicationRef,
    rollout: { namespace: string; name: string },
    action: ArgoRolloutAction,
  ): Promise<ArgoRollout>;
  /** The ApplicationSet that generated the app: status, conditions, generators, members. */
  getApplicationSet(app: ApplicationRef): Promise<ApplicationSetDetail>;
  /** DORA figures of an entity's production applications over the last `days` (default 30). */
  getEntityDora(entityRef: string, days?: number): Promise<DoraResponse>;
  /** DORA figures of a tenant's production applications (its members and the platform team). */
  getTenantDora(tenant: string, days?: number): Promise<DoraResponse>;
  /** The entity's quarantined releases (lifted ones too with `includeLifted`). */
  getEntityQuarantines(
    entityRef: string,
    options?: { includeLifted?: boolean },
  ): Promise<QuarantinesResponse>;
  /** Quarantines a version of the entity's service, with a reason. */
  quarantine(entityRef: string, body: QuarantineRequest): Promise<Quarantine>;
  /** Lifts one of the entity's quarantines, with a reason. */
  liftQuarantine(
    entityRef: string,
    id: string,
    body: LiftQuarantineRequest,
  ): Promise<Quarantine>;
  /** The caller's tenants (every tenant for the platform team), per instance. */
  listTenants(): Promise<TenantsResponse>;
  sync(app: ApplicationRef, body: SyncRequestBody): Promise<ActionResponse>;
  refresh(
    app: ApplicationRef,
    body: RefreshRequestBody,
  ): Promise<ActionResponse>;
  terminate(app: ApplicationRef): Promise<ActionResponse>;
  /** Turns the app's auto-sync off with a reason, recording who, when and why. */
  pauseAutoSync(
    app: ApplicationRef,
    body: PauseAutoSyncRequestBody,
  ): Promise<ActionResponse>;
  /** Turns a paused auto-sync back on, with the policy it had. */
  resumeAutoSync(app: ApplicationRef): Promise<ActionResponse>;
  /** Argo CD's own rollback to a history id (refused for auto-sync apps). */
  rollback(
    app: ApplicationRef,
    body: RollbackRequestBody,
  ): Promise<ActionResponse>;
  /** The deployed version and what promoting it into the next environment would move. */
  getPromotion(app: ApplicationRef): Promise<PromotionPreview>;
  /** Opens the pull request carrying the deployed version into the next environment. */
  /** `allowDowngrade` confirms a promotion that moves the next environment backwards. */
  promote(
    app: ApplicationRef,
    options?: { allowDowngrade?: boolean },
  ): Promise<PromoteResponse>;
  /** The commits after `toRevision` on the app's files and the diff reverting them gives. */
  getRevertPlan(app: ApplicationRef, toRevision: string): Promise<RevertPlan>;
  /** Rollback by Git revert, as a pull request or a direct commit. */
  revert(app: ApplicationRef, body: RevertRequest): Promise<RevertResponse>;
  /**
   * Calls `onEvent` with the entity's applications, then whenever they change, through
   * server-sent events (whose first event is the list's answer: one request), or by polling
   * with backoff when the event stream is unavailable. The list is read instead when the
   * stream gives no first state; `onError` is called when that read fails too.
   *
   * @returns a function that ends the subscription
   */
  subscribe(
    entityRef: string,
    onEvent: (event: ApplicationsEvent) => void,
    onError?: (error: Error) => void,
  ): () => void;
}

/**
 * The API ref of the gitops backend client (`GitOpsApi`).
 *
 * @public
 */
export const gitOpsApiRef = createApiRef<GitOpsApi>().with({
  id: 'plugin.gitops.api',
  pluginId: 'gitops',
});
