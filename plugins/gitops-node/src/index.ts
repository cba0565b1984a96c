/**
 * The one Argo CD client of Kupe GitOps, behind `argoCdServiceRef`.
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
export {
  parseLabelSelector,
  validateLabelSelector,
} from './client/labelSelector';
export type { LabelSelectorRequirement } from './client/labelSelector';
export { DefaultArgoCdService } from './service/DefaultArgoCdService';
export { argoCdServiceRef } from './service/argoCdServiceRef';
export * from './tenancy';
