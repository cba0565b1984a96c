import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { waitFor } from '@kupe/plugin-gitops-node-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import httpClient, { type IncomingMessage } from 'node:http';
import request from 'supertest';
import {
  type Harness,
  users,
  startHarness,
} from './__testUtils__/gitopsBackend';

const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});
// The index's own list and watch are not per-request traffic.
const requestCalls = (h: Harness) =>
  h.fake.requests
    .filter(
      r =>
        r.path !== '/api/v1/applications' &&
        !r.path.startsWith('/api/v1/stream'),
    )
    .map(r => `${r.method} ${r.path}?${r.search}`);
const upstreamFor = (h: Harness, app: string) =>
  [...h.fake.requests, ...h.second.requests].filter(r => r.path.includes(app));

describe('gitops backend', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  describe('with an allow-all policy', () => {
    beforeEach(async () => {
      h = await startHarness();
    });

    it('lists an entity’s apps of its tenant across instances from the index', async () => {
      const res = await request(h.server)
        .get('/api/gitops/entities/default/component/acme-web/applications')
        .set(as(users.alice));
      expect(res.status).toBe(200);
      expect(res.body.errors).toEqual([]);
      expect(res.body.items.map((i: { name: string }) => i.name)).toEqual([
        'acme-web-dev',
        'acme-web-staging',
        'acme-web-prod',
      ]);
      const prod = res.body.items.find(
        (i: { name: string }) => i.name === 'acme-web-prod',
      );
      expect(prod).toMatchObject({
        instance: 'main',
        tenant: 'acme',
        project: 'tenant-acme',
        environment: 'production',
        sync: { status: 'OutOfSync' },
        stale: false,
        argoCdUrl:
          'https://argocd.example.com/applications/argocd/acme-web-prod',
      });
      expect(prod.outOfSyncSince).toEqual(expect.any(String));
      // OutOfSync: what runs is the last deployed revision, not the sync target.
      const stored = h.fake.getApplication('acme-web-prod')!.status!;
      expect(prod.deployedRevision).toBe(stored.history!.at(-1)!.revision);
      expect(prod.deployedRevision).not.toBe(prod.sync.revision);
      expect(
        res.body.items.find((i: { name: string }) => i.name === 'acme-web-dev')
          .deployedRevision,
      ).toBe(h.fake.getApplication('acme-web-dev')!.status!.sync!.revision);

      // Steady state: a second view costs Argo CD nothing.
      h.fake.clearRequests();
      await request(h.server)
        .get('/api/gitops/entities/default/component/acme-web/applications')
        .set(as(users.alice))
        .expect(200);
      expect(requestCalls(h)).toEqual([]);
    });

    it('shows another tenant’s entity to nobody but that tenant and admins', async () => {
      const bob = await request(h.server)
        .get('/api/gitops/entities/default/component/acme-web/applications')
        .set(as(users.bob));
      expect(bob.status).toBe(200);
      expect(bob.body.items).toEqual([]);

      const root = await request(h.server)
        .get('/api/gitops/entities/default/component/globex-shop/applications')
        .set(as(users.root));
      expect(
        root.body.items.map((i: { name: string }) => i.name).sort(),
      ).toEqual(['globex-shop-dev', 'globex-shop-prod']);
    });

    it('ignores app names of another tenant in an entity’s annotations', async () => {
      const res = await request(h.server)
        .get('/api/gitops/entities/default/component/sneaky/applications')
        .set(as(users.alice));
      expect(res.body.items.map((i: { name: string }) => i.name)).toEqual([
        'acme-web-dev',
      ]);
    });

    it('rejects a malformed selector with 400 and no upstream request', async () => {
      h.fake.clearRequests();
      const res = await request(h.server)
        .get('/api/gitops/entities/default/component/bad-selector/applications')
        .set(as(users.alice));
      expect(res.status).toBe(400);
      expect(requestCalls(h)).toEqual([]);
    });

    it('rejects a malformed selector on every view, the list and the event stream alike', async () => {
      // The same entity read each time (the entity cache's): its failed spec is not kept.
      const views = [];
      for (let i = 0; i < 2; i++) {
        views.push(
          await request(h.server)
            .get(
              '/api/gitops/entities/default/component/bad-selector/applications',
            )
            .set(as(users.alice)),
          await request(h.server)
            .get('/api/gitops/events?entityRef=component:default/bad-selector')
            .set(as(users.alice)),
        );
      }
      expect(views.map(v => v.status)).toEqual([400, 400, 400, 400]);
      expect(new Set(views.map(v => v.body.error.name))).toEqual(
        new Set(['InputError']),
      );
      expect(new Set(views.map(v => v.body.error.message)).size).toBe(1);
    });

    it.each([
      ['get', '', undefined],
      ['get', '/resources', undefined],
      ['post', '/sync', {}],
      ['post', '/refresh', { hard: true }],
      ['post', '/terminate', undefined],
      ['post', '/rollback', { id: 0 }],
    ])(
      'answers %s %s on another tenant’s app with 404 and no upstream call',
      async (method, suffix, body) => {
        // Warm the index so the check runs against loaded data.
        await request(h.server)
          .get('/api/gitops/entities/default/component/acme-web/applications')
          .set(as(users.alice));
        h.fake.clearRequests();
        const path = `/api/gitops/instances/main/applications/globex-shop-dev${suffix}`;
        const res =
          method === 'get'
            ? await request(h.server).get(path).set(as(users.alice))
            : await request(h.server)
                .post(path)
                .set(as(users.alice))
                .send(body);
        expect(res.status).toBe(404);
        const missing = await request(h.server)
          .get('/api/gitops/instances/main/applications/does-not-exist')
          .set(as(users.alice));
        expect(res.body.error.message).toBe(
          missing.body.error.message.replace(
            'does-not-exist',
            'globex-shop-dev',
          ),
        );
        expect(
          upstreamFor(h, 'globex-shop-dev').map(r => `${r.method} ${r.path}`),
        ).toEqual([]);
      },
    );

    it.each([
      ['/api/gitops/instances/main/applications/..%2F..%2Fsettings', 400],
      [
        '/api/gitops/instances/main/applications/web%3Fproject%3Dtenant-globex',
        400,
      ],
      ['/api/gitops/instances/main/applications/web%26x%3D1', 400],
      ['/api/gitops/instances/main/applications/web%23frag', 400],
      [`/api/gitops/instances/main/applications/${'a'.repeat(300)}`, 400],
      [
        '/api/gitops/instances/main/applications/acme-web-dev?appNamespace=..%2Fx',
        400,
      ],
      ['/api/gitops/instances/UPPER/applications/acme-web-dev', 400],
      ['/api/gitops/instances/nowhere/applications/acme-web-dev', 404],
    ])(
      'refuses %s with %i and sends nothing upstream',
      async (path, status) => {
        h.fake.clearRequests();
        const res = await request(h.server).get(path).set(as(users.alice));
        expect(res.status).toBe(status);
        expect(requestCalls(h)).toEqual([]);
      },
    );

    it('returns detail with history metadata through the tenant’s project scope', async () => {
      h.fake.clearRequests();
      const res = await request(h.server)
        .get('/api/gitops/instances/main/applications/acme-web-prod')
        .set(as(users.alice));
      expect(res.status).toBe(200);
      expect(res.body.summary.name).toBe('acme-web-prod');
      expect(res.body.history.length).toBe(2);
      expect(res.body.history[0]).toMatchObject({
        revision: expect.any(String),
        date: expect.any(String),
      });
      const perApp = h.fake.requests.filter(r =>
        r.path.includes('acme-web-prod'),
      );
      expect(perApp.length).toBeGreaterThan(0);
      for (const r of perApp) {
        expect(r.query.get('project') ?? r.query.get('projects')).toBe(
          'tenant-acme',
        );
        expect(r.subject).toBe('proj:tenant-acme:backstage');
      }
      // Commit metadata is cached by SHA: a second view asks Argo CD only for the app.
      h.fake.clearRequests();
      await request(h.server)
        .get('/api/gitops/instances/main/applications/acme-web-prod')
        .set(as(users.alice));
      expect(
        h.fake.requests.filter(r => r.path.includes('/revisions/')).length,
      ).toBe(0);
    });

    it('returns managed resources', async () => {
      const res = await request(h.server)
        .get('/api/gitops/instances/main/applications/acme-web-prod/resources')
        .set(as(users.alice));
      expect(res.status).toBe(200);
      expect(Array.isArray(res.body.items)).toBe(true);
      const liveManifests: string[] = res.body.items
        .map((item: { liveManifest?: string }) => item.liveManifest)
        .filter(Boolean);
      for (const liveManifest of liveManifests) {
        expect(liveManifest).not.toMatch(
          /managedFields|resourceVersion|last-applied-configuration/,
        );
      }
    });

    it('syncs an own app, audits it, and refuses rollback on auto-sync with 409', async () => {
      const sync = await request(h.server)
        .post('/api/gitops/instances/main/applications/acme-web-prod/sync')
        .set(as(users.alice))
        .send({ prune: true });
      expect(sync.status).toBe(200);
      expect(sync.body.summary.name).toBe('acme-web-prod');
      expect(h.audits).toContainEqual({
        options: expect.objectContaining({
          eventId: 'application-sync',
          meta: expect.objectContaining({
            instance: 'main',
            name: 'acme-web-prod',
            prune: true,
          }),
        }),
        outcome: expect.objectContaining({ status: 'succeeded' }),
      });

      h.fake.clearRequests();
      const rollback = await request(h.server)
        .post('/api/gitops/instances/main/applications/acme-web-dev/rollback')
        .set(as(users.alice))
        .send({ id: 1 });
      expect(rollback.status).toBe(409);
      expect(rollback.body.error.message).toMatch(/automated sync/);
      expect(
        h.fake.requests.filter(r => r.path.includes('/rollback')).length,
      ).toBe(0);
    });

    it('names the portal user who asked for a sync in Argo CD’s operation', async () => {
      const sync = await request(h.server)
        .post('/api/gitops/instances/main/applications/acme-web-prod/sync')
        .set(as(users.alice))
        .send({});
      expect(sync.status).toBe(200);
      const app = h.fake.getApplication('acme-web-prod');
      const operation =
        app?.operation ?? app?.status?.operationState?.operation;
      expect(operation?.info).toEqual([
        { name: 'Requested by', value: users.alice },
      ]);
    });

    it.each([
      ['text/plain', '{"hard":"not-a-boolean"}'],
      ['application/x-www-form-urlencoded', 'hard=not-a-boolean'],
      ['text/plain', '{"hard":true}'],
    ])(
      'refuses a %s body with 415 and sends nothing upstream',
      async (type, body) => {
        h.fake.clearRequests();
        const res = await request(h.server)
          .post('/api/gitops/instances/main/applications/acme-web-dev/refresh')
          .set(as(users.alice))
          .set('Content-Type', type)
          .send(body);
        expect(res.status).toBe(415);
        expect(res.body.error.message).toContain('must be JSON');
        expect(requestCalls(h)).toEqual([]);
      },
    );

    it('validates a JSON body and takes an empty one as no options', async () => {
      const bad = await request(h.server)
        .post('/api/gitops/instances/main/applications/acme-web-dev/refresh')
        .set(as(users.alice))
        .send({ hard: 'not-a-boolean' });
      expect(bad.status).toBe(400);
      const empty = await request(h.server)
        .post('/api/gitops/instances/main/applications/acme-web-dev/refresh')
        .set(as(users.alice));
      expect(empty.status).toBe(200);
    });

    it('audits a refused cross-tenant sync as failed', async () => {
      await request(h.server)
        .post('/api/gitops/instances/main/applications/globex-shop-dev/sync')
        .set(as(users.alice))
        .send({})
        .expect(404);
      expect(h.audits).toContainEqual({
        options: expect.objectContaining({ eventId: 'application-sync' }),
        outcome: expect.objectContaining({ status: 'failed' }),
      });
    });

    it('lets admins act on every tenant', async () => {
      const res = await request(h.server)
        .post('/api/gitops/instances/main/applications/globex-shop-prod/sync')
        .set(as(users.root))
        .send({ dryRun: true });
      expect(res.status).toBe(200);
    });

    it('lists the caller’s tenants with repos and clusters', async () => {
      const res = await request(h.server)
        .get('/api/gitops/tenants')
        .set(as(users.alice));
      expect(res.status).toBe(200);
      expect(
        res.body.items
          .map(
            (t: { name: string; instance: string }) =>
              `${t.instance}/${t.name}`,
          )
          .sort(),
      ).toEqual(['main/acme', 'second/acme']);
      const main = res.body.items.find(
        (t: { instance: string }) => t.instance === 'main',
      );
      expect(main.clusters.map((c: { name: string }) => c.name).sort()).toEqual(
        ['dev', 'prod'],
      );
    });

    it('offers no Helm chart repository as a place for manifests', async () => {
      const charts = 'https://charts.acme.example';
      const project = h.fake.getProject('tenant-acme')!;
      h.fake.putProject({
        ...project,
        spec: {
          ...project.spec,
          sourceRepos: [...(project.spec.sourceRepos ?? []), charts],
        },
      });
      const web = h.fake.getApplication('acme-web-dev')!;
      const { source, ...spec } = web.spec;
      h.fake.putApplication({
        ...web,
        spec: {
          ...spec,
          sources: [
            { repoURL: charts, chart: 'web', targetRevision: '1.0.0' },
            { ...source!, ref: 'values' },
          ],
        },
      });
      // once the index has seen the app take its chart from there
      for (let seen = false, i = 0; !seen && i < 50; i++) {
        const apps = await request(h.server)
          .get('/api/gitops/entities/default/component/acme-web/applications')
          .set(as(users.alice));
        seen = apps.body.items.some(
          (a: { name: string; sources?: Array<{ chart?: string }> }) =>
            a.name === 'acme-web-dev' && a.sources?.some(x => x.chart),
        );
        if (!seen) await new Promise(resolve => setTimeout(resolve, 100));
      }
      const res = await request(h.server)
        .get('/api/gitops/tenants')
        .set(as(users.alice));
      const main = res.body.items.find(
        (t: { instance: string }) => t.instance === 'main',
      );
      expect(main.sourceRepos).not.toContain(charts);
      expect(main.sourceRepos).toEqual(project.spec.sourceRepos);
    });

    it('keeps the last known state, marked stale, when Argo CD goes away', async () => {
      await request(h.server)
        .get('/api/gitops/entities/default/component/acme-web/applications')
        .set(as(users.alice));
      // Everything from now on: 502 garbage, and the open stream is cut.
      h.fake.failStreams(14, 'connection reset');
      h.fake.close();
      const outage = setupServer(
        http.all(
          'http://argocd.test/*',
          () => new HttpResponse('<html>bad gateway', { status: 502 }),
        ),
      );
      outage.listen({ onUnhandledRequest: 'bypass' });
      try {
        await new Promise(r => setTimeout(r, 600));
        const res = await request(h.server)
          .get('/api/gitops/entities/default/component/acme-web/applications')
          .set(as(users.alice));
        expect(res.status).toBe(200);
        const main = res.body.items.filter(
          (i: { instance: string }) => i.instance === 'main',
        );
        expect(main.length).toBe(2);
        expect(
          main.every(
            (i: { stale: boolean; ageMs: number }) => i.stale && i.ageMs > 0,
          ),
        ).toBe(true);
        // The failing instance hides nothing of the healthy one.
        const others = res.body.items.filter(
          (i: { instance: string }) => i.instance !== 'main',
        );
        expect(others.length).toBeGreaterThan(0);
        expect(others.every((i: { stale: boolean }) => !i.stale)).toBe(true);
        expect(
          res.body.errors.map((e: { instance: string }) => e.instance),
        ).toEqual(['main']);
      } finally {
        outage.close();
      }
    });

    it('never lets a token reach a response, a log line or an audit record', async () => {
      const bodies: string[] = [];
      for (const path of [
        '/api/gitops/entities/default/component/acme-web/applications',
        '/api/gitops/instances/main/applications/acme-web-prod',
        '/api/gitops/instances/main/applications/acme-web-prod/resources',
        '/api/gitops/tenants',
      ]) {
        bodies.push(
          (await request(h.server).get(path).set(as(users.alice))).text,
        );
      }
      bodies.push(
        (
          await request(h.server)
            .post('/api/gitops/instances/main/applications/acme-web-prod/sync')
            .set(as(users.alice))
            .send({})
        ).text,
      );
      const everything = [...bodies, ...h.logs, JSON.stringify(h.audits)].join(
        '\n',
      );
      for (const secret of h.secrets) expect(everything).not.toContain(secret);
    });

    it('pushes a change over server-sent events', async () => {
      const address = h.server.address() as { port: number };
      const chunks: string[] = [];
      const req = httpClient.get(
        `http://localhost:${address.port}/api/gitops/events?entityRef=component:default/acme-web`,
        { headers: as(users.alice) },
      );
      const response = await new Promise<IncomingMessage>(resolve =>
        req.on('response', resolve),
      );
      expect(response.headers['content-type']).toMatch(/text\/event-stream/);
      response.setEncoding('utf8');
      response.on('data', c => chunks.push(c));
      const events = () =>
        chunks
          .join('')
          .split('\n\n')
          .filter(f => f.startsWith('event: applications'))
          .map(f => JSON.parse(f.split('\ndata: ')[1]));
      await waitFor(
        'the first event',
        () => events().length >= 1 || undefined,
        5_000,
      );
      expect(events()[0].entityRef).toBe('component:default/acme-web');
      h.fake.updateApplication('acme-web-dev', app => {
        app.status!.health = { status: 'Degraded', message: 'crash loop' };
      });
      await waitFor(
        'the change',
        () => events().length >= 2 || undefined,
        5_000,
      );
      const last = events()[events().length - 1];
      expect(
        last.items.find((i: { name: string }) => i.name === 'acme-web-dev')
          .health.status,
      ).toBe('Degraded');
      await waitFor(
        'a heartbeat',
        () => chunks.join('').includes(': heartbeat') || undefined,
        5_000,
      );
      req.destroy();
      // Its three waits may take up to 5 s each; jest's 5 s default cut it short when loaded.
    }, 20_000);
  });

  describe('with a policy denying sync in production', () => {
    beforeEach(async () => {
      const permissions = mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(r => ({
            result:
              r.permission.name === 'gitops.application.sync' &&
              'resourceRef' in r &&
              String(r.resourceRef).endsWith('-prod')
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })),
        authorizeConditional: async requests =>
          requests.map(() => ({ result: AuthorizeResult.ALLOW })),
      });
      h = await startHarness({ permissions });
    });

    it('refuses a production sync with 403 and allows dev', async () => {
      h.fake.clearRequests();
      const prod = await request(h.server)
        .post('/api/gitops/instances/main/applications/acme-web-prod/sync')
        .set(as(users.alice))
        .send({});
      expect(prod.status).toBe(403);
      expect(h.fake.requests.filter(r => r.path.endsWith('/sync')).length).toBe(
        0,
      );
      const dev = await request(h.server)
        .post('/api/gitops/instances/main/applications/acme-web-dev/sync')
        .set(as(users.alice))
        .send({});
      expect(dev.status).toBe(200);
    });
  });

  describe('with a conditional read policy', () => {
    beforeEach(async () => {
      const permissions = mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(() => ({ result: AuthorizeResult.ALLOW })),
        authorizeConditional: async requests =>
          requests.map(() => ({
            result: AuthorizeResult.CONDITIONAL,
            pluginId: 'gitops',
            resourceType: 'gitops-application',
            conditions: {
              rule: 'HAS_ENVIRONMENT',
              resourceType: 'gitops-application',
              params: { environments: ['dev'] },
            },
          })) as never,
      });
      h = await startHarness({ permissions });
    });

    it('filters lists by the policy’s conditions on top of the tenant rule', async () => {
      const res = await request(h.server)
        .get('/api/gitops/entities/default/component/acme-web/applications')
        .set(as(users.alice));
      expect(res.body.items.map((i: { name: string }) => i.name)).toEqual([
        'acme-web-dev',
      ]);
    });
  });
});
