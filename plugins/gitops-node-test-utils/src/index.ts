/**
 * Contract-true Argo CD v3.5.1 test doubles: an in-memory API server, msw handlers and
 * builders of realistic objects; and a contract-true double of the GitHub REST API subset Kupe
 * uses (repositories, pull requests, reviews, merges), backed by real bare git repositories.
 *
 * @packageDocumentation
 */

export { ArgoCdFake } from './fake/ArgoCdFake';
export type { ArgoCdFakeOptions, FakeRequestRecord } from './fake/ArgoCdFake';
export type { AppKey, ArgoCdFakeController } from './fake/controller';
export { SimpleController } from './fake/SimpleController';
export type { LiveManifest } from './fake/rolloutActions';
export {
  CANARY_STEPS,
  ROLLOUT_HASHES,
  buildAnalysisRun,
  buildRollout,
  buildRolloutReplicaSet,
} from './builders/buildRollout';
export { FakeApplicationSets } from './fake/applicationSets';
export type { AppSetAccess } from './fake/applicationSets';
export {
  DEFAULT_RECONCILE_INTERVAL_MS,
  DEFAULT_RECONCILE_JITTER_MS,
  ReconcileClock,
} from './fake/reconcileClock';
export type {
  ReconcileClockOptions,
  ReconcileTarget,
} from './fake/reconcileClock';
export { DEFAULT_WATCH_BUFFER_SIZE } from './fake/watchBuffer';
export type { SimpleControllerOptions } from './fake/SimpleController';
/** Helm repositories a controller double reads: chart versions and their `Chart.yaml` details. */
export { HelmChartCatalog } from './fake/helmCharts';
/** The version the repo-server picks for a chart `targetRevision` (a version or a semver range). */
export { resolveChartVersion } from './fake/helmCharts';
export type { HelmChartRelease } from './fake/helmCharts';
export { ArgoCdApiError, GrpcCode, httpStatusOfGrpcCode } from './fake/errors';
export { ArgoCdSwaggerValidator } from './contract/argoCdSwaggerValidator';
export { ARGOCD_FAKE_ADMIN_TOKEN, projectRoleSubject } from './fake/tokens';
export { LabelSelector } from './fake/labelSelector';
export { CONTROL_PLANE_NAMESPACE } from './fake/rbac';
export { argoCdMswHandlers } from './msw/argoCdMswHandlers';
export { buildApplication } from './builders/buildApplication';
export type { BuildApplicationOptions } from './builders/buildApplication';
export {
  buildTenantProject,
  tenantRolePolicies,
} from './builders/buildTenantProject';
export { buildCluster } from './builders/buildCluster';
export { TEST_IDENTITY_ORIGIN, buildGroup } from './builders/buildGroup';
export { GitHubFake } from './github/GitHubFake';
export type {
  GitHubFakeBranchProtection,
  GitHubFakeOptions,
  GitHubFakeOrganization,
  GitHubFakeRequestRecord,
  GitHubFakeUser,
  Json as GitHubJson,
} from './github/GitHubFake';
export { GitHubApiError } from './github/GitHubApiError';
export { Codeowners, codeownersPatternRegex } from './github/codeowners';
export { gitHubMswHandlers } from './github/gitHubMswHandlers';
export { LocalGitHub } from './github/LocalGitHub';
export { GitHttpServer } from './git/GitHttpServer';
export { GitSmartHttp, basicPassword } from './git/GitSmartHttp';
export type {
  GitAccess,
  GitAccessRequest,
  GitSmartHttpOptions,
} from './git/GitSmartHttp';
export { gitHubGitAccess } from './github/gitHubGitAccess';
export type {
  GitHttpServerOptions,
  GitPush,
  GitPushUpdate,
} from './git/GitHttpServer';
export { serveGitHttpBackend } from './git/gitHttpBackend';
export { serveFetchHandler } from './http/serveFetchHandler';
export type { GitHttpBackendOptions } from './git/gitHttpBackend';
export { waitFor } from './waitFor';
