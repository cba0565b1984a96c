import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import type { TenantResolver } from '@kupe/plugin-gitops-node';

/**
 * Refuses a caller who is not a member of `tenant` (platform admins are members of every
 * tenant). Every action calls this before it reads or writes anything of the tenant.
 */
export async function requireTenantMember(
  tenants: TenantResolver,
  credentials: BackstageCredentials,
  tenant: string,
): Promise<void> {
  const caller = await tenants.getCallerTenants(credentials);
  if (!tenants.canSee(caller, tenant)) {
    const own = [...caller.tenants].sort();
    throw new NotAllowedError(
      `You are not a member of tenant "${tenant}"; you can only scaffold into your own tenants (${
        own.length ? own.join(', ') : 'you have none'
      }). Nothing was written.`,
    );
  }
}
