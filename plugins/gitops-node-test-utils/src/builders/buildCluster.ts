import type { Cluster } from '@kupe/plugin-gitops-node';

/**
 * A tenant's destination cluster `<tenant>-<env>`, project-scoped to `tenant-<tenant>`.
 *
 * @public
 */
export function buildCluster(options: {
  tenant: string;
  environment: string;
  server?: string;
}): Cluster {
  const name = `${options.tenant}-${options.environment}`;
  return {
    name,
    server: options.server ?? `https://${name}.vcluster.kupe.internal`,
    project: `tenant-${options.tenant}`,
    labels: {
      'kupe.cloud/tenant': options.tenant,
      'kupe.cloud/environment': options.environment,
    },
    config: { tlsClientConfig: { insecure: false } },
  };
}
