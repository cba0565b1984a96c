/**
 * Document type of the `@kupe/plugin-search-backend-module-gitops` collator.
 *
 * @public
 */
export const ARGOCD_APPLICATION_RESULT_TYPE = 'argocd-application';
