import { InputError } from '@backstage/errors';
import type { ArgoCdClient, ArgoCdService } from '@kupe/plugin-gitops-node';

/** The named Argo CD instance, or the first configured one. */
export function resolveInstance(
  argoCd: ArgoCdService,
  name: string | undefined,
): ArgoCdClient {
  const instance = name ?? argoCd.listInstances()[0]?.name;
  if (!instance) {
    throw new InputError(
      'No Argo CD instance is configured (gitops.instances)',
    );
  }
  try {
    return argoCd.forInstance(instance);
  } catch {
    throw new InputError(`Unknown Argo CD instance "${instance}"`);
  }
}
