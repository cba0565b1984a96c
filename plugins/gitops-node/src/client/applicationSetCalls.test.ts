import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { ApplicationSet } from '../argocd/types';
import { DefaultArgoCdClient } from './DefaultArgoCdClient';

const BASE = 'https://argocd.example.com';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2VjcmV0LW1haW4';
const TENANT_TOKEN =
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwcm9qOnRlbmFudC1hOmNpIn0.c2VjcmV0LWE';

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
  new DefaultArgoCdClient({
    name: 'main',
    url: BASE,
    token: TOKEN,
    projectTokens: { a: TENANT_TOKEN },
  });

const previews: ApplicationSet = {
  metadata: { name: 'previews', namespace: 'argocd' },
  spec: {
    generators: [
      {
        git: {
          repoURL: 'https://git.example.com/a/gitops.git',
          directories: [{ path: 'previews/*' }],
        },
      },
    ],
    template: {
      metadata: { name: 'preview-{{path.basename}}' },
      spec: {
        project: 'tenant-a',
        destination: { name: 'a-dev', namespace: '{{path.basename}}' },
      },
    },
  },
};

describe('ApplicationSet calls', () => {
  it('lists sets with the projects filter, as the tenant', async () => {
    server.use(
      http.get(`${BASE}/api/v1/applicationsets`, () =>
        HttpResponse.json({ metadata: {}, items: [previews] }),
      ),
    );
    const list = await client().listApplicationSets({
      projects: ['tenant-a', 'tenant-b'],
      tenant: 'a',
    });
    expect(list.items?.map(s => s.metadata.name)).toEqual(['previews']);
    const url = new URL(seen[0].url);
    expect(url.searchParams.getAll('projects')).toEqual([
      'tenant-a',
      'tenant-b',
    ]);
    expect(seen[0].headers.get('authorization')).toBe(`Bearer ${TENANT_TOKEN}`);
  });

  it('gets one set by its encoded name and maps 404 and 403', async () => {
    server.use(
      http.get(`${BASE}/api/v1/applicationsets/previews`, () =>
        HttpResponse.json(previews),
      ),
      http.get(`${BASE}/api/v1/applicationsets/gone`, () =>
        HttpResponse.json(
          {
            code: 5,
            message:
              'error getting ApplicationSet: applicationset.argoproj.io "gone" not found',
          },
          { status: 404 },
        ),
      ),
      http.get(`${BASE}/api/v1/applicationsets/other`, () =>
        HttpResponse.json(
          { code: 7, message: 'permission denied' },
          { status: 403 },
        ),
      ),
    );
    await expect(
      client().getApplicationSet('previews', { appsetNamespace: 'argocd' }),
    ).resolves.toMatchObject({ metadata: { name: 'previews' } });
    expect(new URL(seen[0].url).searchParams.get('appsetNamespace')).toBe(
      'argocd',
    );
    await expect(client().getApplicationSet('gone')).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(client().getApplicationSet('other')).rejects.toBeInstanceOf(
      NotAllowedError,
    );
  });

  it('refuses names and filters that could leave the path, sending nothing', async () => {
    await expect(
      client().getApplicationSet('../applications/x'),
    ).rejects.toBeInstanceOf(InputError);
    await expect(
      client().listApplicationSets({ projects: ['a/b'] }),
    ).rejects.toBeInstanceOf(InputError);
    await expect(
      client().listApplicationSets({ selector: 'a in (' }),
    ).rejects.toBeInstanceOf(InputError);
    expect(seen).toHaveLength(0);
  });
});
