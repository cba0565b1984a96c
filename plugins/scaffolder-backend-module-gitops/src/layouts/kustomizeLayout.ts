import { stringify } from 'yaml';
import type { Layout, LayoutInput } from './types';
import { workloadManifests } from './workloadManifests';

/** `apps/<service>/base` plus one overlay per environment that pins the image tag. */
export function kustomizeLayout(input: LayoutInput): Layout {
  const root = `apps/${input.service}`;
  const manifests = workloadManifests({
    service: input.service,
    image: input.image,
    port: input.port,
    replicas: 1,
    labels: { 'kupe.cloud/tenant': input.tenant },
  });
  const files: Record<string, string> = {
    [`${root}/base/deployment.yaml`]: manifests.deployment,
    [`${root}/base/service.yaml`]: manifests.service,
    [`${root}/base/kustomization.yaml`]: stringify({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['deployment.yaml', 'service.yaml'],
    }),
  };
  const sources: Layout['sources'] = {};
  for (const env of input.environments) {
    const path = `${root}/overlays/${env.name}`;
    files[`${path}/kustomization.yaml`] = stringify({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['../../base'],
      labels: [
        {
          pairs: { 'kupe.cloud/environment': env.name },
          includeSelectors: false,
        },
      ],
      images: [{ name: input.image, newTag: env.imageTag }],
      replicas: [{ name: input.service, count: env.replicas }],
    });
    sources[env.name] = { path };
  }
  return { files, sources };
}
