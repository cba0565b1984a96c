import { setupServer } from 'msw/node';
import { buildApplication } from '@kupe/plugin-gitops-node-test-utils';
import { TARGETS, targetWorld } from '../__testUtils__/targetWorld';
import {
  Checkpoints,
  USERS,
  actionContext,
  tenantResolver,
} from '../__testUtils__/testWorld';
import { createArgoCdApplicationCreateAction } from './argocdApplicationCreate';

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

describe.each(TARGETS)(
  'kupe:argocd-application:create (applicationTarget: %s)',
  targetName => {
    function setup() {
      const world = targetWorld(server, targetName);
      const action = createArgoCdApplicationCreateAction({
        argoCd: world.argoCd,
        tenants: tenantResolver(),
        target: world.target,
      });
      return { world, action };
    }
    const run = (action: ReturnType<typeof setup>['action'], ctx: unknown) =>
      action.handler(ctx as any);

    it('creates one labelled Application per environment in the tenant project', async () => {
      const { action, world: w } = setup();
      const { ctx, outputs } = actionContext(input());
      await run(action, ctx);

      expect(outputs).toEqual({
        applications: ['web-dev', 'web-production'],
        argoCdUrls: [
          'https://argocd.example.com/applications/argocd/web-dev',
          'https://argocd.example.com/applications/argocd/web-production',
        ],
        entityGitOpsUrl: '/catalog/default/component/web/gitops',
      });
      const dev = w.getApplication('web-dev')!;
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
      expect(w.getApplication('web-production')!.spec.syncPolicy).toEqual({
        syncOptions: ['CreateNamespace=true'],
      });
      // The Kubernetes target reads and writes only through the management cluster.
      expect(w.argoCdRequests().length === 0).toBe(targetName === 'kubernetes');
    });

    it('points Helm Applications at the chart with the environment value file', async () => {
      const { action, world: w } = setup();
      const { ctx } = actionContext(
        input({
          manifestType: 'helm',
          environments: [{ name: 'dev', cluster: 'dev', syncPolicy: 'auto' }],
        }),
      );
      await run(action, ctx);
      expect(w.getApplication('web-dev')!.spec.source).toEqual({
        repoURL: 'https://git.example.com/acme/gitops.git',
        path: 'apps/web/chart',
        targetRevision: 'main',
        helm: { valueFiles: ['values-dev.yaml'] },
      });
    });

    it('is idempotent: a re-run writes nothing and returns the same outputs', async () => {
      const { action, world: w } = setup();
      const first = actionContext(input());
      await run(action, first.ctx);
      w.clearRequests();
      const second = actionContext(input());
      await run(action, second.ctx);
      expect(second.outputs).toEqual(first.outputs);
      expect(w.writes()).toEqual([]);
      expect(w.getApplication('web-dev')).toBeDefined();
      expect(w.getApplication('web-production')).toBeDefined();
    });

    it('refuses a different existing spec unless upsert, then replaces it', async () => {
      const { action, world: w } = setup();
      await run(action, actionContext(input()).ctx);
      w.clearRequests();
      const changed = input({ targetRevision: 'v2' });
      await expect(
        run(action, actionContext(changed).ctx),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining(
          'Application web-dev already exists in project tenant-acme (component web, environment dev, cluster dev, namespace web, source https://git.example.com/acme/gitops.git apps/web/overlays/dev@main) and differs from what this run would create. Nothing was written. Choose another name, or set upsert: true to replace it',
        ),
      });
      expect(w.writes()).toEqual([]);

      await run(action, actionContext({ ...changed, upsert: true }).ctx);
      expect(w.getApplication('web-dev')!.spec.source?.targetRevision).toBe(
        'v2',
      );
    });

    it('refuses a user of acme creating Applications in globex, asking nothing', async () => {
      const { action, world: w } = setup();
      w.clearRequests();
      const { ctx } = actionContext(
        input({
          tenant: 'globex',
          repoUrl: 'https://git.example.com/globex/gitops.git',
        }),
        { user: USERS.alice },
      );
      await expect(run(action, ctx)).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining('tenant "globex"'),
      });
      expect(w.requestCount()).toBe(0);
    });

    it('refuses a user without any tenant, and lets a platform admin through', async () => {
      const { action, world: w } = setup();
      await expect(
        run(action, actionContext(input(), { user: USERS.nobody }).ctx),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
      expect(w.writes()).toEqual([]);
      await run(action, actionContext(input(), { user: USERS.root }).ctx);
      expect(w.getApplication('web-dev')).toBeDefined();
    });

    it("never touches another tenant's Application of the same name", async () => {
      const { action, world: w } = setup();
      const theirs = buildApplication({
        name: 'web-dev',
        tenant: 'globex',
        component: 'web',
      });
      w.putApplication(theirs);
      w.clearRequests();
      await expect(
        run(action, actionContext(input({ upsert: true })).ctx),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message:
          "Application web-dev (environment dev) already exists in another tenant's project; Argo CD Application names are unique across tenants. Nothing was written. Choose another name",
      });
      expect(w.writes()).toEqual([]);
      expect(w.getApplication('web-dev')!.spec).toEqual(theirs.spec);
      expect(w.getApplication('web-production')).toBeUndefined();
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
        /^Cluster "qa" \(environment qa\) is not one of tenant acme's clusters; choose one of: dev, staging, production\. Nothing was written\.$/,
      ],
      ['an invalid name', { name: 'Web App' }, /Invalid name "Web App"/],
      [
        'an invalid namespace',
        { namespace: 'kube_system' },
        /Invalid namespace/,
      ],
      [
        'an invalid environment name',
        { environments: [{ name: 'Dev!', cluster: 'dev' }] },
        /Invalid environment name/,
      ],
      ['an invalid tenant', { tenant: '../globex' }, /Invalid tenant/],
      [
        'duplicate environments',
        {
          environments: [
            { name: 'dev', cluster: 'dev' },
            { name: 'dev', cluster: 'staging' },
          ],
        },
        /Environment names must be unique/,
      ],
    ])(
      'refuses %s before writing anything',
      async (_what, overrides, message) => {
        const { action, world: w } = setup();
        await expect(
          run(
            action,
            actionContext(
              input({
                ...overrides,
                environments: (
                  (overrides as any).environments ?? input().environments
                ).map((e: any) => ({ syncPolicy: 'manual', ...e })),
              }),
            ).ctx,
          ),
        ).rejects.toMatchObject({
          name: 'InputError',
          message: expect.stringMatching(message),
        });
        expect(w.writes()).toEqual([]);
      },
    );

    it("refuses a cluster registered for another tenant's project as not registered", async () => {
      const { action, world: w } = setup();
      // Named like acme's and allowed by acme's project, but scoped to globex's project.
      w.putCluster({
        name: 'acme-qa',
        server: 'https://globex-qa.vcluster.kupe.internal',
        project: 'tenant-globex',
      });
      await expect(
        run(
          action,
          actionContext(
            input({
              environments: [
                { name: 'qa', cluster: 'qa', syncPolicy: 'manual' },
              ],
            }),
          ).ctx,
        ),
      ).rejects.toThrow(
        /Cluster "qa" \(environment qa\) is not one of tenant acme's clusters; choose one of: dev, staging, production\./,
      );
      expect(w.writes()).toEqual([]);
    });

    it('refuses a destination the project does not allow', async () => {
      const { action, world: w } = setup();
      const project = w.getProject('tenant-acme')!;
      w.putProject({
        ...project,
        spec: {
          ...project.spec,
          destinations: [{ name: 'acme-*', namespace: 'team-*' }],
        },
      });
      await expect(
        run(action, actionContext(input()).ctx),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(
          'does not allow cluster acme-dev namespace web',
        ),
      });
      expect(w.writes()).toEqual([]);
    });

    it('refuses a tenant without a project', async () => {
      const { action, world: w } = setup();
      const { ctx } = actionContext(input({ tenant: 'initech' }), {
        user: USERS.root,
      });
      await expect(run(action, ctx)).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining('no Argo CD project "tenant-initech"'),
      });
      expect(w.writes()).toEqual([]);
    });

    it('deletes what it created when a later environment fails, and restores what it replaced', async () => {
      const { action, world: w } = setup();
      w.putApplication(
        buildApplication({
          name: 'web-staging',
          tenant: 'acme',
          component: 'web',
        }),
      );
      w.failCreateOf('web-production');
      const { ctx } = actionContext(
        input({
          upsert: true,
          environments: [
            { name: 'dev', cluster: 'dev', syncPolicy: 'auto' },
            { name: 'staging', cluster: 'staging', syncPolicy: 'auto' },
            {
              name: 'production',
              cluster: 'production',
              syncPolicy: 'manual',
            },
          ],
        }),
      );
      const before = w.getApplication('web-staging')!;
      await expect(run(action, ctx)).rejects.toThrow(
        /Creating Application web-production \(environment production\) failed: .*quota.*Rolled back: deleted web-dev, restored web-staging/,
      );
      // With the resources finalizer, Argo CD keeps the app until it has deleted its resources.
      const deleting = w.getApplication('web-dev');
      expect(
        deleting === undefined || !!deleting.metadata.deletionTimestamp,
      ).toBe(true);
      expect(w.getApplication('web-staging')!.spec).toEqual(before.spec);
      expect(w.getApplication('web-production')).toBeUndefined();
      expect(w.argoCdRequests().length === 0).toBe(targetName === 'kubernetes');
    });

    it("cleans up on a part-way failure; the scaffolder's retry of the task (same checkpoints) then creates every Application", async () => {
      const { action, world: w } = setup();
      w.failCreateOf('web-production', 1);
      const checkpoints = new Checkpoints();
      const first = actionContext(input(), { checkpoints });
      const error = await run(action, first.ctx).catch(e => e);
      expect(error).toMatchObject({
        name: 'ConflictError',
        message: expect.stringMatching(
          /^Creating Application web-production \(environment production\) failed: .*quota.*\. Rolled back: deleted web-dev\. Running the template again creates them$/,
        ),
      });
      expect(error.message).not.toContain('\u001b');
      expect(error.message).not.toMatch(/\n\s+at /);
      await w.finishDeletions();
      expect(w.getApplication('web-dev')).toBeUndefined();
      expect(w.getApplication('web-production')).toBeUndefined();

      // The retry reuses the task's checkpoints: a create the rollback undid must not count as done.
      const retry = actionContext(input(), { checkpoints });
      await run(action, retry.ctx);
      expect(w.getApplication('web-dev')?.spec.destination.name).toBe(
        'acme-dev',
      );
      expect(w.getApplication('web-production')?.spec.destination.name).toBe(
        'acme-production',
      );
      expect(retry.outputs).toEqual(first.outputs);
    });

    it('refuses to plan over an Application that Argo CD is still deleting', async () => {
      const { action, world: w } = setup();
      const deleting = buildApplication({
        name: 'web-dev',
        tenant: 'acme',
        component: 'web',
      });
      deleting.metadata.finalizers = ['resources-finalizer.argocd.argoproj.io'];
      deleting.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
      w.putApplication(deleting);
      w.clearRequests();
      await expect(
        run(action, actionContext(input()).ctx),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message:
          'Application web-dev is being deleted (Argo CD is removing its resources). Nothing was written. Run the template again once it is gone',
      });
      expect(w.writes()).toEqual([]);
    });

    it('validates everything in dry-run, writes nothing and returns the would-be outputs', async () => {
      const { action, world: w } = setup();
      const { ctx, outputs } = actionContext(input(), { isDryRun: true });
      await run(action, ctx);
      expect(outputs.applications).toEqual(['web-dev', 'web-production']);
      expect(w.writes()).toEqual([]);
      expect(w.getApplication('web-dev')).toBeUndefined();

      await expect(
        run(
          action,
          actionContext(input({ repoUrl: 'https://evil.example.com/x.git' }), {
            isDryRun: true,
          }).ctx,
        ),
      ).rejects.toMatchObject({ name: 'InputError' });
      expect(w.writes()).toEqual([]);
    });
  },
);
