import { setupServer } from 'msw/node';
import { buildApplication } from '@kupe/plugin-gitops-node-test-utils';
import {
  USERS,
  actionContext,
  argoCdWorld,
  tenantResolver,
} from '../__testUtils__/testWorld';
import { targetWorld } from '../__testUtils__/targetWorld';
import { createArgoCdApplicationWaitAction } from './argocdApplicationWait';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function setup(options: { degradedGraceMs?: number } = {}) {
  const world = argoCdWorld(server);
  const action = createArgoCdApplicationWaitAction({
    argoCd: world.argoCd,
    tenants: tenantResolver(),
    pollIntervalMs: 10,
    degradedGraceMs: options.degradedGraceMs ?? 50,
  });
  return { ...world, action };
}

const input = (applications: string[], timeoutSeconds = 5) => ({
  tenant: 'acme',
  applications,
  timeoutSeconds,
});

describe('kupe:argocd-application:wait', () => {
  it('waits until a freshly created auto-sync app is Synced and Healthy', async () => {
    const { action, fake, controller } = setup();
    fake.putApplication({
      metadata: { name: 'web-dev', namespace: 'argocd' },
      spec: {
        project: 'tenant-acme',
        destination: { name: 'acme-dev', namespace: 'web' },
        source: {
          repoURL: 'https://git.example.com/acme/gitops.git',
          path: 'apps/web/overlays/dev',
        },
        syncPolicy: { automated: {} },
      },
      status: { sync: { status: '' }, health: {} },
    });
    controller.applicationSpecChanged({ name: 'web-dev', namespace: 'argocd' });
    const { ctx, outputs } = actionContext(input(['web-dev']));
    await action.handler(ctx as any);
    expect(
      fake.getApplication('web-dev', 'argocd')!.status?.health?.status,
    ).toBe('Healthy');
    expect(outputs.revisions['web-dev']).toMatch(/^[0-9a-f]{40}$/);
  });

  it('fails on lasting Degraded health with the operation message and conditions', async () => {
    const { action, fake } = setup();
    const app = buildApplication({
      name: 'web-dev',
      tenant: 'acme',
      health: 'Degraded',
    });
    app.status!.conditions = [
      { type: 'SyncError', message: 'image pull backoff' },
    ];
    fake.putApplication(app);
    await expect(
      action.handler(actionContext(input(['web-dev'])).ctx as any),
    ).rejects.toThrow(
      /web-dev failed to deploy: sync Synced; health Degraded; operation Succeeded: successfully synced \(all tasks run\); SyncError: image pull backoff/,
    );
  });

  it('times out with the last state of what is still pending', async () => {
    const { action, fake } = setup();
    fake.putApplication(
      buildApplication({
        name: 'web-dev',
        tenant: 'acme',
        syncStatus: 'OutOfSync',
      }),
    );
    await expect(
      action.handler(actionContext(input(['web-dev'], 1)).ctx as any),
    ).rejects.toThrow(
      /Timed out after 1s waiting for web-dev \(sync OutOfSync; health Healthy/,
    );
  });

  it("cannot watch another tenant's app", async () => {
    const { action, fake } = setup();
    fake.putApplication(
      buildApplication({ name: 'shop-dev', tenant: 'globex' }),
    );
    await expect(
      action.handler(
        actionContext(
          { ...input(['shop-dev']), tenant: 'globex' },
          { user: USERS.alice },
        ).ctx as any,
      ),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    await expect(
      action.handler(actionContext(input(['shop-dev'])).ctx as any),
    ).rejects.toThrow(/shop-dev does not exist in project tenant-acme/);
  });
});

describe('kupe:argocd-application:wait (applicationTarget: kubernetes)', () => {
  function setupKubernetes() {
    const world = targetWorld(server, 'kubernetes');
    const action = createArgoCdApplicationWaitAction({
      argoCd: world.argoCd,
      tenants: tenantResolver(),
      target: world.target,
      pollIntervalMs: 10,
      degradedGraceMs: 50,
    });
    return { world, action };
  }

  it('reads the Application resource status from the management cluster', async () => {
    const { world, action } = setupKubernetes();
    const app = buildApplication({ name: 'web-dev', tenant: 'acme' });
    world.putApplication(app);
    const { ctx, outputs } = actionContext(input(['web-dev']));
    await action.handler(ctx as any);
    expect(outputs.revisions).toEqual({
      'web-dev': app.status!.sync!.revision,
    });
    expect(world.argoCdRequests()).toEqual([]);
  });

  it("fails on Degraded health and refuses another tenant's Application", async () => {
    const { world, action } = setupKubernetes();
    world.putApplication(
      buildApplication({
        name: 'web-dev',
        tenant: 'acme',
        health: 'Degraded',
      }),
    );
    world.putApplication(
      buildApplication({ name: 'shop-dev', tenant: 'globex' }),
    );
    await expect(
      action.handler(actionContext(input(['web-dev'])).ctx as any),
    ).rejects.toThrow(/web-dev failed to deploy: sync Synced; health Degraded/);
    await expect(
      action.handler(actionContext(input(['shop-dev'])).ctx as any),
    ).rejects.toThrow(/shop-dev does not exist in project tenant-acme/);
  });
});
