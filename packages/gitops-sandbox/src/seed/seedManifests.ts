/**
 * File contents of the seeded GitOps repositories: small but real manifests of the three
 * source types the sandbox renders.
 */

export function deploymentYaml(
  name: string,
  image: string,
  options: { replicas?: number; annotations?: Record<string, string> } = {},
): string {
  const annotations = Object.entries(options.annotations ?? {});
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    '  labels:',
    `    app.kubernetes.io/name: ${name}`,
    ...(annotations.length
      ? ['  annotations:', ...annotations.map(([k, v]) => `    ${k}: "${v}"`)]
      : []),
    'spec:',
    `  replicas: ${options.replicas ?? 2}`,
    '  selector:',
    '    matchLabels:',
    `      app.kubernetes.io/name: ${name}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app.kubernetes.io/name: ${name}`,
    '    spec:',
    '      containers:',
    `        - name: ${name}`,
    `          image: ${image}`,
    '          ports:',
    '            - containerPort: 8080',
    '',
  ].join('\n');
}

export function serviceYaml(name: string): string {
  return [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  selector:',
    `    app.kubernetes.io/name: ${name}`,
    '  ports:',
    '    - port: 80',
    '      targetPort: 8080',
    '',
  ].join('\n');
}

export function configMapYaml(
  name: string,
  data: Record<string, string>,
): string {
  return [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    `  name: ${name}`,
    'data:',
    ...Object.entries(data).map(([k, v]) => `  ${k}: "${v}"`),
    '',
  ].join('\n');
}

export function kustomizationYaml(
  resources: string[],
  images?: Array<{ name: string; newTag: string }>,
): string {
  return [
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    'resources:',
    ...resources.map(r => `  - ${r}`),
    ...(images?.length
      ? [
          'images:',
          ...images.flatMap(i => [
            `  - name: ${i.name}`,
            `    newTag: "${i.newTag}"`,
          ]),
        ]
      : []),
    '',
  ].join('\n');
}

/** A Helm chart whose only template parameter that matters is the image tag. */
export function helmChartFiles(
  dir: string,
  name: string,
  image: string,
  tags: Record<string, string>,
): Record<string, string> {
  const files: Record<string, string> = {
    [`${dir}/Chart.yaml`]: `apiVersion: v2\nname: ${name}\nversion: 0.1.0\nappVersion: "1.0"\n`,
    [`${dir}/values.yaml`]: `replicaCount: 2\nimage:\n  repository: ${image}\n  tag: "1.0.0"\n`,
    [`${dir}/templates/deployment.yaml`]: deploymentYaml(
      '{{ .Release.Name }}',
      '{{ .Values.image.repository }}:{{ .Values.image.tag }}',
      { replicas: 2 },
    ),
    [`${dir}/templates/service.yaml`]: serviceYaml('{{ .Release.Name }}'),
  };
  for (const [env, tag] of Object.entries(tags)) {
    files[`${dir}/values-${env}.yaml`] = `image:\n  tag: "${tag}"\n`;
  }
  return files;
}

/**
 * CODEOWNERS giving the tenant's team (`@<tenant>/<tenant>-devs`) the production paths: with
 * the sandbox GitHub's branch protection on `main` (code owner review required), a pull
 * request that changes production needs that team's approval; other paths merge freely.
 */
export function codeowners(tenant: string, productionPaths: string[]): string {
  return [
    '# Production changes need an approval by the tenant team.',
    ...productionPaths.map(path => `${path} @${tenant}/${tenant}-devs`),
    '',
  ].join('\n');
}
