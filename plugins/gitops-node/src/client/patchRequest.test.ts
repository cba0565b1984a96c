import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  autoSyncPausePatch,
  autoSyncResumePatch,
} from '../automation/autoSyncPause';
import { DefaultArgoCdClient } from './DefaultArgoCdClient';

const BASE = 'https://argocd.example.com';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2VjcmV0LW1haW4';

const server = setupServer();
const seen: Request[] = [];
server.events.on('request:start', ({ request }) => {
  seen.push(request.clone());
});
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  seen.length = 0;
});
afterAll(() => server.close());

const client = () =>
  new DefaultArgoCdClient({ name: 'main', url: BASE, token: TOKEN });

describe('DefaultArgoCdClient.patchApplication', () => {
  it("sends a merge patch as Argo CD's ApplicationPatchRequest, scoped to the project", async () => {
    server.use(
      http.patch(`${BASE}/api/v1/applications/:name`, () =>
        HttpResponse.json({
          metadata: { name: 'web' },
          spec: { syncPolicy: { automated: { enabled: false } } },
        }),
      ),
    );
    const app = await client().patchApplication(
      'web',
      autoSyncPausePatch({
        by: 'user:default/alice',
        at: '2026-12-04T10:00:00Z',
        reason: 'INC-42',
      }),
      { project: 'tenant-a', appNamespace: 'argocd' },
    );
    expect(app.spec.syncPolicy?.automated?.enabled).toBe(false);
    expect(seen).toHaveLength(1);
    expect(seen[0].method).toBe('PATCH');
    expect(new URL(seen[0].url).pathname).toBe('/api/v1/applications/web');
    expect(seen[0].headers.get('content-type')).toBe('application/json');
    const body = await seen[0].json();
    expect(body).toEqual({
      name: 'web',
      project: 'tenant-a',
      appNamespace: 'argocd',
      patchType: 'merge',
      patch: expect.any(String),
    });
    expect(JSON.parse(body.patch)).toEqual({
      metadata: {
        annotations: {
          'kupe.cloud/auto-sync-paused-by': 'user:default/alice',
          'kupe.cloud/auto-sync-paused-at': '2026-12-04T10:00:00Z',
          'kupe.cloud/auto-sync-paused-reason': 'INC-42',
          'kupe.cloud/auto-sync-pause-reminded-at': null,
        },
      },
      spec: { syncPolicy: { automated: { enabled: false } } },
    });
  });

  it('maps Argo CD refusals to Backstage errors', async () => {
    server.use(
      http.patch(`${BASE}/api/v1/applications/other`, () =>
        HttpResponse.json(
          {
            error: 'applications.argoproj.io "other" not found',
            code: 5,
            message: 'applications.argoproj.io "other" not found',
          },
          { status: 404 },
        ),
      ),
      http.patch(`${BASE}/api/v1/applications/web`, () =>
        HttpResponse.json(
          {
            error: 'permission denied: applications, update, tenant-a/web',
            code: 7,
            message: 'permission denied: applications, update, tenant-a/web',
          },
          { status: 403 },
        ),
      ),
    );
    await expect(
      client().patchApplication('other', autoSyncResumePatch(), {
        project: 'tenant-a',
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      client().patchApplication('web', autoSyncResumePatch(), {
        project: 'tenant-a',
      }),
    ).rejects.toBeInstanceOf(NotAllowedError);
  });

  it('refuses a bad name, scope or patch without sending anything', async () => {
    const c = client();
    for (const call of [
      () => c.patchApplication('../web', autoSyncResumePatch()),
      () =>
        c.patchApplication('web', autoSyncResumePatch(), {
          project: 'tenant/a',
        }),
      () => c.patchApplication('web', [] as never),
    ]) {
      await expect(Promise.resolve().then(call)).rejects.toBeInstanceOf(
        InputError,
      );
    }
    expect(seen).toHaveLength(0);
  });
});
