import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  GITOPS_APPLICATION_RESOURCE_TYPE,
  normalizeEnvironment,
} from '@kupe/plugin-gitops-common';
import { stringListParams } from './stringListParams';
import type { IndexedApplication } from '../applicationIndex/IndexedApplication';

/** Criteria a rule turns into; the index filters its records by them in memory. */
export interface ApplicationQuery {
  property: 'tenant' | 'environment';
  values: string[];
}

export const applicationResourceRef = createPermissionResourceRef<
  IndexedApplication,
  ApplicationQuery
>().with({
  pluginId: 'gitops',
  resourceType: GITOPS_APPLICATION_RESOURCE_TYPE,
});

/** Lets a policy narrow access to some tenants, e.g. a support team for `acme` only. */
export const isInTenant = createPermissionRule({
  name: 'IS_IN_TENANT',
  description: 'Allow applications of the given tenants (by their AppProject)',
  resourceRef: applicationResourceRef,
  paramsSchema: stringListParams('tenants', 'Tenant names'),
  apply: (app, { tenants }) =>
    app.tenant !== undefined && tenants.includes(app.tenant),
  toQuery: ({ tenants }) => ({ property: 'tenant', values: tenants }),
});

/** Lets a policy treat environments differently, e.g. deny sync in production. */
export const hasEnvironment = createPermissionRule({
  name: 'HAS_ENVIRONMENT',
  description:
    'Allow applications of the given environments (label kupe.cloud/environment or destination cluster)',
  resourceRef: applicationResourceRef,
  paramsSchema: stringListParams(
    'environments',
    'Environment names; prod, prd and production are the same',
  ),
  apply: (app, { environments }) =>
    app.environment !== undefined &&
    environments
      .map(normalizeEnvironment)
      .includes(normalizeEnvironment(app.environment)),
  toQuery: ({ environments }) => ({
    property: 'environment',
    values: environments,
  }),
});

export const applicationPermissionRules = { isInTenant, hasEnvironment };

/** Condition helpers for policy authors. */
export const {
  conditions: gitOpsApplicationConditions,
  createConditionalDecision: createGitOpsApplicationConditionalDecision,
} = createConditionExports({
  resourceRef: applicationResourceRef,
  rules: applicationPermissionRules,
});
