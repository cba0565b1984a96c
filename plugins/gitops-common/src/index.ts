/**
 * The Kupe GitOps domain, shared by the browser and the server.
 *
 * @packageDocumentation
 */

export {
  isGitOpsAvailable,
  TENANT_ANNOTATION,
  ARGOCD_APP_NAME_ANNOTATION,
  ARGOCD_APP_SELECTOR_ANNOTATION,
  ARGOCD_INSTANCE_NAME_ANNOTATION,
  ARGOCD_PROJECT_NAME_ANNOTATION,
  ARGOCD_APP_NAMESPACE_ANNOTATION,
  TENANT_LABEL,
  ENVIRONMENT_LABEL,
  KUBERNETES_ID_LABEL,
} from './annotations';
export type { AnnotatedEntity } from './annotations';
export {
  isDns1123Label,
  isDns1123Subdomain,
  requireDns1123Label,
  requireDns1123Subdomain,
  InvalidNameError,
} from './names';
export { DEFAULT_TENANT_NAMING, TenantNaming } from './tenancy';
export type { TenantNamingPatterns } from './tenancy';
export {
  rollUp,
  SYNC_STATUSES,
  HEALTH_STATUSES,
  OPERATION_PHASES,
  ROLLUP_STATES,
} from './status';
export type {
  SyncStatusValue,
  HealthStatusValue,
  OperationPhaseValue,
  RollupState,
  RollupInput,
  Rollup,
} from './status';
export {
  normalizeEnvironment,
  compareEnvironments,
  isProductionEnvironment,
  nextEnvironment,
  ENVIRONMENT_ORDER,
} from './environments';
export {
  isSyncPolicyMode,
  toArgoSyncPolicy,
  fromArgoSyncPolicy,
  isAutoSync,
  SYNC_POLICIES,
} from './syncPolicy';
export type { SyncPolicyMode, ArgoSyncPolicy } from './syncPolicy';
export {
  applicationResourceRef,
  parseApplicationResourceRef,
  GITOPS_APPLICATION_RESOURCE_TYPE,
  gitOpsApplicationReadPermission,
  gitOpsApplicationSyncPermission,
  gitOpsApplicationSyncForcePermission,
  gitOpsApplicationSyncPrunePermission,
  gitOpsApplicationRollbackPermission,
  gitOpsApplicationPromotePermission,
  gitOpsRolloutAbortPermission,
  gitOpsRolloutPromoteFullPermission,
  gitOpsRolloutPromotePermission,
  gitOpsRolloutRetryPermission,
  gitOpsApplicationAutomationPermission,
  gitOpsApplicationLogsPermission,
  gitOpsApplicationCreatePermission,
  gitOpsMetricsReadPermission,
  gitOpsReleaseQuarantinePermission,
  gitOpsPermissions,
} from './permissions';
export type {
  GitOpsApiComponents,
  GitOpsApiPaths,
  GitOpsApiSchemas,
  ApplicationSummary,
  ApplicationSourceSummary,
  InstanceError,
  EntityApplicationsResponse,
  ApplicationHistoryEntry,
  ApplicationCondition,
  ApplicationResourceSummary,
  ApplicationDetail,
  ApplicationSyncWindows,
  SyncWindowSummary,
  ManagedResource,
  ManagedResourcesResponseBody,
  SyncRequestBody,
  RefreshRequestBody,
  RollbackRequestBody,
  ActionResponse,
  TenantInfo,
  TenantsResponse,
  ApplicationsEvent,
  ErrorResponseBody,
  GitOpsRoute,
  GitOpsMethod,
  GitOpsParams,
  GitOpsOperation,
  GitOpsRequestBody,
  GitOpsResponseBody,
} from './api';
export type {
  DoraBucket,
  DoraDeployment,
  DoraFigure,
  DoraResponse,
} from './dora';
export type {
  LogLine,
  LogPod,
  LogPodsResponse,
  PodLogsResponse,
  ResourceEvent,
  ResourceEventsResponse,
} from './logs';
export { POD_LOG_LIMITS } from './logs';
export type {
  LiftQuarantineRequest,
  Quarantine,
  QuarantinedDeployment,
  QuarantineRequest,
  QuarantinesResponse,
  RunningQuarantine,
} from './quarantine';
export type { AutoSyncPause, PauseAutoSyncRequestBody } from './autoSync';
export type {
  ApplicationParent,
  ApplicationSetDetail,
  ApplicationSetGeneratorSummary,
} from './applicationSets';
export { ROLLOUT_OUTCOMES } from './rollouts';
export { ARGO_ROLLOUT_ACTIONS } from './argoRollouts';
export type {
  ArgoRollout,
  ArgoRolloutAction,
  ArgoRolloutAnalysisRun,
  ArgoRolloutStep,
  ArgoRolloutVersion,
  ArgoRolloutsResponse,
} from './argoRollouts';
export type {
  RolloutOutcome,
  RolloutRecord,
  RolloutsResponse,
} from './rollouts';
export {
  resolveDashboardLinks,
  METRICS_URL_ANNOTATION,
  ALERTS_URL_ANNOTATION,
} from './dashboards';
export type { DashboardLinks, DashboardContext } from './dashboards';
export type {
  ApplicationRef,
  GitCommit,
  ImageVersion,
  SourceLayout,
  EnvironmentVersion,
  PromotionTarget,
  ImageChange,
  ChartDependency,
  ChartChange,
  VersionDowngrade,
  PromotionPreview,
  PromoteRequest,
  PromoteResponse,
  RevertPlan,
  RevertRequest,
  RevertResponse,
} from './gitOperations';
export { canonicalJson } from './canonicalJson';
export { compareSemver } from './semver';
