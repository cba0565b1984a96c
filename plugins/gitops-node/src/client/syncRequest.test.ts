import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { DefaultArgoCdClient } from './DefaultArgoCdClient';
import { requestedByOf, toArgoCdSyncRequest } from './syncRequest';

const BASE = 'https://argocd.example.com';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2VjcmV0LW1haW4';

describe('toArgoCdSyncRequest', () => {
  it('asks for nothing when nothing is chosen, so Argo CD uses the app’s own options', () => {
    expect(
      JSON.parse(
        JSON.stringify(
          toArgoCdSyncRequest({ applicationSyncOptions: ['Validate=false'] }),
        ),
      ),
    ).toEqual({});
  });

  it('puts each option in Argo CD’s shape, keeping the app’s other sync options', () => {
    expect(
      toArgoCdSyncRequest({
        prune: true,
        dryRun: true,
        force: true,
        applyOutOfSyncOnly: true,
        serverSideApply: true,
        resources: [{ group: 'apps', kind: 'Deployment', name: 'web' }],
        requestedBy: 'user:default/alice',
        applicationSyncOptions: [
          'CreateNamespace=true',
          'ServerSideApply=false',
        ],
      }),
    ).toEqual({
      prune: true,
      dryRun: true,
      strategy: { hook: { force: true } },
      syncOptions: {
        items: [
          'CreateNamespace=true',
          'ApplyOutOfSyncOnly=true',
          'ServerSideApply=true',
        ],
      },
      resources: [{ group: 'apps', kind: 'Deployment', name: 'web' }],
      infos: [{ name: 'Requested by', value: 'user:default/alice' }],
    });
  });

  it('uses the apply strategy for apply-only, with or without force', () => {
    expect(toArgoCdSyncRequest({ applyOnly: true }).strategy).toEqual({
      apply: { force: false },
    });
    expect(
      toArgoCdSyncRequest({ applyOnly: true, force: true }).strategy,
    ).toEqual({ apply: { force: true } });
  });

  it('reads back who asked from an operation’s info', () => {
    expect(
      requestedByOf({
        info: [
          { name: 'Reason', value: 'INC-42' },
          { name: 'Requested by', value: 'user:default/alice' },
        ],
      }),
    ).toBe('user:default/alice');
    expect(requestedByOf({})).toBeUndefined();
    expect(requestedByOf(undefined)).toBeUndefined();
  });
});

describe('DefaultArgoCdClient.syncApplication with options', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  it('posts the options with the app’s name and scope in the body', async () => {
    let body: unknown;
    server.use(
      http.post(`${BASE}/api/v1/applications/web/sync`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({
          metadata: { name: 'web', namespace: 'argocd' },
          spec: {},
        });
      }),
    );
    const client = new DefaultArgoCdClient({
      name: 'main',
      url: BASE,
      token: TOKEN,
    });
    await client.syncApplication(
      'web',
      toArgoCdSyncRequest({
        serverSideApply: true,
        force: true,
        requestedBy: 'user:default/alice',
      }),
      { project: 'tenant-a', appNamespace: 'argocd' },
    );
    expect(body).toEqual({
      name: 'web',
      project: 'tenant-a',
      appNamespace: 'argocd',
      strategy: { hook: { force: true } },
      syncOptions: { items: ['ServerSideApply=true'] },
      infos: [{ name: 'Requested by', value: 'user:default/alice' }],
    });
  });
});
