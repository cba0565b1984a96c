/**
 * acme-checkout: the sandbox's service deployed by an Argo Rollouts canary. Its staging app
 * runs a `Rollout` whose canary steps advance over time after a new image is synced (20 %, a
 * 10 s pause, 50 %, an analysis, a pause for a manual promotion, 100 %); an image tagged
 * `-broken` fails the analysis and the Rollout aborts (see `rollouts/CanarySimulator.ts`).
 */

/** The component, its one app and where its manifests live in acme's GitOps repository. */
export const CANARY_SERVICE = 'acme-checkout';
export const CANARY_APP = 'acme-checkout-staging';
export const CANARY_PATH = `apps/${CANARY_SERVICE}/staging`;
export const CANARY_IMAGE = 'registry.acme.example/acme-checkout';

/** The canary steps of acme-checkout's Rollout. */
export const CANARY_STEPS_YAML = [
  '      steps:',
  '        - setWeight: 20',
  '        - pause:',
  '            duration: 10s',
  '        - setWeight: 50',
  '        - analysis:',
  '            templates:',
  '              - templateName: success-rate',
  '        - pause: {}',
  '        - setWeight: 100',
];

export function rolloutYaml(name: string, image: string): string {
  return [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Rollout',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  replicas: 4',
    '  revisionHistoryLimit: 3',
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
    '  strategy:',
    '    canary:',
    ...CANARY_STEPS_YAML,
    '',
  ].join('\n');
}

/** The AnalysisTemplate the analysis step runs: the share of 5xx answers of the canary. */
export function analysisTemplateYaml(service: string): string {
  return [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: AnalysisTemplate',
    'metadata:',
    '  name: success-rate',
    'spec:',
    '  metrics:',
    '    - name: success-rate',
    '      interval: 30s',
    '      count: 1',
    '      failureLimit: 0',
    '      successCondition: result[0] >= 0.95',
    '      provider:',
    '        prometheus:',
    '          address: http://prometheus.monitoring:9090',
    '          query: |',
    `            sum(rate(http_requests_total{service="${service}",code!~"5.."}[1m]))`,
    `            / sum(rate(http_requests_total{service="${service}"}[1m]))`,
    '',
  ].join('\n');
}

/** acme-checkout's files in acme's GitOps repository (first commit). */
export function canaryGitFiles(
  serviceYaml: (name: string) => string,
): Record<string, string> {
  return {
    [`${CANARY_PATH}/rollout.yaml`]: rolloutYaml(
      CANARY_SERVICE,
      `${CANARY_IMAGE}:2.3.0`,
    ),
    [`${CANARY_PATH}/service.yaml`]: serviceYaml(CANARY_SERVICE),
    [`${CANARY_PATH}/analysis-template.yaml`]:
      analysisTemplateYaml(CANARY_SERVICE),
  };
}

/** acme-checkout's staging app as the seed lists it: manual sync, deployed at HEAD. */
export const CANARY_SEED_APP = {
  name: CANARY_APP,
  tenant: 'acme',
  component: CANARY_SERVICE,
  environment: 'staging',
  cluster: 'acme-staging',
  repo: 'acme/gitops',
  path: CANARY_PATH,
  policy: 'manual' as const,
  deployed: ['HEAD' as const],
};
