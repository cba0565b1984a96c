export {
  argoCdApplicationSearchResultListItem,
  argoCdApplicationSearchResultType,
  argoCdApplicationSyncStatusSearchFilter,
  argoCdApplicationHealthStatusSearchFilter,
  argoCdApplicationEnvironmentSearchFilter,
  searchExtensions,
} from './extensions';
export { ARGOCD_APPLICATION_RESULT_TYPE } from './resultType';
export type { ArgoCdApplicationSearchResultListItemProps } from './ArgoCdApplicationSearchResultListItem';
