import type { TenantInfo } from '@kupe/plugin-gitops-common';

/** One of a tenant's clusters as `GET /tenants` lists it (`dev`, `acme-dev`). */
export type TenantCluster = TenantInfo['clusters'][number];

// Short cluster names teams give the template's environments (the sandbox's `acme-prod`
// serves `production`).
const ENVIRONMENT_ALIASES: Record<string, string[]> = {
  development: ['dev'],
  dev: ['development'],
  staging: ['stage', 'stg'],
  production: ['prod', 'prd'],
  prod: ['production'],
};

/**
 * The clusters registered for an environment. A tenant's clusters are named
 * `<tenant>-<environment>` (their short name is the environment), optionally with a suffix after
 * another `-` for more than one cluster per environment (`prod-eu`); the common abbreviations
 * (`prod` for `production`, `stage` for `staging`) count as the environment's name.
 */
export function clustersOfEnvironment(
  clusters: TenantCluster[],
  environment: string | undefined,
): TenantCluster[] {
  if (!environment) return [];
  const names = [environment, ...(ENVIRONMENT_ALIASES[environment] ?? [])];
  return clusters.filter(c =>
    names.some(n => c.name === n || c.name.startsWith(`${n}-`)),
  );
}

/**
 * The value of a sibling field in the form: the field `idSchema.$id` names
 * (`root_environments_0_cluster`, own name `cluster`) sits in an object of the form data
 * (`environments[0]`), whose `sibling` (`name`) this returns. Keys are matched against the data
 * longest first, so names holding `_` are found.
 */
export function siblingValue(
  formData: unknown,
  fieldId: string | undefined,
  ownName: string | undefined,
  sibling: string,
): unknown {
  if (!fieldId || !ownName || !fieldId.endsWith(`_${ownName}`))
    return undefined;
  let rest = fieldId.slice(0, -ownName.length - 1).replace(/^root_?/, '');
  let node: unknown = formData;
  while (rest) {
    if (Array.isArray(node)) {
      const index = /^(\d+)(?:_|$)/.exec(rest);
      if (!index) return undefined;
      node = node[Number(index[1])];
      rest = rest.slice(index[0].length);
    } else if (node && typeof node === 'object') {
      const path = rest;
      const key = Object.keys(node)
        .sort((a, b) => b.length - a.length)
        .find(k => path === k || path.startsWith(`${k}_`));
      if (key === undefined) return undefined;
      node = (node as Record<string, unknown>)[key];
      rest = rest.slice(key.length + 1);
    } else return undefined;
  }
  return node && typeof node === 'object' && !Array.isArray(node)
    ? (node as Record<string, unknown>)[sibling]
    : undefined;
}
