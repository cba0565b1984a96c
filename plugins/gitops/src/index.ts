/**
 * Kupe GitOps: Argo CD sync and health on catalog entities (new frontend system).
 * The legacy frontend system's exports live under `@kupe/plugin-gitops/legacy`.
 *
 * @packageDocumentation
 */
export {
  gitOpsPlugin as default,
  gitOpsApi,
  gitOpsEntityCard,
  gitOpsEntityContent,
  gitOpsEntityDoraCard,
  gitOpsTenantDoraPage,
} from './plugin';
export { gitOpsApiRef } from './api/GitOpsApi';
export type { GitOpsApi, ApplicationRef } from './api/GitOpsApi';
export { GitOpsClient } from './api/GitOpsClient';
export { gitOpsTranslationRef } from './translation';
export {
  argoCdApplicationSearchResultListItem,
  argoCdApplicationSearchResultType,
  argoCdApplicationSyncStatusSearchFilter,
  argoCdApplicationHealthStatusSearchFilter,
  argoCdApplicationEnvironmentSearchFilter,
  ARGOCD_APPLICATION_RESULT_TYPE,
} from './search';
