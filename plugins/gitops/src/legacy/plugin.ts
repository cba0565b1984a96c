import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createSearchResultListItemExtension } from '@backstage/plugin-search-react';
import { gitOpsApiRef } from '../api/GitOpsApi';
import { GitOpsClient } from '../api/GitOpsClient';
import { ARGOCD_APPLICATION_RESULT_TYPE } from '../search/resultType';

/** @public */
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

/** @public */
export const EntityGitOpsCard = gitOpsPlugin.provide(
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

/** @public */
export const EntityGitOpsContent = gitOpsPlugin.provide(
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
export const ArgoCdApplicationSearchResultListItem = gitOpsPlugin.provide(
  createSearchResultListItemExtension({
    name: 'ArgoCdApplicationSearchResultListItem',
    component: () =>
      import('../search/ArgoCdApplicationSearchResultListItem').then(
        m => m.ArgoCdApplicationSearchResultListItem,
      ),
    predicate: result => result.type === ARGOCD_APPLICATION_RESULT_TYPE,
  }),
);
