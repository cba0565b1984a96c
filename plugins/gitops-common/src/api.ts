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

// Every route of the document keyed by path template, and every schema, parameter and
// response (generated, documented by the generator).
export type { paths as GitOpsApiPaths, components as GitOpsApiComponents };
/**
 * Every schema of the document (generated).
 *
 * @public
 */
export type GitOpsApiSchemas = components['schemas'];

/**
 * One Argo CD application as the card and the tab show it.
 *
 * @public
 */
export type ApplicationSummary = GitOpsApiSchemas['ApplicationSummary'];

/**
 * One source of an application (spec order) with what runs from it and what Argo CD compares
 * it against: commit SHAs for Git, chart versions for a Helm-repository chart.
 *
 * @public
 */
export type ApplicationSourceSummary =
  GitOpsApiSchemas['ApplicationSourceSummary'];
/**
 * An Argo CD instance that did not answer, listed beside the applications of the instances that did.
 *
 * @public
 */
export type InstanceError = GitOpsApiSchemas['InstanceError'];
/**
 * `GET /entities/:namespace/:kind/:name/applications`
 *
 * @public
 */
export type EntityApplicationsResponse =
  GitOpsApiSchemas['EntityApplicationsResponse'];
/**
 * One deployment in an application's history.
 *
 * @public
 */
export type ApplicationHistoryEntry =
  GitOpsApiSchemas['ApplicationHistoryEntry'];
/**
 * A warning or error condition Argo CD reports on an application.
 *
 * @public
 */
export type ApplicationCondition = GitOpsApiSchemas['ApplicationCondition'];
/**
 * One Kubernetes resource an application manages, with its sync and health status.
 *
 * @public
 */
export type ApplicationResourceSummary =
  GitOpsApiSchemas['ApplicationResourceSummary'];
/**
 * `GET /instances/:instance/applications/:name`
 *
 * @public
 */
export type ApplicationDetail = GitOpsApiSchemas['ApplicationDetail'];
/**
 * Whether the app may sync now under its project's sync windows, and which windows apply.
 *
 * @public
 */
export type ApplicationSyncWindows = GitOpsApiSchemas['ApplicationSyncWindows'];
/**
 * One sync window of the app's project that applies to the app.
 *
 * @public
 */
export type SyncWindowSummary = GitOpsApiSchemas['SyncWindow'];
/**
 * One managed resource; for OutOfSync ones the normalized manifests for a diff.
 *
 * @public
 */
export type ManagedResource = GitOpsApiSchemas['ManagedResource'];
/**
 * `GET /instances/:instance/applications/:name/resources`
 *
 * @public
 */
export type ManagedResourcesResponseBody =
  GitOpsApiSchemas['ManagedResourcesResponse'];
/**
 * `POST .../sync`
 *
 * @public
 */
export type SyncRequestBody = GitOpsApiSchemas['SyncRequest'];
/**
 * `POST .../refresh`
 *
 * @public
 */
export type RefreshRequestBody = GitOpsApiSchemas['RefreshRequest'];
/**
 * `POST .../rollback`
 *
 * @public
 */
export type RollbackRequestBody = GitOpsApiSchemas['RollbackRequest'];
/**
 * Outcome of a mutation.
 *
 * @public
 */
export type ActionResponse = GitOpsApiSchemas['ActionResponse'];
/**
 * `GET /tenants`: what the scaffolder form offers.
 *
 * @public
 */
export type TenantInfo = GitOpsApiSchemas['TenantInfo'];
/**
 * `GET /tenants`: the tenants the caller belongs to.
 *
 * @public
 */
export type TenantsResponse = GitOpsApiSchemas['TenantsResponse'];
/**
 * Payload of each `GET /events` server-sent event (`event: applications`).
 *
 * @public
 */
export type ApplicationsEvent = GitOpsApiSchemas['ApplicationsEvent'];
/**
 * Backstage's error body of every non-2xx answer.
 *
 * @public
 */
export type ErrorResponseBody = GitOpsApiSchemas['Error'];

/**
 * A path template of the document, e.g. `/instances/{instance}/applications/{name}`.
 *
 * @public
 */
export type GitOpsRoute = keyof paths;
/**
 * The HTTP methods a route answers.
 *
 * @public
 */
export type GitOpsMethod<R extends GitOpsRoute> = {
  [M in 'get' | 'post' | 'put' | 'patch' | 'delete']: paths[R][M] extends {
    responses: unknown;
  }
    ? M
    : never;
}['get' | 'post' | 'put' | 'patch' | 'delete'];
/**
 * One operation of the document: its parameters, request body and responses.
 *
 * @public
 */
export type GitOpsOperation<
  R extends GitOpsRoute,
  M extends GitOpsMethod<R>,
> = paths[R][M] extends infer O
  ? O extends { parameters: unknown; responses: unknown }
    ? O
    : never
  : never;
/**
 * Path and query parameters of an operation (`{ path, query }`, as the document declares them).
 *
 * @public
 */
export type GitOpsParams<
  R extends GitOpsRoute,
  M extends GitOpsMethod<R>,
> = Pick<GitOpsOperation<R, M>['parameters'], 'path' | 'query'>;
/**
 * JSON request body of an operation (`never` when it takes none).
 *
 * @public
 */
export type GitOpsRequestBody<
  R extends GitOpsRoute,
  M extends GitOpsMethod<R>,
> = [NonNullable<GitOpsOperation<R, M>['requestBody']>] extends [never]
  ? never
  : NonNullable<GitOpsOperation<R, M>['requestBody']> extends {
      content: { 'application/json': infer B };
    }
  ? B
  : never;
/**
 * JSON body of an operation's 200 answer.
 *
 * @public
 */
export type GitOpsResponseBody<
  R extends GitOpsRoute,
  M extends GitOpsMethod<R>,
> = GitOpsOperation<R, M>['responses'] extends {
  200: { content: { 'application/json': infer B } };
}
  ? B
  : never;

// The document's enums are the domain's, and the route helpers resolve to the named schemas:
// these fail to compile when one side changes alone.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type AppRoute = '/instances/{instance}/applications/{name}';
const typesAgree: [
  Same<GitOpsApiSchemas['SyncStatus'], SyncStatusValue>,
  Same<GitOpsApiSchemas['HealthStatus'], HealthStatusValue>,
  Same<GitOpsApiSchemas['OperationPhase'], OperationPhaseValue>,
  Same<GitOpsApiSchemas['SyncPolicyMode'], SyncPolicyMode>,
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
