import { InputError, NotAllowedError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { DefaultArgoCdClient } from './DefaultArgoCdClient';

const BASE = 'https://argocd.example.com';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2VjcmV0LW1haW4';
const ROLLOUT = {
  group: 'argoproj.io',
  version: 'v1alpha1',
  kind: 'Rollout',
  namespace: 'web',
  name: 'web',
};

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

describe('resource calls of DefaultArgoCdClient', () => {
  it('reads a live manifest with the resource in the query and the app scope', async () => {
    server.use(
      http.get(`${BASE}/api/v1/applications/web-dev/resource`, () =>
        HttpResponse.json({ manifest: '{"kind":"Rollout"}' }),
      ),
    );
    const answer = await client().getResource('web-dev', ROLLOUT, {
      project: 'tenant-a',
      appNamespace: 'argocd',
    });
    expect(answer).toEqual({ manifest: '{"kind":"Rollout"}' });
    const url = new URL(seen[0].url);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      project: 'tenant-a',
      appNamespace: 'argocd',
      namespace: 'web',
      resourceName: 'web',
      version: 'v1alpha1',
      group: 'argoproj.io',
      kind: 'Rollout',
    });
  });

  it('lists actions and runs one through v2 with the resource and scope in the body', async () => {
    server.use(
      http.get(`${BASE}/api/v1/applications/web-dev/resource/actions`, () =>
        HttpResponse.json({ actions: [{ name: 'resume', disabled: false }] }),
      ),
      http.post(`${BASE}/api/v1/applications/web-dev/resource/actions/v2`, () =>
        HttpResponse.json({}),
      ),
    );
    expect(await client().listResourceActions('web-dev', ROLLOUT)).toEqual({
      actions: [{ name: 'resume', disabled: false }],
    });
    await client().runResourceAction('web-dev', ROLLOUT, 'promote-full', {
      project: 'tenant-a',
    });
    const post = seen[1];
    expect(post.headers.get('content-type')).toBe('application/json');
    expect(await post.json()).toEqual({
      name: 'web-dev',
      namespace: 'web',
      resourceName: 'web',
      version: 'v1alpha1',
      group: 'argoproj.io',
      kind: 'Rollout',
      action: 'promote-full',
      project: 'tenant-a',
    });
  });

  it('maps Argo CD refusals to Backstage errors', async () => {
    server.use(
      http.post(`${BASE}/api/v1/applications/web-dev/resource/actions/v2`, () =>
        HttpResponse.json(
          { error: 'permission denied', code: 7, message: 'permission denied' },
          { status: 403 },
        ),
      ),
    );
    await expect(
      client().runResourceAction('web-dev', ROLLOUT, 'abort'),
    ).rejects.toBeInstanceOf(NotAllowedError);
  });

  it.each([
    ['a name with a slash', { ...ROLLOUT, name: 'web/../x' }, 'resume'],
    ['a lowercase kind', { ...ROLLOUT, kind: 'rollout' }, 'resume'],
    ['a bad group', { ...ROLLOUT, group: 'Argo_proj' }, 'resume'],
    ['a bad version', { ...ROLLOUT, version: '1' }, 'resume'],
    ['an action with a slash', ROLLOUT, 'resume/../x'],
  ])('refuses %s before any request', async (_, ref, action) => {
    await expect(
      client().runResourceAction('web-dev', ref, action),
    ).rejects.toBeInstanceOf(InputError);
    expect(seen).toHaveLength(0);
  });
});
