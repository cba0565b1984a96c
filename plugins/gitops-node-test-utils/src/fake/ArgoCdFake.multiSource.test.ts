import { ArgoCdSwaggerValidator } from '../contract/argoCdSwaggerValidator';
import { call } from '../__testUtils__/seededFake';
import { buildApplication } from '../builders/buildApplication';
import { ArgoCdFake } from './ArgoCdFake';
import { SimpleController } from './SimpleController';

const validator = new ArgoCdSwaggerValidator();
const CHARTS = 'https://charts.example.com/stable';
const GIT = 'https://git.example.com/acme/gitops.git';
const t = { token: ArgoCdFake.adminToken };

const chartAndValues = [
  {
    repoURL: CHARTS,
    chart: 'web',
    targetRevision: '^2.4.0',
    helm: { valueFiles: ['$values/apps/web/dev/values.yaml'] },
  },
  { repoURL: GIT, targetRevision: 'main', ref: 'values' },
];

function world() {
  const controller = new SimpleController({ stepMs: 1 });
  const fake = new ArgoCdFake({ controller });
  for (const version of ['2.3.0', '2.4.0', '2.4.1', '2.5.0-rc.1', '3.0.0']) {
    controller.charts.add(CHARTS, 'web', {
      version,
      description: `Web ${version}`,
      home: 'https://example.com/web',
      maintainers: ['Platform <platform@example.com>'],
    });
  }
  fake.putApplication(
    buildApplication({
      name: 'web-dev',
      sources: chartAndValues,
      revisions: ['2.4.0', 'a'.repeat(40)],
    }),
  );
  fake.putApplication(
    buildApplication({
      name: 'redis',
      chart: 'web',
      repoURL: CHARTS,
      targetRevision: '2.4.1',
    }),
  );
  return { fake, controller };
}

describe('ArgoCdFake with multi-source and Helm-repository chart apps', () => {
  it('syncs a multi-source app to the highest chart version in range and the values SHA, in source order', async () => {
    const { fake, controller } = world();
    const started = await call(
      fake,
      'POST',
      '/api/v1/applications/web-dev/sync',
      {
        ...t,
        body: {},
      },
    );
    expect(started.status).toBe(200);
    expect(started.json.operation.sync.revision).toBeUndefined();
    expect(started.json.operation.sync.revisions).toEqual([
      '2.4.1',
      'a'.repeat(40),
    ]);
    controller.flush();
    const app = (await call(fake, 'GET', '/api/v1/applications/web-dev', t))
      .json;
    expect(app.status.sync.status).toBe('Synced');
    expect(app.status.sync.revision).toBeUndefined();
    expect(app.status.sync.revisions).toEqual(['2.4.1', 'a'.repeat(40)]);
    expect(app.status.sync.comparedTo.sources).toEqual(chartAndValues);
    const last = app.status.history.at(-1);
    expect(last.revision).toBeUndefined();
    expect(last.revisions).toEqual(['2.4.1', 'a'.repeat(40)]);
    expect(last.sources).toEqual(chartAndValues);
    expect(app.status.operationState.syncResult).toMatchObject({
      revision: '',
      revisions: ['2.4.1', 'a'.repeat(40)],
      sources: chartAndValues,
    });
    expect(validator.validate('v1alpha1Application', app)).toEqual([]);
  });

  it('takes per-source revisions by 1-based source position and refuses a position out of range', async () => {
    const { fake } = world();
    const chosen = await call(
      fake,
      'POST',
      '/api/v1/applications/web-dev/sync',
      {
        ...t,
        body: { revisions: ['2.3.0'], sourcePositions: [1] },
      },
    );
    expect(chosen.json.operation.sync.revisions).toEqual([
      '2.3.0',
      'a'.repeat(40),
    ]);
    const { fake: other } = world();
    const bad = await call(other, 'POST', '/api/v1/applications/web-dev/sync', {
      ...t,
      body: { revisions: ['2.3.0'], sourcePositions: [3] },
    });
    expect(bad.status).toBe(500);
    expect(bad.json.message).toBe('source position is out of range');
    expect(validator.validate('runtimeError', bad.json)).toEqual([]);
  });

  it('refuses a chart range nothing in the Helm repository satisfies, and another revision under auto-sync', async () => {
    const { fake } = world();
    const none = await call(fake, 'POST', '/api/v1/applications/web-dev/sync', {
      ...t,
      body: { revisions: ['^9.0.0'], sourcePositions: [1] },
    });
    expect(none.status).toBe(400);
    expect(none.json.message).toMatch(/no version for constraints/);
    fake.updateApplication('web-dev', a => {
      a.spec.syncPolicy = { automated: { enabled: true } };
    });
    const auto = await call(fake, 'POST', '/api/v1/applications/web-dev/sync', {
      ...t,
      body: { revisions: ['2.3.0'], sourcePositions: [1] },
    });
    expect(auto.status).toBe(400);
    expect(auto.json.message).toBe(
      `Cannot sync source ${CHARTS} to 2.3.0: auto-sync currently set to ^2.4.0`,
    );
  });

  it('rolls a multi-source app back to a history entry’s revisions and sources', async () => {
    const { fake, controller } = world();
    const before = fake.getApplication('web-dev')!.status!.history![0];
    const rolled = await call(
      fake,
      'POST',
      '/api/v1/applications/web-dev/rollback',
      { ...t, body: { id: before.id } },
    );
    expect(rolled.json.operation.sync).toMatchObject({
      revisions: before.revisions,
      sources: before.sources,
    });
    controller.flush();
    expect(fake.getApplication('web-dev')!.status!.sync!.revisions).toEqual(
      before.revisions,
    );
  });

  it('answers chartdetails for a chart source, by source index and history version', async () => {
    const { fake } = world();
    const single = await call(
      fake,
      'GET',
      '/api/v1/applications/redis/revisions/2.4.1/chartdetails',
      t,
    );
    expect(single.status).toBe(200);
    expect(single.json).toEqual({
      description: 'Web 2.4.1',
      home: 'https://example.com/web',
      maintainers: ['Platform <platform@example.com>'],
    });
    expect(validator.validate('v1alpha1ChartDetails', single.json)).toEqual([]);
    const multi = await call(
      fake,
      'GET',
      '/api/v1/applications/web-dev/revisions/2.4.0/chartdetails?sourceIndex=0&versionId=1',
      t,
    );
    expect(multi.json.description).toBe('Web 2.4.0');
  });

  it('refuses chartdetails for a Git source, a missing source index and an unpublished version as argocd-server does', async () => {
    const { fake } = world();
    const cases: Array<[string, string]> = [
      [
        '/api/v1/applications/web-dev/revisions/2.4.0/chartdetails?sourceIndex=1',
        'no chart found for application: web-dev',
      ],
      [
        '/api/v1/applications/web-dev/revisions/2.4.0/chartdetails?sourceIndex=2',
        'error getting app source by source index and version ID: source index 2 not found because there are only 2 sources',
      ],
      [
        '/api/v1/applications/redis/revisions/9.9.9/chartdetails',
        'error extracting chart: failed to get chart web version 9.9.9 from https://charts.example.com/stable: not found',
      ],
      [
        '/api/v1/applications/web-dev/revisions/2.4.0/chartdetails?versionId=42',
        'error getting app source by source index and version ID: error getting source by version ID: revision history not found for version ID 42',
      ],
    ];
    for (const [path, message] of cases) {
      const res = await call(fake, 'GET', path, t);
      expect({ path, status: res.status, message: res.json.message }).toEqual({
        path,
        status: 500,
        message,
      });
      expect(validator.validate('runtimeError', res.json)).toEqual([]);
    }
    const missing = await call(
      fake,
      'GET',
      '/api/v1/applications/nope/revisions/1.0.0/chartdetails',
      t,
    );
    expect(missing.status).toBe(403);
  });

  it('auto-syncs a newly created multi-source app to resolved revisions', async () => {
    const { fake, controller } = world();
    const created = await call(fake, 'POST', '/api/v1/applications', {
      ...t,
      body: {
        metadata: { name: 'web-prod' },
        spec: {
          project: 'default',
          sources: chartAndValues,
          destination: {
            server: 'https://kubernetes.default.svc',
            namespace: 'web',
          },
          syncPolicy: { automated: {} },
        },
      },
    });
    expect(created.status).toBe(200);
    controller.flush();
    const app = fake.getApplication('web-prod')!;
    expect(app.status!.sync!.revisions![0]).toBe('2.4.1');
    expect(app.status!.sync!.revisions![1]).toMatch(/^[0-9a-f]{40}$/);
    expect(app.status!.history).toHaveLength(1);
  });
});
