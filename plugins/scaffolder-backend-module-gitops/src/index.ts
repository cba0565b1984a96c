/**
 * Scaffolder actions of Kupe GitOps: a tenant's GitOps repository, its Argo CD
 * Applications, and waiting for them to become healthy.
 *
 * @packageDocumentation
 */

export { gitOpsScaffolderModule as default } from './module';
export { createGitOpsRepoCreateAction } from './actions/gitopsRepoCreate';
export type { GitOpsRepoCreateActionOptions } from './actions/gitopsRepoCreateOptions';
export { createArgoCdApplicationCreateAction } from './actions/argocdApplicationCreate';
export type { ArgoCdApplicationCreateActionOptions } from './actions/argocdApplicationCreate';
export { createArgoCdApplicationWaitAction } from './actions/argocdApplicationWait';
export type { ArgoCdApplicationWaitActionOptions } from './actions/argocdApplicationWait';
export { createCatalogRegisterAction } from './actions/catalogRegister';
export type { CatalogRegisterActionOptions } from './actions/catalogRegister';
export type {
  ApplicationScope,
  ApplicationTarget,
  RegisteredCluster,
} from './argocd/ApplicationTarget';
