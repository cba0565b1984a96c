/**
 * The Kupe GitOps backend plugin: tenant-scoped Argo CD routes under `/api/gitops`.
 *
 * @packageDocumentation
 */

export { gitOpsPlugin as default } from './plugin';
export {
  gitOpsApplicationConditions,
  createGitOpsApplicationConditionalDecision,
  type ApplicationQuery as GitOpsApplicationQuery,
} from './permissions/applicationResource';
export {
  DEFAULT_BACKEND_OPTIONS,
  type BackendOptions as GitOpsBackendOptions,
} from './config/BackendOptions';
