import CallSplitIcon from '@material-ui/icons/CallSplit';
import {
  SearchFilterBlueprint,
  SearchFilterResultTypeBlueprint,
  SearchResultListItemBlueprint,
} from '@backstage/plugin-search-react/alpha';
import { ARGOCD_APPLICATION_RESULT_TYPE } from './resultType';
import {
  EnvironmentSearchFilter,
  HealthStatusSearchFilter,
  SyncStatusSearchFilter,
} from './ArgoCdApplicationSearchFilters';

/**
 * Renders `argocd-application` results on the search page.
 *
 * @public
 */
export const argoCdApplicationSearchResultListItem =
  SearchResultListItemBlueprint.make({
    name: 'argocd-application',
    params: {
      predicate: result => result.type === ARGOCD_APPLICATION_RESULT_TYPE,
      icon: <CallSplitIcon />,
      component: () =>
        import('./ArgoCdApplicationSearchResultListItem').then(
          m => m.ArgoCdApplicationSearchResultListItem,
        ),
    },
  });

/**
 * The "Argo CD applications" entry of the search page's result types.
 *
 * @public
 */
export const argoCdApplicationSearchResultType =
  SearchFilterResultTypeBlueprint.make({
    name: 'argocd-application',
    params: {
      value: ARGOCD_APPLICATION_RESULT_TYPE,
      name: 'Argo CD applications',
      icon: <CallSplitIcon />,
    },
  });

/**
 * Search page filter of `argocd-application` results by sync status.
 *
 * @public
 */
export const argoCdApplicationSyncStatusSearchFilter =
  SearchFilterBlueprint.make({
    name: 'argocd-application-sync-status',
    params: { component: SyncStatusSearchFilter },
  });

/**
 * Search page filter of `argocd-application` results by health status.
 *
 * @public
 */
export const argoCdApplicationHealthStatusSearchFilter =
  SearchFilterBlueprint.make({
    name: 'argocd-application-health-status',
    params: { component: HealthStatusSearchFilter },
  });

/**
 * Search page filter of `argocd-application` results by environment.
 *
 * @public
 */
export const argoCdApplicationEnvironmentSearchFilter =
  SearchFilterBlueprint.make({
    name: 'argocd-application-environment',
    params: { component: EnvironmentSearchFilter },
  });

/** Everything the gitops plugin adds to the search page. */
export const searchExtensions = [
  argoCdApplicationSearchResultListItem,
  argoCdApplicationSearchResultType,
  argoCdApplicationSyncStatusSearchFilter,
  argoCdApplicationHealthStatusSearchFilter,
  argoCdApplicationEnvironmentSearchFilter,
];
