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
} from './argocd/types';
export type {
  ArgoCdAppScope,
  ArgoCdClient,
  ArgoCdInstanceConfig,
  ArgoCdInstanceInfo,
  ArgoCdService,
  ListApplicationsQuery,
  WatchApplicationsQuery,
} from './client/ArgoCdClient';
export { DefaultArgoCdClient } from './client/DefaultArgoCdClient';
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
export type { OwningEntity } from './catalog/OwningEntityIndex';
