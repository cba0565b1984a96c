import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  actionContext,
  argoCdWorld,
  tenantResolver,
} from '../__testUtils__/testWorld';
import { createArgocdApplicationCreateAction } from '../actions/argocdApplicationCreate';
import { KubernetesApplicationStore } from './KubernetesApplicationStore';

const K8S = 'https://management.k8s.test';
const BASE = `${K8S}/apis/argoproj.io/v1alpha1/namespaces/argocd/applications`;
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function status(code: number, reason: string, message: string) {
  return HttpResponse.json(
    {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      message,
      reason,
      code,
    },
    { status: code },
  );
}

/** The Kubernetes API's answers for Application resources, over a map. */
function kubernetesApi() {
  const objects = new Map<string, any>();
  const auth: string[] = [];
  server.use(
    http.get(`${BASE}/:name`, ({ params, request }) => {
      auth.push(request.headers.get('authorization') ?? '');
      const obj = objects.get(String(params.name));
      return obj
        ? HttpResponse.json(obj)
        : status(
            404,
            'NotFound',
            `applications.argoproj.io "${params.name}" not found`,
          );
    }),
    http.post(BASE, async ({ request }) => {
      const body = (await request.json()) as any;
      if (objects.has(body.metadata.name)) {
        return status(
          409,
          'AlreadyExists',
          `applications.argoproj.io "${body.metadata.name}" already exists`,
        );
      }
      const stored = {
        ...body,
        metadata: { ...body.metadata, resourceVersion: '1' },
      };
      objects.set(body.metadata.name, stored);
      return HttpResponse.json(stored, { status: 201 });
    }),
    http.delete(`${BASE}/:name`, ({ params }) => {
      if (!objects.delete(String(params.name))) {
        return status(
          404,
          'NotFound',
          `applications.argoproj.io "${params.name}" not found`,
        );
      }
      return HttpResponse.json({ kind: 'Status', status: 'Success' });
    }),
  );
  return { objects, auth };
}

describe('KubernetesApplicationStore', () => {
  const store = () =>
    new KubernetesApplicationStore({ url: K8S, token: 'k8s-secret-token' });
  const scope = { project: 'tenant-acme', tenant: 'acme' };
  const app = {
    metadata: { name: 'web-dev' },
    spec: {
      project: 'tenant-acme',
      destination: { name: 'acme-dev', namespace: 'web' },
    },
  };

  it('creates (201), reads back, refuses a duplicate with the API message (409), deletes', async () => {
    const api = kubernetesApi();
    expect(await store().get('web-dev', scope)).toBeUndefined();
    await store().put(app, { ...scope, upsert: false });
    expect(api.objects.get('web-dev')).toMatchObject({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'web-dev', namespace: 'argocd' },
    });
    expect((await store().get('web-dev', scope))?.spec.project).toBe(
      'tenant-acme',
    );
    await expect(
      store().put(app, { ...scope, upsert: false }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message:
        'Kubernetes API: applications.argoproj.io "web-dev" already exists',
    });
    await store().delete('web-dev', scope);
    expect(api.objects.size).toBe(0);
    await store().delete('web-dev', scope); // 404 on delete is already done
    expect(api.auth.every(a => a === 'Bearer k8s-secret-token')).toBe(true);
  });

  it("treats an Application of another project as someone else's", async () => {
    const api = kubernetesApi();
    api.objects.set('web-dev', {
      ...app,
      spec: { ...app.spec, project: 'tenant-globex' },
    });
    await expect(store().get('web-dev', scope)).rejects.toThrow(
      /already exists outside project tenant-acme/,
    );
  });

  it('serves kupe:argocd-application:create, with Argo CD only read for pre-flight', async () => {
    const api = kubernetesApi();
    const world = argoCdWorld(server);
    const action = createArgocdApplicationCreateAction({
      argoCd: world.argoCd,
      tenants: tenantResolver(),
      store: () => store(),
    });
    const input = {
      tenant: 'acme',
      name: 'web',
      entityNamespace: 'default',
      repoUrl: 'https://git.example.com/acme/gitops.git',
      targetRevision: 'main',
      manifestType: 'kustomize' as const,
      environments: [
        { name: 'dev', cluster: 'dev', syncPolicy: 'auto' as const },
      ],
      upsert: false,
    };
    await action.handler(actionContext(input).ctx as any);
    await action.handler(actionContext(input).ctx as any);
    expect([...api.objects.keys()]).toEqual(['web-dev']);
    expect(api.objects.get('web-dev').metadata.labels).toMatchObject({
      'backstage.io/kubernetes-id': 'web',
    });
    expect(world.fake.requests.filter(r => r.method !== 'GET')).toEqual([]);
  });
});
