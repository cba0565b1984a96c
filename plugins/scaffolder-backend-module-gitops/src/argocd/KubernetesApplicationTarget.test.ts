import { setupServer } from 'msw/node';
import {
  KUBERNETES_TOKEN,
  KUBERNETES_URL,
  KubernetesApiDouble,
  clusterSecret,
} from '../__testUtils__/kubernetesApi';
import { KubernetesApplicationTarget } from './KubernetesApplicationTarget';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function setup(token = KUBERNETES_TOKEN) {
  const api = KubernetesApiDouble.seeded();
  server.use(...api.handlers());
  const target = new KubernetesApplicationTarget({
    url: KUBERNETES_URL,
    token,
  });
  return { api, target };
}

const scope = { project: 'tenant-acme', tenant: 'acme' };
const app = {
  metadata: { name: 'web-dev' },
  spec: {
    project: 'tenant-acme',
    destination: { name: 'acme-dev', namespace: 'web' },
  },
};

describe('KubernetesApplicationTarget', () => {
  it('reads the AppProject from Argo CD’s namespace; a missing one is undefined', async () => {
    const { target } = setup();
    expect(target.location).toBe('the management cluster (namespace argocd)');
    const project = await target.getProject('tenant-acme', 'acme');
    expect(project?.spec.destinations).toEqual([
      { name: 'acme-*', namespace: '*' },
    ]);
    expect(
      await target.getProject('tenant-initech', 'initech'),
    ).toBeUndefined();
  });

  it('lists the clusters registered as Secrets: name and server only, never the config; other projects’ clusters left out', async () => {
    const { api, target } = setup();
    api.putSecret(
      clusterSecret({ name: 'shared-tools', server: 'https://tools.example' }),
    );
    const clusters = await target.listClusters(scope);
    expect(clusters).toEqual([
      { name: 'acme-dev', server: 'https://acme-dev.vcluster.kupe.internal' },
      {
        name: 'acme-staging',
        server: 'https://acme-staging.vcluster.kupe.internal',
      },
      {
        name: 'acme-production',
        server: 'https://acme-production.vcluster.kupe.internal',
      },
      { name: 'shared-tools', server: 'https://tools.example' },
    ]);
    expect(JSON.stringify(clusters)).not.toContain('cluster-credential');
    expect(api.requests).toEqual([
      { method: 'GET', path: '/api/v1/namespaces/argocd/secrets' },
    ]);
  });

  it('creates (201), reads back, refuses a duplicate with the API message (409), deletes', async () => {
    const { api, target } = setup();
    expect(await target.get('web-dev', scope)).toBeUndefined();
    await target.put(app, { ...scope, upsert: false });
    expect(api.getApplication('web-dev')).toMatchObject({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'web-dev', namespace: 'argocd' },
    });
    expect((await target.get('web-dev', scope))?.spec.project).toBe(
      'tenant-acme',
    );
    await expect(
      target.put(app, { ...scope, upsert: false }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message:
        'Kubernetes API: applications.argoproj.io "web-dev" already exists',
    });
    await target.delete('web-dev', scope);
    expect(api.listApplications()).toEqual([]);
    await target.delete('web-dev', scope); // 404 on delete is already done
  });

  it('replaces on upsert with the current resourceVersion', async () => {
    const { api, target } = setup();
    await target.put(app, { ...scope, upsert: false });
    const changed = {
      ...app,
      spec: { ...app.spec, destination: { name: 'acme-dev', namespace: 'x' } },
    };
    await target.put(changed, { ...scope, upsert: true });
    expect(api.getApplication('web-dev')?.spec.destination.namespace).toBe('x');
  });

  it("treats an Application of another project as someone else's", async () => {
    const { api, target } = setup();
    api.putApplication({
      ...app,
      spec: { ...app.spec, project: 'tenant-globex' },
    });
    expect(await target.get('web-dev', scope)).toBeUndefined();
    await expect(
      target.put(app, { ...scope, upsert: true }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message:
        'Kubernetes API: applications.argoproj.io "web-dev" already exists',
    });
    expect(api.getApplication('web-dev')?.spec.project).toBe('tenant-globex');
  });

  it('turns 403 and 401 into NotAllowedError with the API server’s message, never the token', async () => {
    const { api, target } = setup();
    api.forbidden.add('list secrets');
    await expect(target.listClusters(scope)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'cannot list resource "secrets" in API group "" in the namespace "argocd"',
      ),
    });
    const wrong = setup('not-the-token').target;
    const error = await wrong.getProject('tenant-acme', 'acme').catch(e => e);
    expect(error).toMatchObject({
      name: 'NotAllowedError',
      message:
        'Kubernetes API: Unauthorized; check the token of gitops.scaffolder.kubernetes',
    });
    expect(String(error.stack)).not.toContain(KUBERNETES_TOKEN);
  });
});
