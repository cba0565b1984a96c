import type { Layout, LayoutInput } from './types';
import { workloadManifests } from './workloadManifests';

/** Complete manifests per environment in `apps/<service>/<env>`, for teams without tooling. */
export function plainLayout(input: LayoutInput): Layout {
  const files: Record<string, string> = {};
  const sources: Layout['sources'] = {};
  for (const env of input.environments) {
    const path = `apps/${input.service}/${env.name}`;
    const manifests = workloadManifests({
      service: input.service,
      image: `${input.image}:${env.imageTag}`,
      port: input.port,
      replicas: env.replicas,
      labels: {
        'kupe.cloud/tenant': input.tenant,
        'kupe.cloud/environment': env.name,
      },
    });
    files[`${path}/deployment.yaml`] = manifests.deployment;
    files[`${path}/service.yaml`] = manifests.service;
    sources[env.name] = { path };
  }
  return { files, sources };
}
