import { InputError, NotFoundError } from '@backstage/errors';
import type { AppProject, ArgoCdClient } from '@kupe/plugin-gitops-node';

/** The tenant's AppProject; a missing one is a bad template input, not a server fault. */
export async function loadTenantProject(
  client: ArgoCdClient,
  project: string,
  tenant: string,
): Promise<AppProject> {
  try {
    return await client.getProject(project, { tenant });
  } catch (error) {
    if (error instanceof NotFoundError) {
      throw new InputError(
        `Tenant "${tenant}" has no Argo CD project "${project}" on instance ${client.instance.name}; ask the platform team to onboard the tenant`,
      );
    }
    throw error;
  }
}
