import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import type { PermissionCondition } from '@backstage/plugin-permission-common';
import {
  GITOPS_APPLICATION_RESOURCE_TYPE,
  normalizeEnvironment,
} from '@kupe/plugin-gitops-common';
import { stringListParams } from './stringListParams';
import type { IndexedApplication } from '../applicationIndex/IndexedApplication';

/**
 * Criteria a `gitops-application` rule turns into; the index filters its records by them in
 * memory.
 *
 * @public
 */
export interface ApplicationQuery {
  property: 'tenant' | 'environment';
  values: string[];
}

/** The `gitops-application` resource type: its rules read the backend's indexed applications. */
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

// Condition helpers for policy authors, exported one by one so each carries its own TSDoc.
const conditionExports = createConditionExports({
  resourceRef: applicationResourceRef,
  rules: applicationPermissionRules,
});

/**
 * Conditions of the `gitops-application` resource type for permission policies:
 * `isInTenant({ tenants })` and `hasEnvironment({ environments })`.
 *
 * @public
 */
export const gitOpsApplicationConditions: {
  isInTenant(params: {
    tenants: string[];
  }): PermissionCondition<'gitops-application', { tenants: string[] }>;
  hasEnvironment(params: {
    environments: string[];
  }): PermissionCondition<'gitops-application', { environments: string[] }>;
} = conditionExports.conditions; // typed here so the index's record type stays internal

/**
 * Builds a conditional decision over `gitops-application` resources from
 * `gitOpsApplicationConditions`, for a permission policy.
 *
 * @public
 */
export const createGitOpsApplicationConditionalDecision =
  conditionExports.createConditionalDecision;
