import { InputError } from '@backstage/errors';
import {
  isDns1123Subdomain,
  requireDns1123Label,
  requireDns1123Subdomain,
} from '@kupe/plugin-gitops-common';
import type {
  ApplicationResourceRef,
  ApplicationResourceResponse,
  ResourceActionParameter,
  ResourceActionsListResponse,
} from '../argocd/resourceActionTypes';
import type { ArgoCdAppScope } from './ArgoCdClient';
import type { ArgoCdConnection } from './argoCdConnection';
import { requireAppName } from './argoCdInputRules';
import { apiPath, scopeBody, scopeParams } from './requestParams';

// Kubernetes kinds are CamelCase identifiers; API versions look like v1, v1alpha1, v2beta3.
const KIND = /^[A-Z][A-Za-z0-9]{0,62}$/;
const VERSION = /^v[0-9]+((alpha|beta)[0-9]+)?$/;
// Argo CD's built-in action names (`promote-full`, `skip-current-step`): lowercase words.
const ACTION = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const PARAMETER_NAME = /^[A-Za-z0-9_.-]{1,63}$/;
const PARAMETER_VALUE_MAX = 1024;

function requireMatch(field: string, pattern: RegExp, value: unknown): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new InputError(
      `Invalid ${field} ${JSON.stringify(String(value).slice(0, 80))}`,
    );
  }
  return value;
}

/** A resource reference, every part validated as the Kubernetes name it is. */
function resourceFields(ref: ApplicationResourceRef) {
  const group = ref.group ?? '';
  if (group !== '' && !isDns1123Subdomain(group)) {
    throw new InputError(`Invalid resource group ${JSON.stringify(group)}`);
  }
  return {
    namespace:
      ref.namespace === undefined || ref.namespace === ''
        ? undefined
        : requireDns1123Label('resource namespace', ref.namespace),
    resourceName: requireDns1123Subdomain('resource name', ref.name),
    version: requireMatch('resource version', VERSION, ref.version),
    group,
    kind: requireMatch('resource kind', KIND, ref.kind),
  };
}

function resourceQuery(
  ref: ApplicationResourceRef,
  scope: ArgoCdAppScope,
): URLSearchParams {
  const query = scopeParams(scope);
  for (const [key, value] of Object.entries(resourceFields(ref))) {
    if (value !== undefined) query.set(key, value);
  }
  return query;
}

function requireParameters(
  parameters: ResourceActionParameter[] | undefined,
): ResourceActionParameter[] | undefined {
  return parameters?.map(p => {
    if (typeof p.value !== 'string' || p.value.length > PARAMETER_VALUE_MAX) {
      throw new InputError(`Invalid value of action parameter ${p.name}`);
    }
    return {
      name: requireMatch('action parameter', PARAMETER_NAME, p.name),
      value: p.value,
    };
  });
}

/**
 * One live resource of an application and its resource actions, through Argo CD's own
 * endpoints (`DefaultArgoCdClient` delegates here): every name is validated before it becomes
 * part of the query or body, so nothing can reach another resource or endpoint.
 */
export class ResourceCalls {
  constructor(private readonly connection: ArgoCdConnection) {}

  /** `GET /api/v1/applications/{name}/resource`: the live manifest, as Argo CD reads it. */
  getResource(
    name: string,
    ref: ApplicationResourceRef,
    scope: ArgoCdAppScope = {},
  ): Promise<ApplicationResourceResponse> {
    return this.connection.json({
      method: 'GET',
      path: apiPath(
        'api',
        'v1',
        'applications',
        requireAppName(name),
        'resource',
      ),
      query: resourceQuery(ref, scope),
      tenant: scope.tenant,
      signal: scope.signal,
    });
  }

  /** `GET /api/v1/applications/{name}/resource/actions`: the actions its discovery offers. */
  listResourceActions(
    name: string,
    ref: ApplicationResourceRef,
    scope: ArgoCdAppScope = {},
  ): Promise<ResourceActionsListResponse> {
    return this.connection.json({
      method: 'GET',
      path: apiPath(
        'api',
        'v1',
        'applications',
        requireAppName(name),
        'resource',
        'actions',
      ),
      query: resourceQuery(ref, scope),
      tenant: scope.tenant,
      signal: scope.signal,
    });
  }

  /**
   * `POST /api/v1/applications/{name}/resource/actions/v2` (v3.5.1; the v1 route without
   * parameters is deprecated): runs a resource action, RBAC `action/<group>/<kind>/<action>`.
   */
  async runResourceAction(
    name: string,
    ref: ApplicationResourceRef,
    action: string,
    scope: ArgoCdAppScope & { parameters?: ResourceActionParameter[] } = {},
  ): Promise<void> {
    const fields = resourceFields(ref);
    const parameters = requireParameters(scope.parameters);
    await this.connection.json({
      method: 'POST',
      path: apiPath(
        'api',
        'v1',
        'applications',
        requireAppName(name),
        'resource',
        'actions',
        'v2',
      ),
      body: {
        name,
        ...fields,
        action: requireMatch('resource action', ACTION, action),
        ...(parameters ? { resourceActionParameters: parameters } : {}),
        ...scopeBody(scope),
      },
      tenant: scope.tenant,
      signal: scope.signal,
    });
  }
}
