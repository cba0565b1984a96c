import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import {
  createSearchResultListItemExtension,
  type SearchResultListItemExtensionProps,
} from '@backstage/plugin-search-react';
import type { ArgoCdApplicationSearchResultListItemProps } from '../search/ArgoCdApplicationSearchResultListItem';
import { gitOpsApiRef } from '../api/GitOpsApi';
import { GitOpsClient } from '../api/GitOpsClient';
import { ARGOCD_APPLICATION_RESULT_TYPE } from '../search/resultType';

/**
 * The route of the entity's GitOps tab (legacy frontend system).
 *
 * @public
 */
export const gitOpsRouteRef = createRouteRef({ id: 'gitops' });

/**
 * Kupe GitOps for apps still on the legacy frontend system.
 *
 * @public
 */
export const gitOpsPlugin = createPlugin({
  id: 'gitops',
  apis: [
    createApiFactory({
      api: gitOpsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new GitOpsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { entityContent: gitOpsRouteRef },
});

/**
 * The entity overview card: sync and health of the entity's Argo CD applications per
 * environment. Typed explicitly so the report names no lazily imported component type.
 *
 * @public
 */
export const EntityGitOpsCard: () => JSX.Element = gitOpsPlugin.provide(
  createComponentExtension({
    name: 'EntityGitOpsCard',
    component: {
      lazy: () =>
        import('../components/EntityGitOpsCard/EntityGitOpsCard').then(
          m => m.EntityGitOpsCard,
        ),
    },
  }),
);

/**
 * The entity's GitOps tab: applications, history, resources, promotion and rollback.
 *
 * @public
 */
export const EntityGitOpsContent: () => JSX.Element = gitOpsPlugin.provide(
  createRoutableExtension({
    name: 'EntityGitOpsContent',
    mountPoint: gitOpsRouteRef,
    component: () =>
      import('../components/EntityGitOpsContent/EntityGitOpsContent').then(
        m => m.EntityGitOpsContent,
      ),
  }),
);

/**
 * The search result item of `argocd-application` documents; as a child of
 * `SearchResultListItemExtensions` (or `SearchResult`'s list) it renders the results it matches.
 *
 * @public
 */
export const ArgoCdApplicationSearchResultListItem: (
  props: SearchResultListItemExtensionProps<ArgoCdApplicationSearchResultListItemProps>,
) => JSX.Element | null = gitOpsPlugin.provide(
  createSearchResultListItemExtension({
    name: 'ArgoCdApplicationSearchResultListItem',
    component: () =>
      import('../search/ArgoCdApplicationSearchResultListItem').then(
        m => m.ArgoCdApplicationSearchResultListItem,
      ),
    predicate: result => result.type === ARGOCD_APPLICATION_RESULT_TYPE,
  }),
);
