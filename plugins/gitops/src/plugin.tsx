import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import TimelineIcon from '@material-ui/icons/Timeline';
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
    // The top of the overview's main column: the info column's first card is the entity's
    // About card, which pushed this one below the fold at 1280x720, and the wide column
    // fits one compact row per environment. (`summary`, a strip above the content, is
    // removed from the catalog's layout; an app's config `type: info` moves it beside About.)
    type: 'content',
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
 * DORA figures of the entity's production applications, on entities with Argo CD annotations.
 *
 * @public
 */
export const gitOpsEntityDoraCard = EntityCardBlueprint.make({
  name: 'dora',
  params: {
    type: 'content',
    filter: isGitOpsAvailable,
    loader: () =>
      import('./components/DoraMetrics/EntityDoraCard').then(m => (
        <m.EntityDoraCard />
      )),
  },
});

/**
 * DORA figures per tenant at `/gitops/tenants/:tenant`, for the platform team and each
 * tenant's members.
 *
 * @public
 */
export const gitOpsTenantDoraPage = PageBlueprint.make({
  name: 'tenants',
  params: {
    path: '/gitops/tenants',
    title: 'Delivery figures',
    icon: <TimelineIcon fontSize="inherit" />,
    // The page draws its own header, with the tenant in the title.
    noHeader: true,
    loader: () =>
      import('./components/DoraMetrics/DoraTenantPage').then(m => (
        <m.DoraTenantPage />
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
    gitOpsEntityDoraCard,
    gitOpsTenantDoraPage,
    ...searchExtensions,
    ...gitOpsScaffolderFormFields,
  ],
});
