import { TenantNaming } from '@kupe/plugin-gitops-common';
import { buildApplication } from '@kupe/plugin-gitops-node-test-utils';
import { toIndexedApplication } from '../applicationIndex/IndexedApplication';
import { toApplicationSummary } from './toApplicationSummary';

const CHARTS = 'https://charts.example.com/stable';
const GIT = 'https://github.com/acme/gitops.git';
const VALUES_SHA = 'a'.repeat(40);

function summaryOf(app: ReturnType<typeof buildApplication>) {
  return toApplicationSummary(
    toIndexedApplication(
      'main',
      app,
      new TenantNaming(),
      'argocd',
      undefined,
      new Date('2026-01-05T12:00:00Z'),
    ),
    { loaded: true, stale: false, ageMs: 0 },
    undefined,
  );
}

const chartAndValues = [
  {
    repoURL: CHARTS,
    chart: 'web',
    targetRevision: '^2.4.0',
    helm: { valueFiles: ['$values/apps/web/dev/values.yaml'] },
  },
  { repoURL: GIT, targetRevision: 'main', ref: 'values' },
];

describe('toApplicationSummary with multi-source and Helm chart apps', () => {
  it('lists every source of a multi-source app with its chart version or commit', () => {
    const summary = summaryOf(
      buildApplication({
        name: 'web-dev',
        tenant: 'acme',
        sources: chartAndValues,
        revisions: ['2.4.1', VALUES_SHA],
      }),
    );
    expect(summary.sources).toEqual([
      {
        repoURL: CHARTS,
        chart: 'web',
        targetRevision: '^2.4.0',
        deployedRevision: '2.4.1',
        syncRevision: '2.4.1',
      },
      {
        repoURL: GIT,
        targetRevision: 'main',
        ref: 'values',
        deployedRevision: VALUES_SHA,
        syncRevision: VALUES_SHA,
      },
    ]);
    expect(summary.sync.revision).toBeUndefined();
    expect(summary.sync.revisions).toEqual(['2.4.1', VALUES_SHA]);
  });

  it('gives an OutOfSync multi-source app its target from sync.revisions, beside what runs', () => {
    const app = buildApplication({
      name: 'web-dev',
      sources: chartAndValues,
      revisions: ['2.4.1', VALUES_SHA],
      syncStatus: 'OutOfSync',
    });
    const summary = summaryOf(app);
    const [chart, values] = summary.sources!;
    expect(chart.deployedRevision).toBe('2.4.1');
    expect(chart.syncRevision).toBe('2.4.2');
    expect(values.deployedRevision).toBe(VALUES_SHA);
    expect(values.syncRevision).toBe(app.status!.sync!.revisions![1]);
    expect(values.syncRevision).not.toBe(VALUES_SHA);
  });

  it('shows the chart version Argo CD reports as synced, not the last history entry', () => {
    const app = buildApplication({
      name: 'web',
      chart: 'web',
      repoURL: CHARTS,
      targetRevision: '2.4.x',
      revision: '2.4.0',
    });
    // The range now resolves to 2.4.1, which renders the same manifests: Synced, no new sync.
    app.status!.sync!.revision = '2.4.1';
    const summary = summaryOf(app);
    expect(app.status!.history!.at(-1)!.revision).toBe('2.4.0');
    expect(summary.deployedRevision).toBe('2.4.1');
    expect(summary.sources).toEqual([
      {
        repoURL: CHARTS,
        chart: 'web',
        targetRevision: '2.4.x',
        deployedRevision: '2.4.1',
        syncRevision: '2.4.1',
      },
    ]);
  });

  it('says nothing runs from the sources of a never-synced app', () => {
    const summary = summaryOf(
      buildApplication({
        name: 'web-prod',
        sources: chartAndValues,
        neverSynced: true,
      }),
    );
    expect(summary.sources!.map(s => s.deployedRevision)).toEqual([
      undefined,
      undefined,
    ]);
    expect(summary.deployedRevision).toBeUndefined();
  });

  it('keeps a single Git source app as it was, with its one source listed', () => {
    const summary = summaryOf(
      buildApplication({ name: 'api', revision: 'b'.repeat(40) }),
    );
    expect(summary.deployedRevision).toBe('b'.repeat(40));
    expect(summary.sources).toEqual([
      expect.objectContaining({
        deployedRevision: 'b'.repeat(40),
        syncRevision: 'b'.repeat(40),
      }),
    ]);
  });
});

describe('an application summary of one record across reads', () => {
  const indexed = toIndexedApplication(
    'main',
    buildApplication({
      name: 'web-dev',
      tenant: 'acme',
      sources: chartAndValues,
      revisions: ['2.4.1', VALUES_SHA],
    }),
    new TenantNaming(),
    'argocd',
    undefined,
    new Date('2026-01-05T12:00:00Z'),
  );
  const UI = 'https://argocd.example.com';

  it('answers each read with that read’s freshness, the same record otherwise', () => {
    const fresh = { loaded: true, stale: false, ageMs: 0 };
    const later = { loaded: true, stale: true, ageMs: 90_000 };
    const first = toApplicationSummary(indexed, fresh, UI);
    const second = toApplicationSummary(indexed, later, UI);
    expect(first).toMatchObject({ stale: false, ageMs: 0 });
    expect(second).toMatchObject({ stale: true, ageMs: 90_000 });
    const { stale: _a, ageMs: _b, ...app } = first;
    const { stale: _c, ageMs: _d, ...same } = second;
    expect(same).toEqual(app);
    expect(app.argoCdUrl).toBe(`${UI}/applications/argocd/web-dev`);
  });
});
