import { EmptyState } from '@backstage/core-components';
import type { EntityApplicationsResponse } from '@kupe/plugin-gitops-common';

/**
 * Why an entity with Argo CD annotations shows no application: its tenant is not one of the
 * caller's, it has no tenant, or nothing matches its annotations.
 */
export function NoApplications(props: {
  entityName: string;
  withheld?: EntityApplicationsResponse['withheld'];
}) {
  const { entityName, withheld } = props;
  if (withheld?.reason === 'not-a-member') {
    return (
      <EmptyState
        missing="info"
        title={`Applications of tenant ${withheld.tenant ?? 'unknown'}`}
        description={`${entityName}'s Argo CD applications belong to tenant ${
          withheld.tenant ?? 'unknown'
        }, which you are not a member of. Ask that tenant's team for access to see them.`}
      />
    );
  }
  if (withheld?.reason === 'no-tenant') {
    return (
      <EmptyState
        missing="info"
        title="No tenant"
        description={`${entityName} belongs to no tenant (its owner group has none), so only the platform team sees its Argo CD applications. Set an owner group of a tenant to show them here.`}
      />
    );
  }
  return (
    <EmptyState
      missing="data"
      title="No Argo CD applications"
      description={`No application matches the Argo CD annotations of ${entityName}.`}
    />
  );
}
