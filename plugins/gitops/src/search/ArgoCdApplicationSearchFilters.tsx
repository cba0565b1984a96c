import { useEffect } from 'react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { SearchFilter, useSearch } from '@backstage/plugin-search-react';
import {
  ENVIRONMENT_ORDER,
  HEALTH_STATUSES,
  SYNC_STATUSES,
} from '@kupe/plugin-gitops-common';
import { gitOpsTranslationRef } from '../translation';
import { ARGOCD_APPLICATION_RESULT_TYPE } from './resultType';

/**
 * A single-value filter on one field of `argocd-application` documents. Single values (a
 * select, not checkboxes) because the Lunr engine matches only one value per field exactly.
 * Shown only while the Argo CD result type is chosen: the field exists on no other type, so
 * with another type the filter would empty the results; leaving the type drops the filter.
 */
function ApplicationFieldFilter(props: {
  className: string;
  name: string;
  label: string;
  values: readonly string[];
}) {
  const { className, name, label, values } = props;
  const { types, filters, setFilters } = useSearch();
  const applies = types.includes(ARGOCD_APPLICATION_RESULT_TYPE);
  const active = filters[name] !== undefined;

  useEffect(() => {
    if (applies || !active) return;
    setFilters(previous => {
      const { [name]: _dropped, ...others } = previous;
      return others;
    });
  }, [applies, active, name, setFilters]);

  if (!applies) return <></>;
  return (
    <SearchFilter.Select
      className={className}
      name={name}
      label={label}
      values={[...values]}
    />
  );
}

/** Filters Argo CD application results by sync status. */
export function SyncStatusSearchFilter(props: { className: string }) {
  const { t } = useTranslationRef(gitOpsTranslationRef);
  return (
    <ApplicationFieldFilter
      className={props.className}
      name="syncStatus"
      label={t('searchFilters.sync')}
      values={SYNC_STATUSES}
    />
  );
}

/** Filters Argo CD application results by health status. */
export function HealthStatusSearchFilter(props: { className: string }) {
  const { t } = useTranslationRef(gitOpsTranslationRef);
  return (
    <ApplicationFieldFilter
      className={props.className}
      name="healthStatus"
      label={t('searchFilters.health')}
      values={HEALTH_STATUSES}
    />
  );
}

/**
 * Filters Argo CD application results by environment, in promotion order. The collator
 * normalises names (`prod` becomes `production`), so these cover every aliased environment.
 */
export function EnvironmentSearchFilter(props: { className: string }) {
  const { t } = useTranslationRef(gitOpsTranslationRef);
  return (
    <ApplicationFieldFilter
      className={props.className}
      name="environment"
      label={t('search.environment')}
      values={ENVIRONMENT_ORDER}
    />
  );
}
