import { ArgoCdSwaggerValidator } from '../contract/argoCdSwaggerValidator';
import { buildApplication } from './buildApplication';

const validator = new ArgoCdSwaggerValidator();

const chartAndValues = [
  {
    repoURL: 'https://charts.example.com/stable',
    chart: 'web',
    targetRevision: '^2.4.0',
    helm: { valueFiles: ['$values/apps/web/dev/values.yaml'] },
  },
  {
    repoURL: 'https://git.example.com/acme/gitops.git',
    targetRevision: 'main',
    ref: 'values',
  },
];

describe('buildApplication', () => {
  it('lays out a multi-source app as Argo CD writes one: revisions in source order, revision empty', () => {
    const app = buildApplication({
      name: 'web-dev',
      tenant: 'acme',
      sources: chartAndValues,
      revisions: ['2.4.1', 'a'.repeat(40)],
      historyLength: 3,
    });
    expect(app.spec.source).toBeUndefined();
    expect(app.spec.sources).toEqual(chartAndValues);
    const status = app.status!;
    expect(status.sync).toEqual({
      status: 'Synced',
      revisions: ['2.4.1', 'a'.repeat(40)],
      comparedTo: {
        sources: chartAndValues,
        destination: { name: 'acme-dev', namespace: 'web-dev' },
      },
    });
    expect(status.history!.map(h => [h.revision, h.revisions])).toEqual([
      [undefined, ['2.3.9', expect.stringMatching(/^[0-9a-f]{40}$/)]],
      [undefined, ['2.4.0', expect.stringMatching(/^[0-9a-f]{40}$/)]],
      [undefined, ['2.4.1', 'a'.repeat(40)]],
    ]);
    expect(status.history!.every(h => h.sources === chartAndValues)).toBe(true);
    expect(status.history!.every(h => h.source === undefined)).toBe(true);
    expect(status.operationState!.operation.sync).toEqual({
      revisions: ['2.4.1', 'a'.repeat(40)],
      syncOptions: ['CreateNamespace=true'],
    });
    expect(status.operationState!.syncResult).toMatchObject({
      revision: '',
      revisions: ['2.4.1', 'a'.repeat(40)],
      sources: chartAndValues,
    });
    // The ref-only source renders nothing, so its repo-server answer has no source type.
    expect(status.sourceTypes).toEqual(['Helm', '']);
    expect(status.sourceType).toBeUndefined();
    expect(validator.validate('v1alpha1Application', app)).toEqual([]);
  });

  it('puts chart versions, not commit SHAs, in a Helm chart app’s revision fields', () => {
    const app = buildApplication({
      name: 'redis',
      chart: 'redis',
      repoURL: 'https://charts.example.com/stable',
      targetRevision: '19.6.2',
    });
    expect(app.spec.source).toEqual({
      repoURL: 'https://charts.example.com/stable',
      chart: 'redis',
      targetRevision: '19.6.2',
    });
    expect(app.status!.sync!.revision).toBe('19.6.2');
    expect(app.status!.history!.map(h => h.revision)).toEqual([
      '19.6.1',
      '19.6.2',
    ]);
    expect(app.status!.operationState!.syncResult!.revision).toBe('19.6.2');
    expect(app.status!.sourceType).toBe('Helm');
    expect(validator.validate('v1alpha1Application', app)).toEqual([]);
  });

  it('moves an OutOfSync chart range to the next release and keeps a pinned version', () => {
    const ranged = buildApplication({
      name: 'web',
      chart: 'web',
      targetRevision: '~2.4.0',
      revision: '2.4.1',
      syncStatus: 'OutOfSync',
    });
    expect(ranged.status!.sync!.revision).toBe('2.4.2');
    expect(ranged.status!.history!.at(-1)!.revision).toBe('2.4.1');
    const pinned = buildApplication({
      name: 'web',
      sources: [
        {
          repoURL: 'https://charts.example.com/stable',
          chart: 'web',
          targetRevision: '2.4.1',
        },
        {
          repoURL: 'https://git.example.com/acme/gitops.git',
          targetRevision: 'main',
          ref: 'values',
        },
      ],
      syncStatus: 'OutOfSync',
    });
    const [chart, values] = pinned.status!.sync!.revisions!;
    const [deployedChart, deployedValues] =
      pinned.status!.history!.at(-1)!.revisions!;
    expect([chart, deployedChart]).toEqual(['2.4.1', '2.4.1']);
    expect(values).not.toBe(deployedValues);
  });

  it('refuses a chart range without the version it runs, rather than inventing one', () => {
    expect(() =>
      buildApplication({ name: 'web', chart: 'web', targetRevision: '^2.0.0' }),
    ).toThrow(/give the deployed version/);
  });

  it('builds a never-synced multi-source app with no revisions at all', () => {
    const app = buildApplication({
      name: 'web-prod',
      sources: chartAndValues,
      neverSynced: true,
    });
    expect(app.spec.sources).toEqual(chartAndValues);
    expect(app.status!.sync).toEqual({ status: '' });
    expect(app.status!.history).toBeUndefined();
    expect(validator.validate('v1alpha1Application', app)).toEqual([]);
  });

  it('keeps the single Git source layout unchanged', () => {
    const app = buildApplication({ name: 'api', revision: 'b'.repeat(40) });
    expect(app.spec.sources).toBeUndefined();
    expect(app.status!.sync!.revision).toBe('b'.repeat(40));
    expect(app.status!.sync!.revisions).toBeUndefined();
    expect(app.status!.history!.at(-1)).toMatchObject({
      revision: 'b'.repeat(40),
      source: app.spec.source,
    });
    expect(app.status!.sourceType).toBe('Directory');
  });
});
