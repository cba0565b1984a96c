import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { delay, http, HttpResponse, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import type { Application, ApplicationWatchEvent } from '../argocd/types';
import type { ArgoCdInstanceConfig } from './ArgoCdClient';
import { DefaultArgoCdClient } from './DefaultArgoCdClient';

const BASE = 'https://argocd.example.com';
// Argo CD only reads a Bearer value with three dot-separated parts.
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2VjcmV0LW1haW4';
const TENANT_TOKEN =
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwcm9qOnRlbmFudC1hOmNpIn0.c2VjcmV0LWE';
const SESSION_1 = 'eyJhbGciOiJIUzI1NiJ9.eyJqdGkiOiIxIn0.c2Vzc2lvbi0x';
const SESSION_2 = 'eyJhbGciOiJIUzI1NiJ9.eyJqdGkiOiIyIn0.c2Vzc2lvbi0y';

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

function client(overrides: Partial<ArgoCdInstanceConfig> = {}) {
  return new DefaultArgoCdClient({
    name: 'main',
    url: BASE,
    token: TOKEN,
    ...overrides,
  });
}

function argoError(status: number, code: number, message: string) {
  return HttpResponse.json({ error: message, code, message }, { status });
}

const app: Application = {
  metadata: { name: 'web', namespace: 'argocd' },
  spec: {
    project: 'tenant-a',
    source: {
      repoURL: 'https://git.example.com/a/web.git',
      path: 'deploy',
      targetRevision: 'HEAD',
    },
    destination: { name: 'a-dev', namespace: 'web' },
  },
} as Application;

describe('DefaultArgoCdClient', () => {
  describe('authentication', () => {
    it('sends the configured token as a Bearer header', async () => {
      server.use(
        http.get(`${BASE}/api/v1/applications/web`, ({ request }) =>
          request.headers.get('authorization') === `Bearer ${TOKEN}`
            ? HttpResponse.json(app)
            : argoError(401, 16, 'no session information'),
        ),
      );
      await expect(client().getApplication('web')).resolves.toMatchObject({
        metadata: { name: 'web' },
      });
    });

    it('logs in once, reuses the session and logs in again exactly once after a 401', async () => {
      const sessions = [SESSION_1, SESSION_2];
      let logins = 0;
      let valid = SESSION_1;
      server.use(
        http.post(`${BASE}/api/v1/session`, async ({ request }) => {
          expect(request.headers.get('content-type')).toBe('application/json');
          expect(await request.json()).toEqual({
            username: 'admin',
            password: 'pw-secret',
          });
          return HttpResponse.json({ token: sessions[logins++] });
        }),
        http.get(`${BASE}/api/v1/applications/web`, ({ request }) =>
          request.headers.get('authorization') === `Bearer ${valid}`
            ? HttpResponse.json(app)
            : argoError(401, 16, 'invalid session: token has expired'),
        ),
      );
      const c = client({
        token: undefined,
        username: 'admin',
        password: 'pw-secret',
      });

      await Promise.all([c.getApplication('web'), c.getApplication('web')]);
      await c.getApplication('web');
      expect(logins).toBe(1);

      valid = SESSION_2;
      await expect(c.getApplication('web')).resolves.toMatchObject({
        metadata: { name: 'web' },
      });
      expect(logins).toBe(2);
      const appCalls = seen.filter(r => r.url.endsWith('/applications/web'));
      expect(appCalls.map(r => r.headers.get('authorization'))).toEqual([
        `Bearer ${SESSION_1}`,
        `Bearer ${SESSION_1}`,
        `Bearer ${SESSION_1}`,
        `Bearer ${SESSION_1}`,
        `Bearer ${SESSION_2}`,
      ]);
    });

    it('gives up after one re-login when Argo CD keeps answering 401', async () => {
      let logins = 0;
      server.use(
        http.post(`${BASE}/api/v1/session`, () =>
          HttpResponse.json({
            token: [SESSION_1, SESSION_2, SESSION_1][logins++],
          }),
        ),
        http.get(`${BASE}/api/v1/applications/web`, () =>
          argoError(401, 16, 'invalid session: account admin is disabled'),
        ),
      );
      const c = client({
        token: undefined,
        username: 'admin',
        password: 'pw-secret',
      });
      const error = await c.getApplication('web').catch(e => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error.message).toBe(
        'Argo CD main: invalid session: account admin is disabled',
      );
      expect(logins).toBe(2);
      expect(seen).toHaveLength(4);
    });

    it('does not retry a static token rejected with 401', async () => {
      server.use(
        http.get(`${BASE}/api/v1/applications/web`, () =>
          argoError(401, 16, 'no session information'),
        ),
      );
      await expect(client().getApplication('web')).rejects.toBeInstanceOf(
        AuthenticationError,
      );
      expect(seen).toHaveLength(1);
    });

    it('reports wrong credentials without the password', async () => {
      server.use(
        http.post(`${BASE}/api/v1/session`, () =>
          argoError(401, 16, 'Invalid username or password'),
        ),
      );
      const c = client({
        token: undefined,
        username: 'admin',
        password: 'pw-secret',
      });
      const error = await c.getApplication('web').catch(e => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error.message).toContain('Invalid username or password');
      expect(error.message).not.toContain('pw-secret');
    });

    it("uses the tenant's project token for tenant calls and the main token otherwise", async () => {
      server.use(
        http.get(`${BASE}/api/v1/session/userinfo`, ({ request }) =>
          HttpResponse.json({
            loggedIn: true,
            username:
              request.headers.get('authorization') === `Bearer ${TENANT_TOKEN}`
                ? 'proj:tenant-a:ci'
                : 'admin',
          }),
        ),
      );
      const c = client({ projectTokens: { a: TENANT_TOKEN } });
      await expect(c.getUserInfo({ tenant: 'a' })).resolves.toMatchObject({
        username: 'proj:tenant-a:ci',
      });
      await expect(c.getUserInfo({ tenant: 'b' })).resolves.toMatchObject({
        username: 'admin',
      });
      await expect(c.getUserInfo()).resolves.toMatchObject({
        username: 'admin',
      });
    });

    // `constructor` is a valid DNS-1123 label and is sent (with the instance token); the
    // others are refused before anything is sent. Never an inherited value as the token.
    it.each([
      ['constructor', ['sent', 'sent', 'sent', 'sent'], 4],
      [
        '__proto__',
        ['InputError', 'InputError', 'InputError', 'InputError'],
        0,
      ],
      ['toString', ['InputError', 'InputError', 'InputError', 'InputError'], 0],
      [
        'hasOwnProperty',
        ['InputError', 'InputError', 'InputError', 'InputError'],
        0,
      ],
    ])(
      'never takes a token from the object prototype for tenant %s',
      async (tenant, outcomes, requests) => {
        const authorizations: Array<string | null> = [];
        const record = ({ request }: { request: Request }) => {
          authorizations.push(request.headers.get('authorization'));
          return HttpResponse.json({ metadata: {}, items: [] });
        };
        server.use(
          http.get(`${BASE}/api/v1/session/userinfo`, record),
          http.get(`${BASE}/api/v1/clusters`, record),
          http.get(`${BASE}/api/v1/projects`, record),
          http.get(`${BASE}/api/v1/projects/tenant-a`, record),
        );
        const c = client({ projectTokens: { a: TENANT_TOKEN } });
        const seenOutcomes = [];
        for (const call of [
          () => c.getUserInfo({ tenant }),
          () => c.listClusters({ tenant }),
          () => c.listProjects({ tenant }),
          () => c.getProject('tenant-a', { tenant }),
        ]) {
          seenOutcomes.push(
            await call().then(
              () => 'sent',
              e => (e instanceof InputError ? 'InputError' : String(e)),
            ),
          );
        }
        expect(seenOutcomes).toEqual(outcomes);
        expect(authorizations).toEqual(Array(requests).fill(`Bearer ${TOKEN}`));
      },
    );

    it('refuses a tenant that is not a DNS-1123 label on every call that takes one', async () => {
      const c = client({ projectTokens: { a: TENANT_TOKEN } });
      for (const call of [
        () => c.getUserInfo({ tenant: '../a' }),
        () => c.listClusters({ tenant: 'A' }),
        () => c.listProjects({ tenant: '' }),
        () => c.getProject('tenant-a', { tenant: 'a/b' }),
      ]) {
        await expect(call()).rejects.toBeInstanceOf(InputError);
      }
      expect(seen).toHaveLength(0);
    });
  });

  describe('timeouts and network errors', () => {
    it('turns a slow answer into ServiceUnavailableError naming the instance', async () => {
      server.use(
        http.get(`${BASE}/api/v1/applications/web`, async () => {
          await delay('infinite');
          return HttpResponse.json(app);
        }),
      );
      const error = await client({ timeoutMs: 50 })
        .getApplication('web')
        .catch(e => e);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toBe('Argo CD main timed out after 50 ms');
    });

    it("gives a listing its own timeout, longer or shorter than the instance's", async () => {
      server.use(
        http.get(`${BASE}/api/v1/applications`, async () => {
          await delay(120);
          return HttpResponse.json({ metadata: {}, items: [app] });
        }),
      );
      await expect(
        client({ timeoutMs: 50 }).listApplications({ timeoutMs: 2_000 }),
      ).resolves.toMatchObject({ items: [{ metadata: { name: 'web' } }] });
      const error = await client({ timeoutMs: 2_000 })
        .listApplications({ timeoutMs: 40 })
        .catch(e => e);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toBe('Argo CD main timed out after 40 ms');
      await expect(
        client().listApplications({ timeoutMs: 0 }),
      ).rejects.toBeInstanceOf(InputError);
    });

    it('hands a listing over item by item with onItem, under the listing timeout', async () => {
      const encoder = new TextEncoder();
      const body = JSON.stringify({
        metadata: { resourceVersion: '99' },
        items: [app, { ...app, metadata: { name: 'api' } }],
      });
      server.use(
        http.get(`${BASE}/api/v1/applications`, ({ request }) => {
          const url = new URL(request.url);
          const stall = url.searchParams.get('name') === 'stall';
          const stream = new ReadableStream({
            async start(controller) {
              controller.enqueue(encoder.encode(body.slice(0, 150)));
              await delay(stall ? 'infinite' : 20);
              controller.enqueue(encoder.encode(body.slice(150)));
              controller.close();
            },
          });
          return new HttpResponse(stream, {
            headers: { 'Content-Type': 'application/json' },
          });
        }),
      );
      const names: string[] = [];
      const list = await client().listApplications({
        onItem: item => names.push(item.metadata.name!),
      });
      expect(names).toEqual(['web', 'api']);
      expect(list).toEqual({ metadata: { resourceVersion: '99' }, items: [] });

      const error = await client()
        .listApplications({ name: 'stall', timeoutMs: 60, onItem: () => {} })
        .catch(e => e);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toBe('Argo CD main timed out after 60 ms');
    });

    it('turns a refused connection into ServiceUnavailableError naming the instance', async () => {
      server.use(http.get(`${BASE}/api/version`, () => HttpResponse.error()));
      const error = await client()
        .getVersion()
        .catch(e => e);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toMatch(/^Argo CD main is unreachable: /);
      expect(error.message).not.toContain(TOKEN);
    });

    it("passes the caller's abort through", async () => {
      server.use(
        http.get(`${BASE}/api/version`, async () => {
          await delay('infinite');
          return HttpResponse.json({});
        }),
      );
      const controller = new AbortController();
      const pending = client().getVersion({ signal: controller.signal });
      setTimeout(() => controller.abort(), 10);
      await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    });
  });

  describe('error mapping', () => {
    it.each([
      [400, 9, 'another operation is already in progress', InputError],
      [401, 16, 'no session information', AuthenticationError],
      [403, 7, 'permission denied', NotAllowedError],
      [404, 5, 'applications.argoproj.io "web" not found', NotFoundError],
      [409, 10, 'the object has been modified', ConflictError],
      [500, 2, 'revision HEAD must be resolved', ServiceUnavailableError],
      [503, 14, 'connection refused', ServiceUnavailableError],
    ])(
      'maps a %i JSON error to its Backstage type',
      async (status, code, message, type) => {
        server.use(
          http.get(`${BASE}/api/v1/applications/web`, () =>
            argoError(status, code, message),
          ),
        );
        const error = await client()
          .getApplication('web', { project: 'tenant-a' })
          .catch(e => e);
        expect(error).toBeInstanceOf(type);
        expect(error.message).toBe(`Argo CD main: ${message}`);
      },
    );

    it('maps 415 text/plain to InputError', async () => {
      server.use(
        http.post(
          `${BASE}/api/v1/applications/web/sync`,
          () => new HttpResponse('Invalid content type', { status: 415 }),
        ),
      );
      const error = await client()
        .syncApplication('web', {})
        .catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe('Argo CD main: Invalid content type');
    });

    it("maps the gateway's plain-text 404 to NotFoundError", async () => {
      server.use(
        http.get(
          `${BASE}/api/v1/applications/web/resource-tree`,
          () =>
            new HttpResponse('Not Found', {
              status: 404,
              headers: { 'Content-Type': 'text/plain' },
            }),
        ),
      );
      const error = await client()
        .getResourceTree('web')
        .catch(e => e);
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error.message).toBe('Argo CD main: Not Found');
    });

    it("sanitises and truncates a proxy's HTML page", async () => {
      const html = `<html><head><style>body{}</style></head><body><h1>502 Bad Gateway</h1>\n<p>${'x'.repeat(
        1000,
      )}</p></body></html>`;
      server.use(
        http.get(`${BASE}/api/v1/projects`, () =>
          HttpResponse.html(html, { status: 502 }),
        ),
      );
      const error = await client()
        .listProjects()
        .catch(e => e);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toMatch(/^Argo CD main: 502 Bad Gateway x+…$/);
      expect(error.message).not.toMatch(/[<>\n]/);
      expect(error.message.length).toBeLessThan(340);
    });

    it('maps an unexpected status with a garbage body, masking an echoed token', async () => {
      server.use(
        http.get(
          `${BASE}/api/v1/clusters`,
          () =>
            new HttpResponse(`\u0000\u0001garbage Bearer ${TOKEN}`, {
              status: 429,
            }),
        ),
      );
      const error = await client()
        .listClusters()
        .catch(e => e);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toBe('Argo CD main: garbage Bearer ***');
    });

    it('rejects a 200 answer that is not JSON', async () => {
      server.use(
        http.get(`${BASE}/api/version`, () => HttpResponse.text('<html>')),
      );
      await expect(client().getVersion()).rejects.toBeInstanceOf(
        ServiceUnavailableError,
      );
    });
  });

  describe('input validation', () => {
    const bad = [
      'a/b',
      '..',
      '../settings',
      'web?x=1',
      'web#x',
      'web%2Fx',
      'web x',
      'Web',
      'a'.repeat(254),
      '',
    ];

    it.each(bad)(
      'rejects the app name %j without sending anything',
      async name => {
        server.use(http.all('*', () => HttpResponse.json({})));
        const c = client();
        const calls: Array<() => Promise<unknown> | AsyncIterable<unknown>> = [
          () => c.getApplication(name),
          () => c.getResourceTree(name),
          () => c.getManagedResources(name),
          () => c.getRevisionMetadata(name, 'abcdef0'),
          () => c.getRevisionChartDetails(name, '1.2.3'),
          () => c.listEvents(name),
          () => c.getApplicationSyncWindows(name),
          () => c.syncApplication(name, {}),
          () => c.rollbackApplication(name, { id: 1 }),
          () => c.terminateOperation(name),
          () => c.deleteApplication(name),
          () => c.createApplication({ ...app, metadata: { name } }),
          () => c.listApplications({ name }),
          () => c.getProject(name),
        ];
        for (const call of calls) {
          await expect(Promise.resolve().then(call)).rejects.toBeInstanceOf(
            InputError,
          );
        }
        expect(seen).toHaveLength(0);
      },
    );

    it.each([
      ['project', { project: 'tenant/a' }],
      ['project', { project: 'TENANT-A' }],
      ['appNamespace', { appNamespace: 'argo.cd' }],
      ['appNamespace', { appNamespace: '../x' }],
      ['tenant', { tenant: 'a b' }],
    ])(
      'rejects a bad %s in the scope without sending anything',
      async (_, scope) => {
        server.use(http.all('*', () => HttpResponse.json({})));
        await expect(
          client().getApplication('web', scope),
        ).rejects.toBeInstanceOf(InputError);
        await expect(
          client().syncApplication('web', {}, scope),
        ).rejects.toBeInstanceOf(InputError);
        expect(seen).toHaveLength(0);
      },
    );

    it.each([
      ['HEAD', 'metadata'],
      ['main', 'metadata'],
      ['abc', 'metadata'],
      ['abcdef0/../x', 'metadata'],
      ['a'.repeat(41), 'metadata'],
      ['..', 'chart'],
      ['1.0.0/../../x', 'chart'],
      ['1.0 0', 'chart'],
      ['v'.repeat(129), 'chart'],
    ])(
      'rejects the revision %j for %s without sending anything',
      async (revision, kind) => {
        server.use(http.all('*', () => HttpResponse.json({})));
        const c = client();
        const call =
          kind === 'metadata'
            ? c.getRevisionMetadata('web', revision)
            : c.getRevisionChartDetails('web', revision);
        await expect(call).rejects.toBeInstanceOf(InputError);
        expect(seen).toHaveLength(0);
      },
    );

    it.each([
      'app=web&project=x',
      'app=web;x',
      'app in web',
      'app=(web)',
      `app=${'v'.repeat(64)}`,
      '-app=web',
    ])('rejects the selector %j without sending anything', async selector => {
      server.use(http.all('*', () => HttpResponse.json({})));
      await expect(
        client().listApplications({ selector }),
      ).rejects.toBeInstanceOf(InputError);
      expect(() => client().watchApplications({ selector })).toThrow(
        InputError,
      );
      expect(seen).toHaveLength(0);
    });

    it('rejects bad query values without sending anything', async () => {
      server.use(http.all('*', () => HttpResponse.json({})));
      const c = client();
      await expect(
        c.listApplications({ projects: ['ok', 'a&b'] }),
      ).rejects.toBeInstanceOf(InputError);
      await expect(
        c.listApplications({ fields: ['items.metadata.name&x=1'] }),
      ).rejects.toThrow(InputError);
      await expect(c.listApplications({ repo: 'https://x y' })).rejects.toThrow(
        InputError,
      );
      await expect(
        c.getApplication('web', { refresh: 'soft' as unknown as 'hard' }),
      ).rejects.toThrow(InputError);
      await expect(
        c.deleteApplication('web', {
          propagationPolicy: 'orphan' as unknown as 'foreground',
        }),
      ).rejects.toThrow(InputError);
      await expect(c.rollbackApplication('web', { id: -1 })).rejects.toThrow(
        InputError,
      );
      await expect(
        c.getRevisionMetadata('web', 'abcdef0', { sourceIndex: 1.5 }),
      ).rejects.toThrow(InputError);
      expect(seen).toHaveLength(0);
    });
  });

  describe('requests on the wire', () => {
    it('repeats projects, joins fields with commas and encodes the selector', async () => {
      server.use(
        http.get(`${BASE}/api/v1/applications`, () =>
          HttpResponse.json({ metadata: {}, items: [] }),
        ),
      );
      await client().listApplications({
        projects: ['tenant-a', 'tenant-b'],
        selector: 'app in (web, api),tier!=db',
        fields: ['items.metadata.name', 'items.spec.project'],
        appNamespace: 'argocd',
      });
      const url = new URL(seen[0].url);
      expect(url.searchParams.getAll('projects')).toEqual([
        'tenant-a',
        'tenant-b',
      ]);
      expect(url.searchParams.get('fields')).toBe(
        'items.metadata.name,items.spec.project',
      );
      expect(url.searchParams.get('selector')).toBe(
        'app in (web, api),tier!=db',
      );
      expect(url.searchParams.get('appNamespace')).toBe('argocd');
      expect(url.search).not.toContain(' ');
    });

    it('sends project, appNamespace and refresh on a per-app GET', async () => {
      server.use(
        http.get(`${BASE}/api/v1/applications/web`, () =>
          HttpResponse.json(app),
        ),
      );
      await client().getApplication('web', {
        project: 'tenant-a',
        appNamespace: 'team-a',
        refresh: 'hard',
      });
      const url = new URL(seen[0].url);
      expect(url.pathname).toBe('/api/v1/applications/web');
      expect(Object.fromEntries(url.searchParams)).toEqual({
        project: 'tenant-a',
        appNamespace: 'team-a',
        refresh: 'hard',
      });
    });

    it('keeps a path prefix of the configured URL', async () => {
      server.use(
        http.get(`${BASE}/argocd/api/version`, () =>
          HttpResponse.json({ Version: 'v3.5.1' }),
        ),
      );
      await expect(
        client({ url: `${BASE}/argocd/` }).getVersion(),
      ).resolves.toEqual({
        Version: 'v3.5.1',
      });
    });

    it('sends exactly application/json on POST and DELETE, with the scope in the body', async () => {
      server.use(
        http.post(`${BASE}/api/v1/applications/web/sync`, () =>
          HttpResponse.json(app),
        ),
        http.post(`${BASE}/api/v1/applications/web/rollback`, () =>
          HttpResponse.json(app),
        ),
        http.post(`${BASE}/api/v1/applications`, () => HttpResponse.json(app)),
        http.delete(`${BASE}/api/v1/applications/web/operation`, () =>
          HttpResponse.json({}),
        ),
        http.delete(`${BASE}/api/v1/applications/web`, () =>
          HttpResponse.json({}),
        ),
      );
      const c = client();
      await c.syncApplication(
        'web',
        { prune: true, syncOptions: { items: ['CreateNamespace=true'] } },
        { project: 'tenant-a' },
      );
      await c.rollbackApplication('web', { id: 3 }, { project: 'tenant-a' });
      await c.createApplication(app, { upsert: false, validate: true });
      await c.terminateOperation('web', { project: 'tenant-a' });
      await expect(
        c.deleteApplication('web', {
          project: 'tenant-a',
          cascade: true,
          propagationPolicy: 'background',
        }),
      ).resolves.toBeUndefined();

      expect(seen.map(r => r.headers.get('content-type'))).toEqual(
        Array(5).fill('application/json'),
      );
      expect(await seen[0].json()).toEqual({
        name: 'web',
        project: 'tenant-a',
        prune: true,
        syncOptions: { items: ['CreateNamespace=true'] },
      });
      expect(await seen[1].json()).toEqual({
        name: 'web',
        project: 'tenant-a',
        id: 3,
      });
      expect(new URL(seen[2].url).search).toBe('?upsert=false&validate=true');
      expect(new URL(seen[3].url).search).toBe('?project=tenant-a');
      expect(Object.fromEntries(new URL(seen[4].url).searchParams)).toEqual({
        project: 'tenant-a',
        cascade: 'true',
        propagationPolicy: 'background',
      });
    });

    it('sends no Content-Type on GET', async () => {
      server.use(
        http.get(`${BASE}/api/v1/projects/tenant-a`, () =>
          HttpResponse.json({}),
        ),
      );
      await client().getProject('tenant-a');
      expect(seen[0].headers.get('content-type')).toBeNull();
    });

    it('asks for sync windows with the scope as query and returns the answer as is', async () => {
      const answer = {
        assignedWindows: [
          {
            kind: 'deny',
            schedule: '0 22 * * *',
            duration: '8h',
            manualSync: false,
          },
        ],
        activeWindows: [
          {
            kind: 'deny',
            schedule: '0 22 * * *',
            duration: '8h',
            manualSync: false,
          },
        ],
        canSync: false,
      };
      server.use(
        http.get(`${BASE}/api/v1/applications/web/syncwindows`, () =>
          HttpResponse.json(answer),
        ),
      );
      await expect(
        client({
          projectTokens: { a: TENANT_TOKEN },
        }).getApplicationSyncWindows('web', {
          project: 'tenant-a',
          appNamespace: 'team-a',
          tenant: 'a',
        }),
      ).resolves.toEqual(answer);
      expect(new URL(seen[0].url).search).toBe(
        '?project=tenant-a&appNamespace=team-a',
      );
      expect(seen[0].headers.get('authorization')).toBe(
        `Bearer ${TENANT_TOKEN}`,
      );
      await expect(
        client().getApplicationSyncWindows('web', { project: 'Tenant A' }),
      ).rejects.toBeInstanceOf(InputError);
      expect(seen).toHaveLength(1);
    });

    it('requests revision metadata and chart details under encoded paths', async () => {
      server.use(
        http.get(
          `${BASE}/api/v1/applications/web/revisions/:rev/metadata`,
          ({ params }) =>
            HttpResponse.json({
              author: 'a',
              date: '2026-01-01T00:00:00Z',
              message: params.rev,
            }),
        ),
        http.get(
          `${BASE}/api/v1/applications/web/revisions/:rev/chartdetails`,
          ({ params }) => HttpResponse.json({ description: params.rev }),
        ),
      );
      await expect(
        client().getRevisionMetadata('web', 'ea87599abc', { sourceIndex: 0 }),
      ).resolves.toMatchObject({ message: 'ea87599abc' });
      await expect(
        client().getRevisionChartDetails('web', '1.2.3+build.1'),
      ).resolves.toEqual({
        description: '1.2.3+build.1',
      });
      expect(new URL(seen[0].url).search).toBe('?sourceIndex=0');
      expect(new URL(seen[1].url).pathname).toBe(
        '/api/v1/applications/web/revisions/1.2.3%2Bbuild.1/chartdetails',
      );
    });
  });

  describe('watchApplications', () => {
    const event = (type: string, name: string) =>
      `${JSON.stringify({
        result: { type, application: { metadata: { name }, spec: app.spec } },
      })}\n`;

    function streamOf(
      chunks: string[],
      options: { end?: boolean; error?: boolean } = {},
    ) {
      const encoder = new TextEncoder();
      return new ReadableStream<Uint8Array>({
        async start(controller) {
          for (const chunk of chunks) {
            controller.enqueue(encoder.encode(chunk));
            await delay(5);
          }
          if (options.error) controller.error(new Error('socket hang up'));
          else if (options.end !== false) controller.close();
        },
      });
    }

    function serveStream(body: ReadableStream<Uint8Array>) {
      server.use(
        http.get(
          `${BASE}/api/v1/stream/applications`,
          () =>
            new HttpResponse(body, {
              headers: { 'Content-Type': 'application/json' },
            }),
        ),
      );
    }

    async function collect(iterable: AsyncIterable<ApplicationWatchEvent>) {
      const events: string[] = [];
      for await (const e of iterable)
        events.push(`${e.type} ${e.application.metadata.name}`);
      return events;
    }

    it('parses lines split anywhere, many per chunk and a last one without newline', async () => {
      const all =
        event('ADDED', 'api') +
        event('ADDED', 'wéb') +
        event('MODIFIED', 'api');
      const last = event('DELETED', 'api').trimEnd();
      const bytes = Buffer.from(all, 'utf8');
      // Split inside the multi-byte é too.
      const cut = bytes.indexOf(Buffer.from('é')) + 1;
      const encoderChunks = [
        bytes.subarray(0, 7),
        bytes.subarray(7, cut),
        bytes.subarray(cut),
      ];
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          for (const chunk of encoderChunks) {
            controller.enqueue(new Uint8Array(chunk));
            await delay(5);
          }
          controller.enqueue(new TextEncoder().encode(`\n${last}`));
          controller.close();
        },
      });
      serveStream(body);
      await expect(
        collect(client().watchApplications({ projects: ['tenant-a'] })),
      ).resolves.toEqual([
        'ADDED api',
        'ADDED wéb',
        'MODIFIED api',
        'DELETED api',
      ]);
      // Asked for as SSE (for its keepalives); a server answering NDJSON is read too.
      expect(seen[0].headers.get('accept')).toBe('text/event-stream');
      expect(new URL(seen[0].url).searchParams.getAll('projects')).toEqual([
        'tenant-a',
      ]);
    });

    it('throws the mapped error of an error line after the events before it', async () => {
      serveStream(
        streamOf([
          event('ADDED', 'web'),
          `${JSON.stringify({
            error: {
              grpc_code: 7,
              http_code: 403,
              message: 'permission denied',
              http_status: 'Forbidden',
            },
          })}\n`,
        ]),
      );
      const events: string[] = [];
      const error = await (async () => {
        for await (const e of client().watchApplications()) {
          events.push(String(e.application.metadata.name));
        }
      })().catch(e => e);
      expect(events).toEqual(['web']);
      expect(error).toBeInstanceOf(NotAllowedError);
      expect(error.message).toBe('Argo CD main: permission denied');
    });

    it('throws ServiceUnavailableError when the stream is cut mid-line', async () => {
      serveStream(
        streamOf([event('ADDED', 'web'), event('ADDED', 'api').slice(0, 30)]),
      );
      const error = await collect(client().watchApplications()).catch(e => e);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toBe(
        'Argo CD main: the application stream was cut mid-message',
      );
    });

    it('throws ServiceUnavailableError when the connection breaks', async () => {
      serveStream(streamOf([event('ADDED', 'web')], { error: true }));
      const error = await collect(client().watchApplications()).catch(e => e);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toMatch(
        /^Argo CD main: the application stream broke/,
      );
    });

    it('ends cleanly when the signal aborts and closes the connection', async () => {
      // A real server, so the test sees the socket close on the far side.
      let closed!: () => void;
      const connectionClosed = new Promise<void>(resolve => {
        closed = resolve;
      });
      const upstream = createServer((req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write(event('ADDED', 'web'));
        req.socket.on('close', () => closed());
      });
      await new Promise<void>(resolve =>
        upstream.listen(0, '127.0.0.1', resolve),
      );
      const { port } = upstream.address() as AddressInfo;
      server.use(http.get(`http://127.0.0.1:${port}/*`, () => passthrough()));
      try {
        const controller = new AbortController();
        const events: string[] = [];
        const watch = client({
          url: `http://127.0.0.1:${port}`,
        }).watchApplications({
          signal: controller.signal,
        });
        for await (const e of watch) {
          events.push(String(e.application.metadata.name));
          controller.abort();
        }
        expect(events).toEqual(['web']);
        await connectionClosed;
      } finally {
        upstream.closeAllConnections();
        await new Promise(resolve => upstream.close(resolve));
      }
    });

    it('does not time out a long-lived stream', async () => {
      serveStream(streamOf([event('ADDED', 'web'), event('ADDED', 'api')]));
      await expect(
        collect(client({ timeoutMs: 3 }).watchApplications()),
      ).resolves.toEqual(['ADDED web', 'ADDED api']);
    });

    it('waits for a quiet watch: Argo CD sends the headers only with the first event', async () => {
      const upstream = createServer((_req, res) => {
        // Longer than the request timeout: nothing changed upstream for a while.
        setTimeout(() => {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(event('MODIFIED', 'web'));
        }, 300);
      });
      await new Promise<void>(resolve =>
        upstream.listen(0, '127.0.0.1', resolve),
      );
      const { port } = upstream.address() as AddressInfo;
      server.use(http.get(`http://127.0.0.1:${port}/*`, () => passthrough()));
      try {
        await expect(
          collect(
            client({
              url: `http://127.0.0.1:${port}`,
              timeoutMs: 50,
            }).watchApplications({ resourceVersion: '42' }),
          ),
        ).resolves.toEqual(['MODIFIED web']);
      } finally {
        upstream.closeAllConnections();
        await new Promise(resolve => upstream.close(resolve));
      }
    });

    describe('idle timeout (no event and no SSE keepalive)', () => {
      /** A server that answers the watch as `respond` says and then sends nothing more. */
      async function halfOpen(
        respond: (res: import('node:http').ServerResponse) => void,
      ) {
        const upstream = createServer((_req, res) => respond(res));
        await new Promise<void>(resolve =>
          upstream.listen(0, '127.0.0.1', resolve),
        );
        const { port } = upstream.address() as AddressInfo;
        server.use(http.get(`http://127.0.0.1:${port}/*`, () => passthrough()));
        return {
          url: `http://127.0.0.1:${port}`,
          close: async () => {
            upstream.closeAllConnections();
            await new Promise(resolve => upstream.close(resolve));
          },
        };
      }

      it('ends a stream that went silent after an event with an error, so the caller reconnects', async () => {
        const upstream = await halfOpen(res => {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          // One event, then silence on an open socket: a half-open connection.
          res.write(event('ADDED', 'web'));
        });
        try {
          const events: string[] = [];
          const started = Date.now();
          const error = await (async () => {
            for await (const e of client({
              url: upstream.url,
              watchIdleTimeoutMs: 500,
            }).watchApplications()) {
              events.push(`${e.type} ${e.application.metadata.name}`);
            }
          })().catch(e => e);
          expect(events).toEqual(['ADDED web']);
          expect(error).toBeInstanceOf(ServiceUnavailableError);
          expect(error.message).toBe(
            'Argo CD main: the application stream received nothing for 500 ms, not even its keepalive; closed it as dead so the watch reconnects',
          );
          expect(Date.now() - started).toBeGreaterThanOrEqual(490);
        } finally {
          await upstream.close();
        }
      });

      it('reads SSE frames and keeps a quiet stream open on its keepalives', async () => {
        let keepalive: ReturnType<typeof setInterval> | undefined;
        const upstream = await halfOpen(res => {
          res.writeHead(200, { 'Content-Type': 'text/event-stream' });
          // argoproj/pkg's SSE framing, then only keepalives (faster than the idle timeout).
          res.write(`data: ${event('ADDED', 'web').trim()} \n\n\n`);
          keepalive = setInterval(() => res.write(':\n'), 100);
        });
        try {
          const abort = new AbortController();
          const events: string[] = [];
          setTimeout(() => abort.abort(), 1_200);
          for await (const e of client({
            url: upstream.url,
            watchIdleTimeoutMs: 400,
          }).watchApplications({ signal: abort.signal })) {
            events.push(`${e.type} ${e.application.metadata.name}`);
          }
          // Ended by the caller after three idle timeouts' worth of keepalives, not as dead.
          expect(events).toEqual(['ADDED web']);
          expect(abort.signal.aborted).toBe(true);
        } finally {
          clearInterval(keepalive);
          await upstream.close();
        }
      });

      it('ends a watch whose headers never come within the idle timeout', async () => {
        // Connected, but the answer never starts (and the per-request timer stopped on connect).
        const upstream = await halfOpen(() => undefined);
        try {
          const error = await collect(
            client({ url: upstream.url }).watchApplications({
              resourceVersion: '42',
              idleTimeoutMs: 100,
            }),
          ).catch(e => e);
          expect(error).toBeInstanceOf(ServiceUnavailableError);
          expect(error.message).toMatch(
            /^Argo CD main: the application stream received nothing for 100 ms/,
          );
        } finally {
          await upstream.close();
        }
      });

      it('keeps a stream that sends more often than the idle timeout', async () => {
        const upstream = await halfOpen(res => {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          let n = 0;
          const timer = setInterval(() => {
            n += 1;
            res.write(event('MODIFIED', `app-${n}`));
            if (n === 5) {
              clearInterval(timer);
              res.end();
            }
          }, 60);
        });
        try {
          await expect(
            collect(
              client({ url: upstream.url }).watchApplications({
                idleTimeoutMs: 200,
              }),
            ),
          ).resolves.toEqual([
            'MODIFIED app-1',
            'MODIFIED app-2',
            'MODIFIED app-3',
            'MODIFIED app-4',
            'MODIFIED app-5',
          ]);
        } finally {
          await upstream.close();
        }
      });

      it('ends quietly when the caller aborts a silent stream, and refuses a bad timeout', async () => {
        const upstream = await halfOpen(res => {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.write(event('ADDED', 'web'));
        });
        try {
          const controller = new AbortController();
          const events: string[] = [];
          for await (const e of client({ url: upstream.url }).watchApplications(
            { signal: controller.signal },
          )) {
            events.push(String(e.application.metadata.name));
            setTimeout(() => controller.abort(), 20);
          }
          expect(events).toEqual(['web']);
        } finally {
          await upstream.close();
        }
        expect(() => client({ watchIdleTimeoutMs: 0 })).toThrow(InputError);
      });
    });

    it('maps an error status on open', async () => {
      server.use(
        http.get(`${BASE}/api/v1/stream/applications`, () =>
          argoError(401, 16, 'no session information'),
        ),
      );
      await expect(
        collect(client().watchApplications()),
      ).rejects.toBeInstanceOf(AuthenticationError);
    });
  });
});
