import type { Application } from '../argocd/types';
import type { ArgoCdClient } from './ArgoCdClient';
import {
  requireAppName,
  requireAppNamespace,
  requireBoolean,
  requireOneOf,
  requireProjectName,
  requireTenant,
} from './argoCdInputRules';
import { apiPath, scopeParams } from './requestParams';
import type { ArgoCdRequest } from './sendRequest';

type CreateApplicationOptions = NonNullable<
  Parameters<ArgoCdClient['createApplication']>[1]
>;
type DeleteApplicationScope = NonNullable<
  Parameters<ArgoCdClient['deleteApplication']>[1]
>;

/** `POST /api/v1/applications`, every name and flag validated before it is sent. */
export function createApplicationRequest(
  application: Application,
  options: CreateApplicationOptions,
): ArgoCdRequest {
  requireAppName(application?.metadata?.name);
  requireProjectName(application.spec?.project);
  if (application.metadata.namespace !== undefined) {
    requireAppNamespace(application.metadata.namespace);
  }
  if (options.tenant !== undefined) requireTenant(options.tenant);
  const query = new URLSearchParams();
  if (options.upsert !== undefined) {
    query.set('upsert', String(requireBoolean('upsert', options.upsert)));
  }
  if (options.validate !== undefined) {
    query.set('validate', String(requireBoolean('validate', options.validate)));
  }
  return {
    method: 'POST',
    path: apiPath('api', 'v1', 'applications'),
    query,
    body: application,
    tenant: options.tenant,
    signal: options.signal,
  };
}

/** `DELETE /api/v1/applications/{name}`, the name and options validated before it is sent. */
export function deleteApplicationRequest(
  name: string,
  scope: DeleteApplicationScope,
): ArgoCdRequest {
  requireAppName(name);
  const query = scopeParams(scope);
  if (scope.cascade !== undefined) {
    query.set('cascade', String(requireBoolean('cascade', scope.cascade)));
  }
  if (scope.propagationPolicy !== undefined) {
    query.set(
      'propagationPolicy',
      requireOneOf('propagationPolicy', scope.propagationPolicy, [
        'foreground',
        'background',
      ] as const),
    );
  }
  return {
    method: 'DELETE',
    path: apiPath('api', 'v1', 'applications', name),
    query,
    tenant: scope.tenant,
    signal: scope.signal,
  };
}
