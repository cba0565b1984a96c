import { stringify } from 'yaml';
import type { Layout, LayoutInput } from './types';
import { workloadManifests } from './workloadManifests';

/** One chart in `apps/<service>/chart` and a `values-<env>.yaml` beside it per environment. */
export function helmLayout(input: LayoutInput): Layout {
  const path = `apps/${input.service}/chart`;
  const manifests = workloadManifests({
    service: input.service,
    image: '{{ .Values.image.repository }}:{{ .Values.image.tag }}',
    port: input.port,
    replicas: '{{ .Values.replicaCount }}',
    labels: { 'kupe.cloud/tenant': input.tenant },
  });
  const files: Record<string, string> = {
    [`${path}/Chart.yaml`]: stringify({
      apiVersion: 'v2',
      name: input.service,
      description: `Helm chart of ${input.service}`,
      type: 'application',
      version: '0.1.0',
    }),
    [`${path}/values.yaml`]: stringify({
      replicaCount: 1,
      image: { repository: input.image, tag: 'latest' },
    }),
    // yaml would quote the templated replica count; Helm needs it bare to render a number.
    [`${path}/templates/deployment.yaml`]: manifests.deployment.replace(
      /replicas: .*/,
      'replicas: {{ .Values.replicaCount }}',
    ),
    [`${path}/templates/service.yaml`]: manifests.service,
  };
  const sources: Layout['sources'] = {};
  for (const env of input.environments) {
    const valuesFile = `values-${env.name}.yaml`;
    files[`${path}/${valuesFile}`] = stringify({
      replicaCount: env.replicas,
      image: { tag: env.imageTag },
    });
    sources[env.name] = { path, valueFiles: [valuesFile] };
  }
  return { files, sources };
}
