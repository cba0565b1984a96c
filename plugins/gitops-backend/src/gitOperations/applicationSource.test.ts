import type { Application } from '@kupe/plugin-gitops-node';
import { applicationSourceOf } from './applicationSource';

const GIT = 'https://github.example/acme/gitops.git';
const app = (spec: Application['spec'], status?: Application['status']) =>
  ({
    metadata: { name: 'web-dev', namespace: 'argocd' },
    spec,
    ...(status ? { status } : {}),
  } as Application);
const chartAndValues = (env: string, version: string) =>
  ({
    project: 'tenant-acme',
    destination: { name: `acme-${env}`, namespace: 'web' },
    sources: [
      {
        repoURL: 'https://charts.acme.example',
        chart: 'web',
        targetRevision: version,
        helm: { valueFiles: [`$values/envs/${env}/values.yaml`] },
      },
      { repoURL: GIT, targetRevision: 'main', ref: 'values' },
    ],
  } as Application['spec']);

describe('applicationSourceOf', () => {
  it('reads a single source and the revision its newest deployment ran', () => {
    const source = applicationSourceOf(
      app(
        {
          project: 'p',
          destination: {},
          source: {
            repoURL: GIT,
            path: 'apps/web/dev',
            targetRevision: 'main',
          },
        } as Application['spec'],
        {
          history: [
            {
              id: 1,
              revision: 'a'.repeat(40),
              deployedAt: '2026-12-01T00:00:00Z',
            },
            {
              id: 2,
              revision: 'b'.repeat(40),
              deployedAt: '2026-12-02T00:00:00Z',
            },
          ],
        } as Application['status'],
      ),
    );
    expect(source).toEqual({
      repoURL: GIT,
      path: 'apps/web/dev',
      targetRevision: 'main',
      deployedRevision: 'b'.repeat(40),
    });
  });

  it('reads the chart + $values layout: the Git source, its value files, and the chart version that runs', () => {
    const source = applicationSourceOf(
      app(chartAndValues('dev', '2.4.x'), {
        history: [
          {
            id: 1,
            revisions: ['2.4.1', 'c'.repeat(40)],
            deployedAt: '2026-12-01T00:00:00Z',
          },
        ],
      } as Application['status']),
    );
    expect(source).toEqual({
      repoURL: GIT,
      targetRevision: 'main',
      valueFiles: ['envs/dev/values.yaml'],
      deployedRevision: 'c'.repeat(40),
      helmChart: {
        repoURL: 'https://charts.acme.example',
        chart: 'web',
        sourceIndex: 0,
        version: '2.4.1',
      },
    });
  });

  it('takes the requested chart version of an app that never ran', () => {
    const source = applicationSourceOf(app(chartAndValues('dev', '2.4.0')));
    expect(source.helmChart?.version).toBe('2.4.0');
    expect(source.deployedRevision).toBeUndefined();
  });

  it('refuses value files that leave the values repository', () => {
    const spec = chartAndValues('dev', '2.4.0');
    spec.sources![0].helm!.valueFiles = ['$values/../other/values.yaml'];
    expect(() => applicationSourceOf(app(spec))).toThrow(
      'Application web-dev names value files outside its values repository',
    );
  });

  it('reads other multi-source apps by their first source, and refuses an app without a repository', () => {
    const spec = chartAndValues('dev', '2.4.0');
    spec.sources![0].helm!.valueFiles = ['values-dev.yaml'];
    expect(applicationSourceOf(app(spec))).toMatchObject({
      repoURL: 'https://charts.acme.example',
      chart: 'web',
    });
    expect(() =>
      applicationSourceOf(
        app({ project: 'p', destination: {} } as Application['spec']),
      ),
    ).toThrow('Application web-dev has no source repository');
  });
});
