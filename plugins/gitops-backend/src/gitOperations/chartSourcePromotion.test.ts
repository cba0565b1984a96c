import { historyOf, memoryTree } from './__testUtils__/memoryTree';
import type { ApplicationSource } from './environmentVersion';
import { planPromotion } from './promotionPlanner';

const GIT = 'https://github.example/acme/gitops.git';
const CHARTS = 'https://charts.acme.example';
const source = (env: string, version: string): ApplicationSource => ({
  repoURL: GIT,
  targetRevision: 'main',
  valueFiles: [`envs/${env}/values.yaml`],
  helmChart: { repoURL: CHARTS, chart: 'web', sourceIndex: 0, version },
});
const values = (tag: string) =>
  `# values of web\nimage:\n  repository: registry.acme.example/web\n  tag: "${tag}"\n`;
const application = (env: string, version: string) =>
  [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Application',
    'metadata:',
    `  name: web-${env}`,
    'spec:',
    '  sources:',
    `    - repoURL: ${CHARTS}`,
    '      chart: web',
    `      targetRevision: ${version} # pinned`,
    '      helm:',
    `        valueFiles: [$values/envs/${env}/values.yaml]`,
    `    - repoURL: ${GIT}`,
    '      targetRevision: main',
    '      ref: values',
    '',
  ].join('\n');

const plan = (files: Record<string, string>, next?: ApplicationSource) => {
  const tree = memoryTree(files);
  return planPromotion({
    app: {
      name: 'web-dev',
      environment: 'dev',
      neverDeployed: false,
      source: source('dev', '2.4.1'),
      runs: tree,
    },
    next: {
      name: 'web-staging',
      environment: 'staging',
      neverDeployed: false,
      source: next ?? source('staging', '2.4.0'),
      sameBranch: true,
      runs: tree,
      head: tree,
    },
    history: historyOf(),
  });
};

describe('promotion of a chart from a Helm repository with values from Git', () => {
  const files = {
    'envs/dev/values.yaml': values('1.5.0'),
    'envs/staging/values.yaml': values('1.4.0'),
  };

  it("moves the chart version in the next Application's manifest in Git and the image tag in its values", async () => {
    const argocd = {
      // Another app's Application in the same file stays as it is.
      'argocd/web.yaml': `${application('dev', '2.4.1')}---\n${application(
        'staging',
        '2.4.0',
      )}`,
    };
    const result = await plan({ ...files, ...argocd });
    expect(result.blocked).toBeUndefined();
    expect(result.version).toMatchObject({
      layout: 'helm-repository',
      chart: 'web',
      chartVersion: '2.4.1',
      images: [{ name: 'registry.acme.example/web', tag: '1.5.0' }],
    });
    expect(result.chartChanges).toEqual([
      { kind: 'chart', name: 'web', from: '2.4.0', to: '2.4.1' },
    ]);
    expect(result.changes).toEqual([
      { name: 'registry.acme.example/web', from: '1.4.0', to: '1.5.0' },
    ]);
    expect(result.writes).toEqual({
      'argocd/web.yaml': `${application('dev', '2.4.1')}---\n${application(
        'staging',
        '2.4.1',
      )}`,
      'envs/staging/values.yaml': values('1.5.0'),
    });
  });

  it('refuses with a typed reason when the chart version lives only in the live Application', async () => {
    const result = await plan(files);
    expect(result.blocked?.code).toBe('chart-version-not-in-git');
    expect(result.blocked?.message).toBe(
      'The chart version of web-staging (web 2.4.0) is set only in its live Application, not in Git, so a pull request cannot move it to 2.4.1: set spec.sources[0].targetRevision of web-staging in Argo CD, or keep the Application in this repository',
    );
    expect(result.writes).toEqual({});
  });

  it('promotes the image alone when both run the same chart version, Application in Git or not', async () => {
    const result = await plan(files, source('staging', '2.4.1'));
    expect(result.blocked).toBeUndefined();
    expect(result.chartChanges).toEqual([]);
    expect(Object.keys(result.writes)).toEqual(['envs/staging/values.yaml']);
  });

  it('names a chart downgrade by semver', async () => {
    const argocd = {
      'argocd/web-staging.yaml': application('staging', '2.5.0'),
    };
    const result = await plan(
      { ...files, ...argocd },
      source('staging', '2.5.0'),
    );
    expect(result.downgrades).toEqual([
      expect.objectContaining({ kind: 'chart', from: '2.5.0', to: '2.4.1' }),
    ]);
  });

  it('refuses another chart, or a next environment laid out otherwise', async () => {
    const other = source('staging', '2.4.0');
    other.helmChart = { ...other.helmChart!, chart: 'api' };
    expect((await plan(files, other)).blocked).toEqual({
      code: 'layout-mismatch',
      message: `web-staging deploys chart api from ${CHARTS}, web-dev chart web from ${CHARTS}; promote it by hand`,
    });
    const overlay = {
      repoURL: GIT,
      path: 'apps/web/staging',
      targetRevision: 'main',
    };
    expect((await plan(files, overlay)).blocked?.code).toBe('layout-mismatch');
  });
});
