/**
 * The one Argo CD client of Kupe GitOps, behind `argoCdServiceRef`, and the one git layer
 * (working copies over the git CLI, GitHub repositories and pull requests).
 *
 * @packageDocumentation
 */

export * from './argocd/types';
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
export * from './git';
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
export * from './tenancy';
export { OwningEntityIndex } from './catalog/OwningEntityIndex';
export type { OwningEntity } from './catalog/OwningEntityIndex';
