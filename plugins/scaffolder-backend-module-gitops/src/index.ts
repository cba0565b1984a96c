/**
 * Scaffolder actions of Kupe GitOps: a tenant's GitOps repository, its Argo CD
 * Applications, and waiting for them to become healthy.
 *
 * @packageDocumentation
 */

export { gitopsScaffolderModule as default } from './module';
export { createGitopsRepoCreateAction } from './actions/gitopsRepoCreate';
export type { GitopsRepoCreateActionOptions } from './actions/gitopsRepoCreate';
export { createArgocdApplicationCreateAction } from './actions/argocdApplicationCreate';
export type { ArgocdApplicationCreateActionOptions } from './actions/argocdApplicationCreate';
export { createArgocdApplicationWaitAction } from './actions/argocdApplicationWait';
export type { ArgocdApplicationWaitActionOptions } from './actions/argocdApplicationWait';
export { createCatalogRegisterAction } from './actions/catalogRegister';
export type { CatalogRegisterActionOptions } from './actions/catalogRegister';
