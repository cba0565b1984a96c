import type { AppProject } from '@kupe/plugin-gitops-node';

/**
 * Default policies of a tenant role: read, sync and manage the project's apps; read the
 * ApplicationSets whose template deploys into the project.
 *
 * @public
 */
export function tenantRolePolicies(project: string, role: string): string[] {
  const sub = `proj:${project}:${role}`;
  return [
    `p, ${sub}, applications, get, ${project}/*, allow`,
    `p, ${sub}, applications, sync, ${project}/*, allow`,
    `p, ${sub}, applications, create, ${project}/*, allow`,
    `p, ${sub}, applications, update, ${project}/*, allow`,
    `p, ${sub}, applications, delete, ${project}/*, allow`,
    // Argo Rollouts' resource actions (promote, abort, retry) the portal runs for its users.
    `p, ${sub}, applications, action/argoproj.io/Rollout/*, ${project}/*, allow`,
    `p, ${sub}, applicationsets, get, ${project}/*, allow`,
    `p, ${sub}, clusters, get, ${project}/*, allow`,
    `p, ${sub}, logs, get, ${project}/*, allow`,
  ];
}

/**
 * An AppProject for tenant `tenant`, shaped like argo-cd's `docs/operator-manual/project.yaml`:
 * own repos only, destinations `{name: '<tenant>-*', namespace: '*'}`, and roles (default
 * one role `backstage` with {@link tenantRolePolicies}).
 *
 * @public
 */
export function buildTenantProject(options: {
  tenant: string;
  sourceRepos?: string[];
  roles?: Array<{ name: string; policies?: string[]; groups?: string[] }>;
}): AppProject {
  const name = `tenant-${options.tenant}`;
  return {
    metadata: {
      name,
      namespace: 'argocd',
      labels: { 'kupe.cloud/tenant': options.tenant },
    },
    spec: {
      description: `Applications of tenant ${options.tenant}`,
      sourceRepos: options.sourceRepos ?? [
        `https://git.example.com/${options.tenant}/*`,
      ],
      destinations: [{ name: `${options.tenant}-*`, namespace: '*' }],
      namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }],
      roles: (options.roles ?? [{ name: 'backstage' }]).map(r => ({
        name: r.name,
        description: `${r.name} role of tenant ${options.tenant}`,
        policies: r.policies ?? tenantRolePolicies(name, r.name),
        groups: r.groups,
      })),
    },
  };
}
