import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { buildApplication } from '@kupe/plugin-gitops-node/testUtils';
import {
  ARGOCD_URL,
  USERS,
  actionContext,
  argoCdWorld,
  tenantResolver,
} from '../__testUtils__/testWorld';
import { createArgocdApplicationCreateAction } from './argocdApplicationCreate';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function input(overrides: Record<string, unknown> = {}) {
  return {
    tenant: 'acme',
    name: 'web',
    entityNamespace: 'default',
    repoUrl: 'https://git.example.com/acme/gitops.git',
    targetRevision: 'main',
    manifestType: 'kustomize' as const,
    environments: [
      { name: 'dev', cluster: 'dev', syncPolicy: 'auto-prune' as const },
      {
        name: 'production',
        cluster: 'production',
        syncPolicy: 'manual' as const,
      },
    ],
    upsert: false,
    ...overrides,
  };
}

function setup() {
  const world = argoCdWorld(server);
  const action = createArgocdApplicationCreateAction({
    argoCd: world.argoCd,
    tenants: tenantResolver(),
  });
  const writes = () =>
    world.fake.requests
      .filter(r => r.method !== 'GET')
      .map(r => `${r.method} ${r.path}`);
  return { ...world, action, writes };
}

describe('kupe:argocd-application:create', () => {
  it('creates one labelled Application per environment in the tenant project', async () => {
    const { action, fake } = setup();
    const { ctx, outputs } = actionContext(input());
    await action.handler(ctx as any);

    expect(outputs).toEqual({
      applications: ['web-dev', 'web-production'],
      argoCdUrls: [
        'https://argocd.example.com/applications/argocd/web-dev',
        'https://argocd.example.com/applications/argocd/web-production',
      ],
      entityGitOpsUrl: '/catalog/default/component/web/gitops',
    });
    const dev = fake.getApplication('web-dev', 'argocd')!;
    expect(dev.metadata.labels).toEqual({
      'kupe.cloud/tenant': 'acme',
      'kupe.cloud/environment': 'dev',
      'backstage.io/kubernetes-id': 'web',
    });
    expect(dev.metadata.finalizers).toEqual([
      'resources-finalizer.argocd.argoproj.io',
    ]);
    expect(dev.spec).toEqual({
      project: 'tenant-acme',
      destination: { name: 'acme-dev', namespace: 'web' },
      source: {
        repoURL: 'https://git.example.com/acme/gitops.git',
        path: 'apps/web/overlays/dev',
        targetRevision: 'main',
      },
      syncPolicy: {
        automated: { prune: true },
        syncOptions: ['CreateNamespace=true'],
      },
    });
    expect(
      fake.getApplication('web-production', 'argocd')!.spec.syncPolicy,
    ).toEqual({
      syncOptions: ['CreateNamespace=true'],
    });
  });

  it('points Helm Applications at the chart with the environment value file', async () => {
    const { action, fake } = setup();
    const { ctx } = actionContext(
      input({
        manifestType: 'helm',
        environments: [{ name: 'dev', cluster: 'dev', syncPolicy: 'auto' }],
      }),
    );
    await action.handler(ctx as any);
    expect(fake.getApplication('web-dev', 'argocd')!.spec.source).toEqual({
      repoURL: 'https://git.example.com/acme/gitops.git',
      path: 'apps/web/chart',
      targetRevision: 'main',
      helm: { valueFiles: ['values-dev.yaml'] },
    });
  });

  it('is idempotent: a re-run writes nothing and returns the same outputs', async () => {
    const { action, fake, writes } = setup();
    const first = actionContext(input());
    await action.handler(first.ctx as any);
    fake.clearRequests();
    const second = actionContext(input());
    await action.handler(second.ctx as any);
    expect(second.outputs).toEqual(first.outputs);
    expect(writes()).toEqual([]);
    expect(
      fake.listApplications().filter(a => a.metadata.name?.startsWith('web-')),
    ).toHaveLength(2);
  });

  it('refuses a different existing spec unless upsert, then replaces it', async () => {
    const { action, fake, writes } = setup();
    await action.handler(actionContext(input()).ctx as any);
    fake.clearRequests();
    const changed = input({ targetRevision: 'v2' });
    await expect(
      action.handler(actionContext(changed).ctx as any),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        'web-dev already exists with a different spec; set upsert: true',
      ),
    });
    expect(writes()).toEqual([]);

    await action.handler(
      actionContext({ ...changed, upsert: true }).ctx as any,
    );
    expect(
      fake.getApplication('web-dev', 'argocd')!.spec.source?.targetRevision,
    ).toBe('v2');
  });

  it('refuses a user of acme creating Applications in globex, asking Argo CD nothing', async () => {
    const { action, fake } = setup();
    fake.clearRequests();
    const { ctx } = actionContext(
      input({
        tenant: 'globex',
        repoUrl: 'https://git.example.com/globex/gitops.git',
      }),
      { user: USERS.alice },
    );
    await expect(action.handler(ctx as any)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('tenant "globex"'),
    });
    expect(fake.requests).toEqual([]);
  });

  it('refuses a user without any tenant, and lets a platform admin through', async () => {
    const { action, fake } = setup();
    await expect(
      action.handler(actionContext(input(), { user: USERS.nobody }).ctx as any),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    await action.handler(
      actionContext(input(), { user: USERS.root }).ctx as any,
    );
    expect(fake.getApplication('web-dev', 'argocd')).toBeDefined();
  });

  it.each([
    [
      'a repository outside sourceRepos',
      { repoUrl: 'https://git.example.com/globex/gitops.git' },
      /not allowed by AppProject tenant-acme/,
    ],
    [
      'an unregistered cluster',
      { environments: [{ name: 'qa', cluster: 'qa', syncPolicy: 'manual' }] },
      /Cluster acme-qa \(environment qa\) is not registered/,
    ],
    ['an invalid name', { name: 'Web App' }, /Invalid name "Web App"/],
    ['an invalid namespace', { namespace: 'kube_system' }, /Invalid namespace/],
  ])(
    'refuses %s before writing anything',
    async (_what, overrides, message) => {
      const { action, writes } = setup();
      await expect(
        action.handler(actionContext(input(overrides)).ctx as any),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(message),
      });
      expect(writes()).toEqual([]);
    },
  );

  it('refuses a destination the project does not allow', async () => {
    const { action, fake, writes } = setup();
    const project = fake.getProject('tenant-acme')!;
    fake.putProject({
      ...project,
      spec: {
        ...project.spec,
        destinations: [{ name: 'acme-*', namespace: 'team-*' }],
      },
    });
    await expect(
      action.handler(actionContext(input()).ctx as any),
    ).rejects.toThrow(/does not allow cluster acme-dev namespace web/);
    expect(writes()).toEqual([]);
  });

  it('refuses a tenant without a project', async () => {
    const { action, writes } = setup();
    const { ctx } = actionContext(input({ tenant: 'initech' }), {
      user: USERS.root,
    });
    await expect(action.handler(ctx as any)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('no Argo CD project "tenant-initech"'),
    });
    expect(writes()).toEqual([]);
  });

  it('deletes what it created when a later environment fails, and keeps pre-existing apps', async () => {
    const { action, fake } = setup();
    fake.putApplication(
      buildApplication({
        name: 'web-staging',
        tenant: 'acme',
        component: 'web',
      }),
    );
    server.use(
      http.post(`${ARGOCD_URL}/api/v1/applications`, async ({ request }) => {
        const body = (await request.clone().json()) as {
          metadata: { name: string };
        };
        if (body.metadata.name !== 'web-production') return undefined;
        return HttpResponse.json(
          { error: 'quota exceeded', code: 8, message: 'quota exceeded' },
          { status: 429 },
        );
      }),
    );
    const { ctx } = actionContext(
      input({
        upsert: true,
        environments: [
          { name: 'dev', cluster: 'dev', syncPolicy: 'auto' },
          { name: 'staging', cluster: 'staging', syncPolicy: 'auto' },
          { name: 'production', cluster: 'production', syncPolicy: 'manual' },
        ],
      }),
    );
    const before = fake.getApplication('web-staging', 'argocd')!;
    await expect(action.handler(ctx as any)).rejects.toThrow(
      /Creating Application web-production \(environment production\) failed: .*Rolled back: deleted web-dev, restored web-staging/,
    );
    const deleting = fake.getApplication('web-dev', 'argocd');
    expect(
      deleting === undefined || !!deleting.metadata.deletionTimestamp,
    ).toBe(true);
    expect(fake.getApplication('web-staging', 'argocd')!.spec).toEqual(
      before.spec,
    );
    expect(fake.getApplication('web-production', 'argocd')).toBeUndefined();
  });

  it('validates everything in dry-run, writes nothing and returns the would-be outputs', async () => {
    const { action, fake, writes } = setup();
    const { ctx, outputs } = actionContext(input(), { isDryRun: true });
    await action.handler(ctx as any);
    expect(outputs.applications).toEqual(['web-dev', 'web-production']);
    expect(writes()).toEqual([]);
    expect(fake.getApplication('web-dev', 'argocd')).toBeUndefined();

    await expect(
      action.handler(
        actionContext(input({ repoUrl: 'https://evil.example.com/x.git' }), {
          isDryRun: true,
        }).ctx as any,
      ),
    ).rejects.toMatchObject({ name: 'InputError' });
  });
});
