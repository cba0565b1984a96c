/**
 * The Kupe GitOps backend plugin: tenant-scoped Argo CD routes under `/api/gitops`.
 *
 * @packageDocumentation
 */

export { gitopsPlugin as default } from './plugin';
export {
  applicationResourceRef as gitopsApplicationResourceRef,
  gitopsApplicationConditions,
  createGitopsApplicationConditionalDecision,
  type ApplicationQuery as GitopsApplicationQuery,
} from './permissions/applicationResource';
export type { IndexedApplication } from './index/IndexedApplication';
