import type { Application, ResourceStatus } from '@kupe/plugin-gitops-node';
import { ArgoCdSwaggerValidator } from '../contract/argoCdSwaggerValidator';
import { call, seededFake } from '../__testUtils__/seededFake';
import { buildApplication } from '../builders/buildApplication';
import type { ArgoCdFake } from './ArgoCdFake';

const swagger = new ArgoCdSwaggerValidator();

const resource = (
  kind: string,
  name: string,
  extra: Partial<ResourceStatus> = {},
): ResourceStatus => ({
  group: kind === 'Deployment' ? 'apps' : undefined,
  version: 'v1',
  kind,
  namespace: 'shop',
  name,
  status: 'Synced',
  health: { status: 'Healthy' },
  ...extra,
});

/** A manual-sync app with one Synced, one OutOfSync and one orphaned resource. */
function withMixedApp() {
  const seeded = seededFake();
  seeded.fake.putApplication(
    buildApplication({
      name: 'acme-mixed',
      tenant: 'acme',
      component: 'acme-mixed',
      syncStatus: 'OutOfSync',
      resources: [
        resource('Service', 'web'),
        resource('Deployment', 'web', { status: 'OutOfSync' }),
        resource('ConfigMap', 'old', {
          status: 'OutOfSync',
          requiresPruning: true,
        }),
      ],
    }),
  );
  return seeded;
}

async function finished(fake: ArgoCdFake, name: string): Promise<Application> {
  for (let i = 0; i < 300; i++) {
    const app = fake.getApplication(name);
    if (
      app &&
      !app.operation &&
      app.status?.operationState?.phase === 'Succeeded'
    )
      return app;
    await new Promise(r => setTimeout(r, 5));
  }
  throw new Error(`${name}'s operation did not finish`);
}

const resultsOf = (app: Application) =>
  (app.status?.operationState?.syncResult?.resources ?? []).map(
    r => `${r.kind}/${r.name} ${r.status}: ${r.message}`,
  );

describe('ArgoCdFake sync options, as Argo CD v3.5.1 takes them', () => {
  it('records the options, strategy, info and initiator in the operation, each swagger-valid', async () => {
    const { fake, tokens } = withMixedApp();
    const body = {
      prune: true,
      strategy: { hook: { force: true } },
      syncOptions: {
        items: ['ApplyOutOfSyncOnly=true', 'ServerSideApply=true'],
      },
      infos: [{ name: 'Requested by', value: 'user:default/alice' }],
    };
    expect(swagger.validate('applicationApplicationSyncRequest', body)).toEqual(
      [],
    );
    const res = await call(
      fake,
      'POST',
      '/api/v1/applications/acme-mixed/sync',
      {
        token: tokens.acme,
        body,
      },
    );
    expect(res.status).toBe(200);
    expect(swagger.validate('v1alpha1Application', res.json)).toEqual([]);
    // In the Application the options are a plain list, not the request's {items}.
    expect(res.json.operation).toEqual({
      sync: expect.objectContaining({
        prune: true,
        syncOptions: ['ApplyOutOfSyncOnly=true', 'ServerSideApply=true'],
        syncStrategy: { hook: { force: true } },
      }),
      initiatedBy: { username: 'proj:tenant-acme:backstage' },
      info: [{ name: 'Requested by', value: 'user:default/alice' }],
    });
    const app = await finished(fake, 'acme-mixed');
    expect(swagger.validate('v1alpha1Application', app)).toEqual([]);
    expect(app.status?.operationState?.operation).toEqual(res.json.operation);
    // The history keeps who started it, never the info.
    expect(app.status?.history?.at(-1)).toMatchObject({
      initiatedBy: { username: 'proj:tenant-acme:backstage' },
    });
    expect(app.status?.history?.at(-1)).not.toHaveProperty('info');
  });

  it('uses the app’s own sync options when the request has none, and replaces them when it has', async () => {
    const { fake, tokens } = seededFake();
    await call(fake, 'POST', '/api/v1/applications/acme-web-prod/sync', {
      token: tokens.acme,
      body: {},
    });
    expect(fake.getApplication('acme-web-prod')?.operation?.sync).toMatchObject(
      { syncOptions: ['CreateNamespace=true'] },
    );
    await finished(fake, 'acme-web-prod');
    await call(fake, 'POST', '/api/v1/applications/acme-web-prod/sync', {
      token: tokens.acme,
      body: { syncOptions: { items: ['ServerSideApply=true'] } },
    });
    expect(
      fake.getApplication('acme-web-prod')?.operation?.sync?.syncOptions,
    ).toEqual(['ServerSideApply=true']);
  });

  it('applies only OutOfSync resources with ApplyOutOfSyncOnly, and prunes when asked', async () => {
    const { fake, tokens } = withMixedApp();
    await call(fake, 'POST', '/api/v1/applications/acme-mixed/sync', {
      token: tokens.acme,
      body: {
        prune: true,
        syncOptions: { items: ['ApplyOutOfSyncOnly=true'] },
      },
    });
    const app = await finished(fake, 'acme-mixed');
    expect(resultsOf(app)).toEqual([
      'Deployment/web Synced: deployment/web configured',
      'ConfigMap/old Pruned: pruned',
    ]);
    expect(app.status?.resources?.map(r => `${r.kind}/${r.name}`)).toEqual([
      'Service/web',
      'Deployment/web',
    ]);
    expect(app.status?.sync?.status).toBe('Synced');
  });

  it('skips pruning without prune and leaves the app OutOfSync', async () => {
    const { fake, tokens } = withMixedApp();
    await call(fake, 'POST', '/api/v1/applications/acme-mixed/sync', {
      token: tokens.acme,
      body: {},
    });
    const app = await finished(fake, 'acme-mixed');
    expect(resultsOf(app)).toEqual([
      'Service/web Synced: service/web configured',
      'Deployment/web Synced: deployment/web configured',
      'ConfigMap/old PruneSkipped: ignored (requires pruning)',
    ]);
    expect(app.status?.sync?.status).toBe('OutOfSync');
  });

  it('changes nothing on a dry run and says so in every result', async () => {
    const { fake, tokens } = withMixedApp();
    const before = fake.getApplication('acme-mixed')!;
    await call(fake, 'POST', '/api/v1/applications/acme-mixed/sync', {
      token: tokens.acme,
      body: { dryRun: true, prune: true },
    });
    const app = await finished(fake, 'acme-mixed');
    expect(resultsOf(app)).toEqual([
      'Service/web Synced: service/web configured (dry run)',
      'Deployment/web Synced: deployment/web configured (dry run)',
      'ConfigMap/old Pruned: pruned (dry run)',
    ]);
    expect(app.status?.resources).toEqual(before.status?.resources);
    expect(app.status?.sync).toEqual(before.status?.sync);
    expect(app.status?.history).toEqual(before.status?.history);
  });

  it('syncs only the named resources and keeps a selective sync out of the history', async () => {
    const { fake, tokens } = withMixedApp();
    const before = fake.getApplication('acme-mixed')!;
    await call(fake, 'POST', '/api/v1/applications/acme-mixed/sync', {
      token: tokens.acme,
      body: {
        resources: [{ group: 'apps', kind: 'Deployment', name: 'web' }],
      },
    });
    const app = await finished(fake, 'acme-mixed');
    expect(resultsOf(app)).toEqual([
      'Deployment/web Synced: deployment/web configured',
    ]);
    expect(app.status?.history).toEqual(before.status?.history);
    // The orphan still needs pruning.
    expect(app.status?.sync?.status).toBe('OutOfSync');
  });

  it('rolls back as a sync with the app’s options and the apply strategy', async () => {
    const { fake, tokens } = seededFake();
    const res = await call(
      fake,
      'POST',
      '/api/v1/applications/acme-web-prod/rollback',
      { token: tokens.acme, body: { id: 0, prune: true } },
    );
    expect(res.status).toBe(200);
    expect(swagger.validate('v1alpha1Application', res.json)).toEqual([]);
    expect(res.json.operation).toMatchObject({
      sync: {
        prune: true,
        syncOptions: ['CreateNamespace=true'],
        syncStrategy: { apply: {} },
      },
      initiatedBy: { username: 'proj:tenant-acme:backstage' },
    });
    expect(res.json.operation.info).toBeUndefined();
  });
});
