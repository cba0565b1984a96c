import { EmptyState } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { EntityApplicationsResponse } from '@kupe/plugin-gitops-common';
import { gitOpsTranslationRef } from '../../translation';

/**
 * Why an entity with Argo CD annotations shows no application: its tenant is not one of the
 * caller's, it has no tenant, or nothing matches its annotations.
 */
export function NoApplications(props: {
  entityName: string;
  withheld?: EntityApplicationsResponse['withheld'];
}) {
  const { entityName: entity, withheld } = props;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  if (withheld?.reason === 'not-a-member') {
    const tenant = withheld.tenant ?? t('messages.unknownTenant');
    return (
      <EmptyState
        missing="info"
        title={t('messages.notAMemberTitle', { tenant })}
        description={t('messages.notAMember', { entity, tenant })}
      />
    );
  }
  if (withheld?.reason === 'no-tenant') {
    return (
      <EmptyState
        missing="info"
        title={t('messages.noTenantTitle')}
        description={t('messages.noTenant', { entity })}
      />
    );
  }
  return (
    <EmptyState
      missing="data"
      title={t('messages.noApplicationsTitle')}
      description={t('messages.noApplications', { entity })}
    />
  );
}
