import { stringify as stringifyYaml } from 'yaml';
import {
  ENVIRONMENT_LABEL,
  KUBERNETES_ID_LABEL,
  TENANT_LABEL,
  toArgoSyncPolicy,
} from '@kupe/plugin-gitops-common';
import type { ApplicationSource } from '@kupe/plugin-gitops-node';
import type { SandboxChart } from '../helm/SandboxHelmRepository';
import { configMapYaml, deploymentYaml, serviceYaml } from './seedManifests';

/** The service whose chart acme's Helm repository serves, with its values in acme's Git. */
export const CHART_SERVICE = 'acme-worker';
const IMAGE = 'registry.acme.example/acme-worker';
const VALUES_DIR = `apps/${CHART_SERVICE}`;

/**
 * What each environment runs: the chart version (from the Helm repository) and the image tag
 * (from its value file in Git). Dev is a chart and an image ahead of staging, which production
 * matches, so the portal offers a promotion from dev to staging of both.
 */
export const CHART_ENVIRONMENTS = [
  {
    environment: 'dev',
    file: 'dev',
    chart: '0.2.0',
    tag: '1.1.0',
    policy: 'auto',
  },
  {
    environment: 'staging',
    file: 'staging',
    chart: '0.1.0',
    tag: '1.0.0',
    policy: 'auto',
  },
  {
    environment: 'production',
    file: 'prod',
    chart: '0.1.0',
    tag: '1.0.0',
    policy: 'manual',
  },
] as const;

/** One environment of acme-worker. */
export type ChartEnvironment = (typeof CHART_ENVIRONMENTS)[number];

/** The sync policy of an acme-worker Application, the same in Git and in Argo CD. */
export function workerSyncPolicy(env: ChartEnvironment) {
  return toArgoSyncPolicy(env.policy, ['CreateNamespace=true']);
}

/**
 * The versions of the acme-worker chart: 0.2.0 adds a ConfigMap the Deployment reads, so a
 * chart version change changes what runs, beside the image tag the values set.
 */
export function workerCharts(created: (ago: number) => Date): SandboxChart[] {
  const base = {
    name: CHART_SERVICE,
    description: 'Acme background worker',
    home: 'https://acme.example/worker',
    maintainers: [{ name: 'acme-devs', email: 'devs@acme.example' }],
  };
  const values = `replicaCount: 1\nimage:\n  repository: ${IMAGE}\n  tag: "0.0.0"\n`;
  const deployment = deploymentYaml(
    '{{ .Release.Name }}',
    '{{ .Values.image.repository }}:{{ .Values.image.tag }}',
    { replicas: 1 },
  );
  const DAY = 24 * 60 * 60 * 1000;
  return [
    {
      ...base,
      version: '0.1.0',
      appVersion: '1.0.0',
      created: created(5 * DAY),
      files: {
        'values.yaml': values,
        'templates/deployment.yaml': deployment,
        'templates/service.yaml': serviceYaml('{{ .Release.Name }}'),
      },
    },
    {
      ...base,
      version: '0.2.0',
      appVersion: '1.1.0',
      created: created(4 * DAY),
      files: {
        'values.yaml': `${values}queue: jobs\n`,
        'templates/deployment.yaml': deployment,
        'templates/service.yaml': serviceYaml('{{ .Release.Name }}'),
        'templates/configmap.yaml': configMapYaml(
          '{{ .Release.Name }}-config',
          { QUEUE: '{{ .Values.queue }}' },
        ),
      },
    },
  ];
}

/**
 * `spec.sources` of an acme-worker Application: the chart from the Helm repository with its
 * environment's value file from the tenant's Git repository (`ref: values`, `$values/...`).
 */
export function workerSources(
  helmRepoURL: string,
  gitRepoURL: string,
  env: ChartEnvironment,
): ApplicationSource[] {
  return [
    {
      repoURL: helmRepoURL,
      chart: CHART_SERVICE,
      targetRevision: env.chart,
      helm: { valueFiles: [`$values/${VALUES_DIR}/values-${env.file}.yaml`] },
    },
    { repoURL: gitRepoURL, targetRevision: 'main', ref: 'values' },
  ];
}

/** The Application's name in an environment. */
export function workerAppName(env: ChartEnvironment) {
  return `${CHART_SERVICE}-${env.file}`;
}

/**
 * The Git files of acme-worker: a value file per environment and each Application's manifest
 * under `argocd/` (an app-of-apps layout), where the chart version a promotion moves is set.
 */
export function workerGitFiles(
  helmRepoURL: string,
  gitRepoURL: string,
): Record<string, string> {
  const files: Record<string, string> = {};
  for (const env of CHART_ENVIRONMENTS) {
    files[
      `${VALUES_DIR}/values-${env.file}.yaml`
    ] = `image:\n  repository: ${IMAGE}\n  tag: "${env.tag}"\n`;
    files[`argocd/${workerAppName(env)}.yaml`] = stringifyYaml({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: workerAppName(env),
        namespace: 'argocd',
        labels: {
          [TENANT_LABEL]: 'acme',
          [ENVIRONMENT_LABEL]: env.environment,
          [KUBERNETES_ID_LABEL]: CHART_SERVICE,
        },
      },
      spec: {
        project: 'tenant-acme',
        sources: workerSources(helmRepoURL, gitRepoURL, env),
        destination: {
          name: `acme-${env.file}`,
          namespace: CHART_SERVICE,
        },
        syncPolicy: workerSyncPolicy(env),
      },
    });
  }
  return files;
}
