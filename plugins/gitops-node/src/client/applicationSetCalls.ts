import type { ApplicationSet, ApplicationSetList } from '../argocd/types';
import type { ArgoCdConnection } from './argoCdConnection';
import type {
  GetApplicationSetOptions,
  ListApplicationSetsQuery,
} from './ArgoCdClient';
import { requireDns1123Subdomain } from '@kupe/plugin-gitops-common';
import { requireAppNamespace, requireProjectName } from './argoCdInputRules';
import { apiPath, optionalTenant } from './requestParams';
import { validateLabelSelector } from '../labels/labelSelector';

/**
 * `GET /api/v1/applicationsets`: the sets the caller may `get` (RBAC object
 * `<template project>/<set>`), narrowed to those whose template's project is one of
 * `projects`.
 */
export async function listApplicationSets(
  connection: ArgoCdConnection,
  query: ListApplicationSetsQuery = {},
): Promise<ApplicationSetList> {
  const params = new URLSearchParams();
  for (const project of query.projects ?? []) {
    params.append('projects', requireProjectName(project));
  }
  if (query.selector !== undefined && query.selector.trim() !== '') {
    params.set('selector', validateLabelSelector(query.selector));
  }
  if (query.appsetNamespace !== undefined) {
    params.set('appsetNamespace', requireAppNamespace(query.appsetNamespace));
  }
  return connection.json({
    method: 'GET',
    path: apiPath('api', 'v1', 'applicationsets'),
    query: params,
    tenant: optionalTenant(query.tenant),
    signal: query.signal,
  });
}

/**
 * `GET /api/v1/applicationsets/{name}`. Unlike an app, a missing set is 404 and a set the
 * caller may not read 403 even when it exists (Argo CD's `getAppSetEnforceRBAC`): callers
 * that must not reveal either check the set's project themselves.
 */
export async function getApplicationSet(
  connection: ArgoCdConnection,
  name: string,
  options: GetApplicationSetOptions = {},
): Promise<ApplicationSet> {
  const params = new URLSearchParams();
  if (options.appsetNamespace !== undefined) {
    params.set('appsetNamespace', requireAppNamespace(options.appsetNamespace));
  }
  return connection.json({
    method: 'GET',
    path: apiPath(
      'api',
      'v1',
      'applicationsets',
      requireDns1123Subdomain('ApplicationSet name', name),
    ),
    query: params,
    tenant: optionalTenant(options.tenant),
    signal: options.signal,
  });
}
