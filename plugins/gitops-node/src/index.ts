/**
 * The one Argo CD client of Kupe GitOps, behind `argoCdServiceRef`, and the one git layer
 * (working copies over the git CLI, GitHub repositories and pull requests).
 *
 * @packageDocumentation
 */

export type {
  SyncStatusCode,
  HealthStatusCode,
  OperationPhase,
  ResultCode,
  SyncPhase,
  WatchEventType,
  ObjectMeta,
  ApplicationSourceHelm,
  ApplicationSourceKustomize,
  ApplicationSource,
  ApplicationDestination,
  SyncPolicyAutomated,
  SyncPolicy,
  ApplicationSpec,
  SyncOperation,
  SyncOperationResource,
  OperationInitiator,
  Operation,
  ResourceResult,
  SyncOperationResult,
  OperationState,
  RevisionHistory,
  HealthStatus,
  ResourceStatus,
  ApplicationCondition,
  SyncStatus,
  ApplicationStatus,
  Application,
  ApplicationList,
  ApplicationWatchEvent,
  ResourceRef,
  ResourceNode,
  ApplicationTree,
  ResourceDiff,
  ManagedResourcesResponse,
  RevisionMetadata,
  ChartDetails,
  KubernetesEvent,
  EventList,
  ApplicationDestinationRule,
  AppProject,
  SyncWindow,
  ApplicationSyncWindow,
  ApplicationSyncWindowsResponse,
  AppProjectList,
  Cluster,
  ClusterList,
  UserInfo,
  VersionMessage,
  ApplicationSyncRequest,
  ApplicationRollbackRequest,
  ArgoCdErrorBody,
  ArgoCdStreamError,
  OwnerReference,
  GitDirectoryGeneratorItem,
  GitGenerator,
  ListGenerator,
  ApplicationSetGenerator,
  ApplicationSetTemplate,
  ApplicationSetSyncPolicy,
  ApplicationSetCondition,
  ApplicationSetStatus,
  ApplicationSetSpec,
  ApplicationSet,
  ApplicationSetList,
} from './argocd/types';
export type {
  ApplicationLogEntry,
  EventResourceRef,
  PodLogsQuery,
} from './argocd/logTypes';
export type {
  ApplicationResourceRef,
  ApplicationResourceResponse,
  ResourceAction,
  ResourceActionParameter,
  ResourceActionsListResponse,
} from './argocd/resourceActionTypes';
export type {
  ArgoCdAppScope,
  ArgoCdClient,
  ArgoCdInstanceConfig,
  ArgoCdInstanceInfo,
  ArgoCdService,
  ListApplicationsQuery,
  ListApplicationSetsQuery,
  GetApplicationSetOptions,
  WatchApplicationsQuery,
} from './client/ArgoCdClient';
export { DefaultArgoCdClient } from './client/DefaultArgoCdClient';
export { listedItemDigest } from './client/applicationListReader';
export {
  REQUESTED_BY_INFO,
  requestedByOf,
  toArgoCdSyncRequest,
} from './client/syncRequest';
export type { SyncChoices } from './client/syncRequest';
export {
  GitHubHost,
  GitWorkingCopy,
  GitRepository,
  resolveGitCredentials,
  GitCommandError,
  runGit,
} from './git';
export type {
  GitHubCommitStatus,
  GitHubPullRequest,
  GitHubRepository,
  GitHubReview,
  CommitAuthor,
  RemoteState,
  GitCommitMetadata,
  GitCommitSummary,
  GitRepositoryLocation,
  GitTreeEntry,
  GitCredentials,
  RunGitOptions,
} from './git';
export {
  matchesLabelSelector,
  parseLabelSelector,
  validateLabelSelector,
} from './labels/labelSelector';
export type { LabelSelectorRequirement } from './labels/labelSelector';
export {
  AUTO_SYNC_PAUSE_ANNOTATIONS,
  autoSyncPausePatch,
  autoSyncPauseReminderPatch,
  autoSyncPauseRecordRemoval,
  autoSyncResumePatch,
  findPolicyOwner,
  isAutoSyncPaused,
  readAutoSyncPauseRecord,
} from './automation/autoSyncPause';
export type {
  ApplicationPolicyOwner,
  AutoSyncPauseRecord,
} from './automation/autoSyncPause';
export type { ApplicationMergePatch } from './client/patchRequest';
export { globMatch } from './projects/glob';
export {
  isDestinationPermitted,
  isSourceRepoPermitted,
} from './projects/projectRules';
export {
  canSyncNow,
  isSyncWindowActive,
  matchSyncWindows,
  syncWindowTimes,
} from './syncWindows/syncWindowRules';
export type { SyncWindowTimes } from './syncWindows/syncWindowRules';
export { DefaultArgoCdService } from './service/DefaultArgoCdService';
export { argoCdServiceRef } from './service/argoCdServiceRef';
export { TenantResolver, normalizeEntityRef } from './tenancy';
export type {
  CallerTenants,
  TenantCatalog,
  TenantEntity,
  TenantResolverOptions,
} from './tenancy';
export { OwningEntityIndex } from './catalog/OwningEntityIndex';
/** Duration config keys (`'15s'`, `{ seconds: 15 }`) with their deprecated `*Ms` aliases. */
export { readDurationMs } from './config/readDurationMs';
export type { ReadDurationMsOptions } from './config/readDurationMs';
export type { OwningEntity } from './catalog/OwningEntityIndex';
/** The one group cache of the tenant rules, shared by every plugin's tenant resolver. */
export {
  TenantEntityCache,
  type TenantEntityCacheOptions,
  type TenantEntityFacts,
  type TenantEntityLoader,
} from './tenancy/TenantEntityCache';
/** Rules a module may replace in the tenant resolver. */
export type {
  ApplicationEnvironmentRule,
  CallerTenantsRule,
} from './tenancy/TenantResolver';
/** The tenant resolver of the calling plugin, sharing one cache across plugins. */
export {
  gitOpsTenantCacheServiceRef,
  gitOpsTenantResolverServiceRef,
} from './service/tenantResolverServiceRef';
/** What the product asks of a Git host (GitHub by default). */
export type {
  GitHost,
  GitHostCommitStatus,
  GitHostPullRequest,
  GitHostRepository,
  GitHostReview,
} from './git/GitHost';
/** Extension point: tenant and environment resolution of the gitops plugin. */
export {
  gitOpsTenancyExtensionPoint,
  type GitOpsTenancyExtensionPoint,
} from './extensions/tenancy';
/** Extension points: the Git host of the gitops plugin and of the scaffolder actions. */
export {
  gitOpsGitHostExtensionPoint,
  gitOpsScaffolderGitHostExtensionPoint,
  resolveGitHost,
  type GitHostFactory,
  type GitOpsGitHostExtensionPoint,
} from './extensions/gitHost';
/** Extension point: the search document transformer of the search collator. */
export {
  gitOpsSearchDocumentTransformerExtensionPoint,
  type ArgoCdApplicationDocumentFields,
  type ArgoCdApplicationDocumentTransformer,
  type GitOpsSearchDocumentTransformerExtensionPoint,
} from './extensions/searchDocumentTransformer';
/** Extension point: the promotion layout readers of the gitops plugin. */
export {
  gitOpsPromotionLayoutExtensionPoint,
  type GitOpsPromotionLayoutExtensionPoint,
  type PromotionLayoutReader,
  type PromotionLayoutSource,
  type PromotionLayoutTree,
  type PromotionLayoutVersion,
} from './extensions/promotionLayout';
