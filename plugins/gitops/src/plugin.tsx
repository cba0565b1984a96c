import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { isGitOpsAvailable } from '@kupe/plugin-gitops-common';
import { gitOpsApiRef } from './api/GitOpsApi';
import { GitOpsClient } from './api/GitOpsClient';
import { searchExtensions } from './search/extensions';
import { gitOpsScaffolderFormFields } from './scaffolder/formFields';

/**
 * The `gitOpsApiRef` implementation: `GitOpsClient` on the app's discovery and fetch APIs.
 *
 * @public
 */
export const gitOpsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: gitOpsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new GitOpsClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The overview card; the filter keeps it off entities without the annotations, so they do
 * not carry an empty card.
 *
 * @public
 */
export const gitOpsEntityCard = EntityCardBlueprint.make({
  name: 'overview',
  params: {
    // Beside the entity's About card: sync and health seen without scrolling (an app's
    // config `type: content` moves it to the main column).
    type: 'info',
    filter: isGitOpsAvailable,
    loader: () =>
      import('./components/EntityGitOpsCard/EntityGitOpsCard').then(m => (
        <m.EntityGitOpsCard />
      )),
  },
});

/**
 * The entity's GitOps tab, on entities with Argo CD annotations.
 *
 * @public
 */
export const gitOpsEntityContent = EntityContentBlueprint.make({
  name: 'gitops',
  params: {
    path: 'gitops',
    title: 'GitOps',
    filter: isGitOpsAvailable,
    loader: () =>
      import('./components/EntityGitOpsContent/EntityGitOpsContent').then(m => (
        <m.EntityGitOpsContent />
      )),
  },
});

/**
 * Kupe GitOps for the new frontend system.
 *
 * @public
 */
export const gitOpsPlugin = createFrontendPlugin({
  pluginId: 'gitops',
  info: { packageJson: () => import('../package.json') },
  extensions: [
    gitOpsApi,
    gitOpsEntityCard,
    gitOpsEntityContent,
    ...searchExtensions,
    ...gitOpsScaffolderFormFields,
  ],
});
