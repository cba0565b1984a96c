import { InputError } from '@backstage/errors';
import type { AppProject } from '@kupe/plugin-gitops-node';
import type { ApplicationTarget } from './ApplicationTarget';

/** The tenant's AppProject; a missing one is a bad template input, not a server fault. */
export async function loadTenantProject(
  target: ApplicationTarget,
  project: string,
  tenant: string,
): Promise<AppProject> {
  const found = await target.getProject(project, tenant);
  if (!found) {
    throw new InputError(
      `Tenant "${tenant}" has no Argo CD project "${project}" in ${target.location}; ask the platform team to onboard the tenant`,
    );
  }
  return found;
}
