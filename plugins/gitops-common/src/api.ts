/**
 * Wire types of the gitops backend's routes under `/api/gitops`, generated from the backend's
 * `src/schema/openapi.yaml` into `./generated/openapi.ts` (openapi-typescript; rerun
 * `yarn workspace @kupe/plugin-gitops-common generate:api` after editing the document). The
 * names below are stable aliases of the generated schemas, so code does not depend on the
 * generator's layout; the backend's tests validate every response kind against the document.
 */
import type { components, paths } from './generated/openapi';
import type {
  HealthStatusValue,
  OperationPhaseValue,
  SyncStatusValue,
} from './status';
import type { SyncPolicyMode } from './syncPolicy';

type Schemas = components['schemas'];

/** Every route of the document, keyed by path template (generated). */
export type GitOpsApiPaths = paths;
/** Every schema of the document (generated). */
export type GitOpsApiSchemas = Schemas;

/** One Argo CD application as the card and the tab show it. */
export type ApplicationSummary = Schemas['ApplicationSummary'];

/**
 * One source of an application (spec order) with what runs from it and what Argo CD compares
 * it against: commit SHAs for Git, chart versions for a Helm-repository chart.
 *
 * @public
 */
export type ApplicationSourceSummary = Schemas['ApplicationSourceSummary'];
export type InstanceError = Schemas['InstanceError'];
/** `GET /entities/:namespace/:kind/:name/applications` */
export type EntityApplicationsResponse = Schemas['EntityApplicationsResponse'];
export type ApplicationHistoryEntry = Schemas['ApplicationHistoryEntry'];
export type ApplicationCondition = Schemas['ApplicationCondition'];
export type ApplicationResourceSummary = Schemas['ApplicationResourceSummary'];
/** `GET /instances/:instance/applications/:name` */
export type ApplicationDetail = Schemas['ApplicationDetail'];
/** Whether the app may sync now under its project's sync windows, and which windows apply. */
export type ApplicationSyncWindows = Schemas['ApplicationSyncWindows'];
/** One sync window of the app's project that applies to the app. */
export type SyncWindowSummary = Schemas['SyncWindow'];
/** One managed resource; for OutOfSync ones the normalized manifests for a diff. */
export type ManagedResource = Schemas['ManagedResource'];
/** `GET /instances/:instance/applications/:name/resources` */
export type ManagedResourcesResponseBody = Schemas['ManagedResourcesResponse'];
/** `POST .../sync` */
export type SyncRequestBody = Schemas['SyncRequest'];
/** `POST .../refresh` */
export type RefreshRequestBody = Schemas['RefreshRequest'];
/** `POST .../rollback` */
export type RollbackRequestBody = Schemas['RollbackRequest'];
/** Outcome of a mutation. */
export type ActionResponse = Schemas['ActionResponse'];
/** `GET /tenants`: what the scaffolder form offers. */
export type TenantInfo = Schemas['TenantInfo'];
export type TenantsResponse = Schemas['TenantsResponse'];
/** Payload of each `GET /events` server-sent event (`event: applications`). */
export type ApplicationsEvent = Schemas['ApplicationsEvent'];
/** Backstage's error body of every non-2xx answer. */
export type ErrorResponseBody = Schemas['Error'];

/** A path template of the document, e.g. `/instances/{instance}/applications/{name}`. */
export type GitOpsRoute = keyof paths;
/** The HTTP methods a route answers. */
export type GitOpsMethod<R extends GitOpsRoute> = {
  [M in 'get' | 'post' | 'put' | 'patch' | 'delete']: paths[R][M] extends {
    responses: unknown;
  }
    ? M
    : never;
}['get' | 'post' | 'put' | 'patch' | 'delete'];
type Operation<
  R extends GitOpsRoute,
  M extends GitOpsMethod<R>,
> = paths[R][M] extends infer O
  ? O extends { parameters: unknown; responses: unknown }
    ? O
    : never
  : never;
/** Path and query parameters of an operation (`{ path, query }`, as the document declares them). */
export type GitOpsParams<
  R extends GitOpsRoute,
  M extends GitOpsMethod<R>,
> = Pick<Operation<R, M>['parameters'], 'path' | 'query'>;
/** JSON request body of an operation (`never` when it takes none). */
export type GitOpsRequestBody<
  R extends GitOpsRoute,
  M extends GitOpsMethod<R>,
> = RequestBodyOf<NonNullable<Operation<R, M>['requestBody']>>;
type RequestBodyOf<T> = [T] extends [never]
  ? never
  : T extends { content: { 'application/json': infer B } }
  ? B
  : never;
/** JSON body of an operation's 200 answer. */
export type GitOpsResponseBody<
  R extends GitOpsRoute,
  M extends GitOpsMethod<R>,
> = Operation<R, M>['responses'] extends {
  200: { content: { 'application/json': infer B } };
}
  ? B
  : never;

// The document's enums are the domain's, and the route helpers resolve to the named schemas:
// these fail to compile when one side changes alone.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type AppRoute = '/instances/{instance}/applications/{name}';
const typesAgree: [
  Same<Schemas['SyncStatus'], SyncStatusValue>,
  Same<Schemas['HealthStatus'], HealthStatusValue>,
  Same<Schemas['OperationPhase'], OperationPhaseValue>,
  Same<Schemas['SyncPolicyMode'], SyncPolicyMode>,
  Same<GitOpsRequestBody<`${AppRoute}/sync`, 'post'>, SyncRequestBody>,
  Same<GitOpsResponseBody<`${AppRoute}/sync`, 'post'>, ActionResponse>,
  Same<GitOpsRequestBody<`${AppRoute}/terminate`, 'post'>, never>,
  Same<GitOpsResponseBody<AppRoute, 'get'>, ApplicationDetail>,
  Same<
    GitOpsParams<AppRoute, 'get'>['query'],
    { appNamespace?: string } | undefined
  >,
  Same<GitOpsMethod<AppRoute>, 'get'>,
] = [true, true, true, true, true, true, true, true, true, true];
void typesAgree;
