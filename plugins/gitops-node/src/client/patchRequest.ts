import { InputError } from '@backstage/errors';
import type { ArgoCdAppScope } from './ArgoCdClient';
import { requireAppName } from './argoCdInputRules';
import { apiPath, scopeBody } from './requestParams';
import type { ArgoCdRequest } from './sendRequest';

/**
 * A JSON merge patch (RFC 7386) of an Application: what is given replaces what is there, an
 * object is merged key by key, and `null` removes a key.
 *
 * @public
 */
export interface ApplicationMergePatch {
  /** Labels and annotations to set, or to remove with `null`. */
  metadata?: {
    annotations?: Record<string, string | null>;
    labels?: Record<string, string | null>;
  };
  /** The parts of `spec` to change, e.g. `{ syncPolicy: { automated: { enabled: false } } }`. */
  spec?: { [key: string]: unknown };
}

/**
 * `PATCH /api/v1/applications/{name}` with `patchType: merge` (Argo CD's `Patch`): Argo CD
 * checks `get` on the app (with `project`, another project's app is a 404), then `update`
 * (a detailed 403), applies the patch to the stored Application and validates the result as
 * an update. The patch travels as a JSON string, as the API's `ApplicationPatchRequest` has it.
 */
export function applicationPatchRequest(
  name: string,
  patch: ApplicationMergePatch,
  scope: ArgoCdAppScope,
): ArgoCdRequest {
  requireAppName(name);
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new InputError('An application patch must be a JSON object');
  }
  return {
    method: 'PATCH',
    path: apiPath('api', 'v1', 'applications', name),
    body: {
      name,
      ...scopeBody(scope),
      patch: JSON.stringify(patch),
      patchType: 'merge',
    },
    tenant: scope.tenant,
    signal: scope.signal,
  };
}
