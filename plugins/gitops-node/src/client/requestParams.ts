import { InputError } from '@backstage/errors';
import type { ArgoCdAppScope, ListApplicationsQuery } from './ArgoCdClient';
import {
  requireAppName,
  requireAppNamespace,
  requireFieldPath,
  requireNonNegativeInteger,
  requireProjectName,
  requireRepoFilter,
  requireTenant,
} from './argoCdInputRules';
import { validateLabelSelector } from '../labels/labelSelector';

export function requirePositiveTimeout(value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new InputError(
      `Invalid timeoutMs ${value}: must be a positive number`,
    );
  }
  return value;
}

/** A tenant, when given, must be a DNS-1123 label: it selects the project-role token. */
export function optionalTenant(tenant: string | undefined): string | undefined {
  return tenant === undefined ? undefined : requireTenant(tenant);
}

/** Builds a path from segments, each encoded so no value can add a segment or a query. */
export function apiPath(...segments: string[]): string {
  return `/${segments.map(encodeURIComponent).join('/')}`;
}

/** `project` and `appNamespace` of an app call, validated; the tenant is checked too. */
export function scopeBody(scope: ArgoCdAppScope): {
  project?: string;
  appNamespace?: string;
} {
  const result: { project?: string; appNamespace?: string } = {};
  if (scope.project !== undefined)
    result.project = requireProjectName(scope.project);
  if (scope.appNamespace !== undefined) {
    result.appNamespace = requireAppNamespace(scope.appNamespace);
  }
  if (scope.tenant !== undefined) requireTenant(scope.tenant);
  return result;
}

/** {@link scopeBody} as query parameters. */
export function scopeParams(scope: ArgoCdAppScope): URLSearchParams {
  const query = new URLSearchParams();
  const { project, appNamespace } = scopeBody(scope);
  if (project !== undefined) query.set('project', project);
  if (appNamespace !== undefined) query.set('appNamespace', appNamespace);
  return query;
}

/** `sourceIndex` and `versionId` (multi-source apps, history versions), validated. */
export function sourceParams(scope: {
  sourceIndex?: number;
  versionId?: number;
}): URLSearchParams {
  const query = new URLSearchParams();
  if (scope.sourceIndex !== undefined) {
    query.set(
      'sourceIndex',
      String(requireNonNegativeInteger('sourceIndex', scope.sourceIndex)),
    );
  }
  if (scope.versionId !== undefined) {
    query.set(
      'versionId',
      String(requireNonNegativeInteger('versionId', scope.versionId)),
    );
  }
  return query;
}

/** The filters of a list or watch, validated. */
export function listParams(query: ListApplicationsQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const project of query.projects ?? []) {
    params.append('projects', requireProjectName(project));
  }
  if (query.selector !== undefined && query.selector.trim() !== '') {
    params.set('selector', validateLabelSelector(query.selector));
  }
  if (query.name !== undefined) params.set('name', requireAppName(query.name));
  if (query.repo !== undefined)
    params.set('repo', requireRepoFilter(query.repo));
  if (query.appNamespace !== undefined) {
    params.set('appNamespace', requireAppNamespace(query.appNamespace));
  }
  if (query.fields !== undefined && query.fields.length > 0) {
    params.set('fields', query.fields.map(requireFieldPath).join(','));
  }
  if (query.tenant !== undefined) requireTenant(query.tenant);
  return params;
}
