import {
  ArgoCdFake,
  buildApplication,
  buildCluster,
  buildTenantProject,
} from '@kupe/plugin-gitops-node-test-utils';
import { SYNC_POLICIES } from '@kupe/plugin-gitops-common';
import type { HealthStatusCode } from '@kupe/plugin-gitops-node';

const ENVIRONMENTS = ['dev', 'staging', 'production'];
const HEALTH: HealthStatusCode[] = [
  'Healthy',
  'Healthy',
  'Healthy',
  'Healthy',
  'Progressing',
  'Degraded',
];

/**
 * Fills a fake with many applications for benchmarks: `tenants` tenants (default 50) with a
 * project, three clusters and components of three environments each, cycling through every
 * sync policy and a realistic mix of health and sync states. With `realistic`, each
 * application has the size of a production one (the builder's realistic option: tens of
 * resources, conditions, images, a 10-entry history) instead of 2 resources. Each tenant's
 * applications deploy `apps/<component>/<environment>` of `<repositoryOrigin>/<tenant>/
 * gitops.git` (default origin `https://git.example.com`, which serves nothing: the seed
 * writes no Git).
 */
export function seedScale(
  fake: ArgoCdFake,
  options: {
    applications: number;
    tenants?: number;
    realistic?: boolean;
    repositoryOrigin?: string;
  },
): void {
  const origin = options.repositoryOrigin ?? 'https://git.example.com';
  const tenantCount = Math.max(1, options.tenants ?? 50);
  const tenants = Array.from(
    { length: tenantCount },
    (_, i) => `tenant${String(i).padStart(3, '0')}`,
  );
  for (const tenant of tenants) {
    fake.putProject(
      buildTenantProject({
        tenant,
        sourceRepos: [`${origin}/${tenant}/*`],
      }),
    );
    for (const environment of ENVIRONMENTS)
      fake.putCluster(buildCluster({ tenant, environment }));
  }
  for (let i = 0; i < options.applications; i++) {
    const tenant = tenants[i % tenantCount];
    const environment =
      ENVIRONMENTS[Math.floor(i / tenantCount) % ENVIRONMENTS.length];
    const component = `${tenant}-svc${Math.floor(
      i / (tenantCount * ENVIRONMENTS.length),
    )}`;
    fake.putApplication(
      buildApplication({
        name: `${component}-${environment}`,
        tenant,
        component,
        environment,
        repoURL: `${origin}/${tenant}/gitops.git`,
        syncPolicy: SYNC_POLICIES[i % SYNC_POLICIES.length],
        health: HEALTH[i % HEALTH.length],
        syncStatus: i % 7 === 0 ? 'OutOfSync' : 'Synced',
        ...(options.realistic
          ? { realistic: true }
          : { historyLength: 1 + (i % 3) }),
      }),
    );
  }
}
