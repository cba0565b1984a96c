/**
 * Kupe GitOps for the legacy frontend system: put `EntityGitOpsCard` on the entity overview
 * and `EntityGitOpsContent` in an `EntityLayout.Route path="/gitops"`, behind
 * `isGitOpsAvailable` from `@kupe/plugin-gitops-common`.
 *
 * @packageDocumentation
 */
export {
  gitOpsPlugin,
  gitOpsRouteRef,
  EntityGitOpsCard,
  EntityGitOpsContent,
  ArgoCdApplicationSearchResultListItem,
} from './plugin';
export type { ArgoCdApplicationSearchResultListItemProps } from '../search/ArgoCdApplicationSearchResultListItem';
export { gitOpsApiRef } from '../api/GitOpsApi';
export type { GitOpsApi, ApplicationRef } from '../api/GitOpsApi';
export { GitOpsClient } from '../api/GitOpsClient';
export { isGitOpsAvailable } from '@kupe/plugin-gitops-common';
