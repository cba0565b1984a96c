import { setupServer } from 'msw/node';
import { argoCdMswHandlers } from '../msw/argoCdMswHandlers';
import { buildApplication } from '../builders/buildApplication';
import { BASE, call, readLines, seededFake } from '../__testUtils__/seededFake';

describe('ArgoCdFake', () => {
  describe('authentication', () => {
    it('answers 401 "no session information" without a JWT-shaped bearer', async () => {
      const { fake } = seededFake();
      const headerSets: Array<Record<string, string>> = [
        {},
        { authorization: 'Bearer not-a-jwt' },
      ];
      for (const headers of headerSets) {
        const res = await call(fake, 'GET', '/api/v1/applications', {
          headers,
        });
        expect(res.status).toBe(401);
        expect(res.json).toEqual({
          error: 'no session information',
          code: 16,
          message: 'no session information',
        });
      }
    });

    it('rejects a JWT-shaped token it did not issue', async () => {
      const { fake } = seededFake();
      const res = await call(fake, 'GET', '/api/v1/applications', {
        token: 'a.b.c',
      });
      expect(res.status).toBe(401);
      expect(res.json.code).toBe(16);
      expect(res.json.message).toMatch(/^invalid session/);
    });

    it('revokes a project token whose role was removed', async () => {
      const { fake, tokens } = seededFake();
      const project = fake.getProject('tenant-acme')!;
      fake.putProject({ ...project, spec: { ...project.spec, roles: [] } });
      const res = await call(fake, 'GET', '/api/v1/applications', {
        token: tokens.acme,
      });
      expect(res.status).toBe(401);
      expect(res.json.message).toContain(
        "does not exist in project 'tenant-acme'",
      );
    });

    it('creates sessions for admin and rejects wrong credentials', async () => {
      const { fake } = seededFake();
      const ok = await call(fake, 'POST', '/api/v1/session', {
        body: { username: 'admin', password: 'password' },
      });
      expect(ok.status).toBe(200);
      expect(ok.json.token.split('.')).toHaveLength(3);
      const info = await call(fake, 'GET', '/api/v1/session/userinfo', {
        token: ok.json.token,
      });
      expect(info.json).toEqual({
        loggedIn: true,
        username: 'admin',
        iss: 'argocd',
      });
      const bad = await call(fake, 'POST', '/api/v1/session', {
        body: { username: 'admin', password: 'x' },
      });
      expect(bad.status).toBe(401);
      expect(bad.json.message).toBe('Invalid username or password');
      const empty = await call(fake, 'POST', '/api/v1/session', { body: {} });
      expect(empty.json.message).toBe('no credentials supplied');
    });

    it('answers userinfo without a token with 200 {}', async () => {
      const { fake, tokens } = seededFake();
      expect(
        (await call(fake, 'GET', '/api/v1/session/userinfo')).json,
      ).toEqual({});
      const res = await call(fake, 'GET', '/api/v1/session/userinfo', {
        token: tokens.acme,
      });
      expect(res.json).toEqual({
        loggedIn: true,
        username: 'proj:tenant-acme:backstage',
        iss: 'argocd',
      });
    });
  });

  describe('wire rules', () => {
    it('answers 415 text/plain for a non-GET without exactly application/json', async () => {
      const { fake, tokens } = seededFake();
      for (const contentType of [
        'text/plain',
        'application/json; charset=utf-8',
      ]) {
        const res = await call(
          fake,
          'POST',
          '/api/v1/applications/acme-web-dev/sync',
          {
            token: tokens.admin,
            body: {},
            headers: { 'content-type': contentType },
          },
        );
        expect(res.status).toBe(415);
        expect(res.contentType).toMatch(/^text\/plain/);
        expect(res.text).toBe('Invalid content type');
      }
      const del = await fake.handle(
        new Request(`${BASE}/api/v1/applications/acme-web-dev`, {
          method: 'DELETE',
          headers: { authorization: `Bearer ${tokens.admin}` },
        }),
      );
      expect(del.status).toBe(415);
      expect(
        fake.getApplication('acme-web-dev')?.metadata.deletionTimestamp,
      ).toBeUndefined();
    });

    it('answers an unknown route with 404 text/plain Not Found', async () => {
      const { fake, tokens } = seededFake();
      const res = await call(fake, 'GET', '/api/v1/nothing', {
        token: tokens.admin,
      });
      expect(res.status).toBe(404);
      expect(res.contentType).toMatch(/^text\/plain/);
      expect(res.text).toBe('Not Found');
    });

    it('records every request and can add latency', async () => {
      const { fake, tokens } = seededFake();
      fake.latencyMs = 30;
      const started = Date.now();
      await call(
        fake,
        'GET',
        '/api/v1/applications?projects=tenant-acme&selector=a%3Db',
        { token: tokens.admin },
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(25);
      expect(fake.requests).toHaveLength(1);
      expect(fake.requests[0]).toMatchObject({
        method: 'GET',
        path: '/api/v1/applications',
        subject: 'admin',
      });
      expect(fake.requests[0].query.get('selector')).toBe('a=b');
    });
  });

  describe('list', () => {
    it('filters silently by RBAC and sorts by name', async () => {
      const { fake, tokens } = seededFake();
      const admin = await call(fake, 'GET', '/api/v1/applications', {
        token: tokens.admin,
      });
      expect(admin.json.items.map((a: any) => a.metadata.name)).toEqual([
        'acme-web-dev',
        'acme-web-prod',
        'globex-shop-dev',
        'globex-shop-prod',
      ]);
      const acme = await call(
        fake,
        'GET',
        '/api/v1/applications?projects=tenant-globex',
        { token: tokens.acme },
      );
      expect(acme.status).toBe(200);
      expect(acme.json.items).toEqual([]);
      const own = await call(fake, 'GET', '/api/v1/applications', {
        token: tokens.acme,
      });
      expect(own.json.items.map((a: any) => a.metadata.name)).toEqual([
        'acme-web-dev',
        'acme-web-prod',
      ]);
    });

    it('filters by repeated projects, legacy project, name, repo and appNamespace', async () => {
      const { fake, tokens } = seededFake();
      const names = async (query: string) =>
        (
          await call(fake, 'GET', `/api/v1/applications?${query}`, {
            token: tokens.admin,
          })
        ).json.items.map((a: any) => a.metadata.name);
      expect(
        await names('projects=tenant-acme&projects=tenant-globex'),
      ).toHaveLength(4);
      expect(await names('project=tenant-globex')).toEqual([
        'globex-shop-dev',
        'globex-shop-prod',
      ]);
      expect(await names('name=acme-web-prod')).toEqual(['acme-web-prod']);
      expect(
        await names(
          `repo=${encodeURIComponent(
            'https://git.example.com/globex/gitops.git',
          )}`,
        ),
      ).toEqual(['globex-shop-dev', 'globex-shop-prod']);
      expect(await names('appNamespace=other')).toEqual([]);
    });

    it('applies label selectors with =, !=, in, notin, exists and !exists', async () => {
      const { fake, tokens } = seededFake();
      const names = async (selector: string) =>
        (
          await call(
            fake,
            'GET',
            `/api/v1/applications?selector=${encodeURIComponent(selector)}`,
            {
              token: tokens.admin,
            },
          )
        ).json.items.map((a: any) => a.metadata.name);
      expect(await names('backstage.io/kubernetes-id=acme-web')).toEqual([
        'acme-web-dev',
        'acme-web-prod',
      ]);
      expect(
        await names('kupe.cloud/tenant!=acme,kupe.cloud/environment==prod'),
      ).toEqual(['globex-shop-prod']);
      expect(await names('kupe.cloud/environment in (prod, staging)')).toEqual([
        'acme-web-prod',
        'globex-shop-prod',
      ]);
      expect(await names('kupe.cloud/tenant notin (acme)')).toEqual([
        'globex-shop-dev',
        'globex-shop-prod',
      ]);
      expect(await names('kupe.cloud/tenant')).toHaveLength(4);
      expect(await names('!kupe.cloud/tenant')).toEqual([]);
      const bad = await call(
        fake,
        'GET',
        `/api/v1/applications?selector=${encodeURIComponent('a in (b')}`,
        {
          token: tokens.admin,
        },
      );
      expect(bad.status).toBe(500);
      expect(bad.json.code).toBe(2);
    });

    it('projects items onto the fields whitelist and gives items null on zero matches', async () => {
      const { fake, tokens } = seededFake();
      const fields =
        'items.metadata.name,items.status.sync.status,items.status.history,items.spec.project';
      const res = await call(
        fake,
        'GET',
        `/api/v1/applications?name=acme-web-dev&fields=${fields}`,
        {
          token: tokens.admin,
        },
      );
      expect(res.json.items).toEqual([
        {
          metadata: { name: 'acme-web-dev' },
          status: { sync: { status: 'Synced' } },
          spec: { project: 'tenant-acme' },
        },
      ]);
      const none = await call(
        fake,
        'GET',
        `/api/v1/applications?name=missing&fields=${fields}`,
        {
          token: tokens.admin,
        },
      );
      expect(none.json.items).toBeNull();
      const plain = await call(
        fake,
        'GET',
        '/api/v1/applications?name=missing',
        { token: tokens.admin },
      );
      expect(plain.json.items).toEqual([]);
      const excluded = await call(
        fake,
        'GET',
        '/api/v1/applications?name=acme-web-dev&fields=-items.spec',
        {
          token: tokens.admin,
        },
      );
      expect(excluded.json.items[0].spec.project).toBe('tenant-acme');
      expect(excluded.json.items[0].spec.source).toBeDefined();
      expect(excluded.json.items[0].status.history).toBeUndefined();
    });
  });

  describe('per-app existence hiding (403 vs 404)', () => {
    const paths = [
      '',
      '/resource-tree',
      '/managed-resources',
      '/events',
      '/revisions/0123456789abcdef0123456789abcdef01234567/metadata',
    ];

    it.each(paths)(
      'without project: 403 plain for missing and forbidden apps (%s)',
      async suffix => {
        const { fake, tokens } = seededFake();
        for (const name of ['globex-shop-dev', 'does-not-exist']) {
          const res = await call(
            fake,
            'GET',
            `/api/v1/applications/${name}${suffix}`,
            { token: tokens.acme },
          );
          expect(res.status).toBe(403);
          expect(res.json).toEqual({
            error: 'permission denied',
            code: 7,
            message: 'permission denied',
          });
        }
      },
    );

    it.each(paths)(
      'with own project: 404 for missing apps and apps of another project (%s)',
      async suffix => {
        const { fake, tokens } = seededFake();
        for (const name of ['globex-shop-dev', 'does-not-exist']) {
          const res = await call(
            fake,
            'GET',
            `/api/v1/applications/${name}${suffix}?project=tenant-acme`,
            {
              token: tokens.acme,
            },
          );
          expect(res.status).toBe(404);
          expect(res.json).toEqual({
            error: `applications.argoproj.io "${name}" not found`,
            code: 5,
            message: `applications.argoproj.io "${name}" not found`,
          });
        }
        // The admin sees every app, yet scoping by project still hides other tenants' apps.
        const admin = await call(
          fake,
          'GET',
          `/api/v1/applications/globex-shop-dev${suffix}?project=tenant-acme`,
          {
            token: tokens.admin,
          },
        );
        expect(admin.status).toBe(404);
      },
    );

    it('with a foreign project: 403', async () => {
      const { fake, tokens } = seededFake();
      const res = await call(
        fake,
        'GET',
        '/api/v1/applications/globex-shop-dev?project=tenant-globex',
        {
          token: tokens.acme,
        },
      );
      expect(res.status).toBe(403);
      expect(res.json.message).toBe('permission denied');
    });

    it('returns own apps with and without project', async () => {
      const { fake, tokens } = seededFake();
      for (const q of ['', '?project=tenant-acme']) {
        const res = await call(
          fake,
          'GET',
          `/api/v1/applications/acme-web-dev${q}`,
          { token: tokens.acme },
        );
        expect(res.status).toBe(200);
        expect(res.json.metadata.name).toBe('acme-web-dev');
        expect(res.json.kind).toBeUndefined();
      }
    });

    it('refuses sync with a detailed 403 to a role that may only get', async () => {
      const { fake, tokens } = seededFake();
      const res = await call(
        fake,
        'POST',
        '/api/v1/applications/acme-web-dev/sync',
        {
          token: tokens.acmeViewer,
          body: {},
        },
      );
      expect(res.status).toBe(403);
      expect(res.json.message).toMatch(
        /^permission denied: applications, sync, tenant-acme\/acme-web-dev, sub: proj:tenant-acme:viewer, iat: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
      );
      expect(fake.getApplication('acme-web-dev')?.operation).toBeUndefined();
    });
  });

  describe('sync windows', () => {
    // Thursday 2026-11-26, 11:00 UTC.
    const now = () => new Date('2026-11-26T11:00:00Z');
    const freeze = {
      kind: 'deny',
      schedule: '0 10 * * *',
      duration: '4h',
      clusters: ['globex-prod'],
      description: 'Change freeze',
    };
    const withWindows = (syncWindows: object[]) => {
      const seeded = seededFake({ now });
      const project = seeded.fake.getProject('tenant-globex')!;
      seeded.fake.putProject({
        ...project,
        spec: { ...project.spec, syncWindows },
      });
      return seeded;
    };

    it("reports the app's assigned and active windows with four fields each", async () => {
      const later = { ...freeze, schedule: '0 20 * * *', manualSync: true };
      const { fake, tokens } = withWindows([freeze, later]);
      const prod = await call(
        fake,
        'GET',
        '/api/v1/applications/globex-shop-prod/syncwindows?project=tenant-globex',
        { token: tokens.globex },
      );
      const windowOf = (w: { schedule: string; manualSync?: boolean }) => ({
        kind: 'deny',
        schedule: w.schedule,
        duration: '4h',
        manualSync: w.manualSync ?? false,
      });
      expect(prod.status).toBe(200);
      expect(prod.json).toEqual({
        activeWindows: [windowOf(freeze)],
        assignedWindows: [windowOf(freeze), windowOf(later)],
        canSync: false,
      });
      // No window applies to the dev app: Go's nil slices are left out.
      const dev = await call(
        fake,
        'GET',
        '/api/v1/applications/globex-shop-dev/syncwindows',
        { token: tokens.globex },
      );
      expect(dev.json).toEqual({ canSync: true });
      // Another tenant's app is as invisible here as everywhere.
      const foreign = await call(
        fake,
        'GET',
        '/api/v1/applications/globex-shop-prod/syncwindows?project=tenant-acme',
        { token: tokens.acme },
      );
      expect(foreign.status).toBe(404);
    });

    it("refuses sync with Argo CD's 403 before checking the sync permission", async () => {
      const { fake, tokens } = withWindows([freeze]);
      const body = { project: 'tenant-globex' };
      const blocked = await call(
        fake,
        'POST',
        '/api/v1/applications/globex-shop-prod/sync',
        { token: tokens.globex, body },
      );
      expect(blocked.status).toBe(403);
      expect(blocked.json).toEqual({
        error: 'cannot sync: blocked by sync window',
        code: 7,
        message: 'cannot sync: blocked by sync window',
      });
      expect(
        fake.getApplication('globex-shop-prod')?.operation,
      ).toBeUndefined();
      const dev = await call(
        fake,
        'POST',
        '/api/v1/applications/globex-shop-dev/sync',
        { token: tokens.globex, body },
      );
      expect(dev.status).toBe(200);
    });

    it('lets an API sync through a manualSync deny window, as Argo CD counts it manual', async () => {
      const { fake, tokens } = withWindows([{ ...freeze, manualSync: true }]);
      const windows = await call(
        fake,
        'GET',
        '/api/v1/applications/globex-shop-prod/syncwindows',
        { token: tokens.globex },
      );
      expect(windows.json.canSync).toBe(true);
      const res = await call(
        fake,
        'POST',
        '/api/v1/applications/globex-shop-prod/sync',
        { token: tokens.globex, body: {} },
      );
      expect(res.status).toBe(200);
      expect(res.json.operation.sync).toBeDefined();
    });

    it('blocks outside every assigned allow window, and allows inside one', async () => {
      const night = {
        kind: 'allow',
        schedule: '0 22 * * *',
        duration: '2h',
        applications: ['globex-*'],
      };
      const closed = withWindows([night]);
      const res = await call(
        closed.fake,
        'POST',
        '/api/v1/applications/globex-shop-dev/sync',
        { token: closed.tokens.globex, body: {} },
      );
      expect(res.status).toBe(403);
      expect(res.json.message).toBe('cannot sync: blocked by sync window');
      const open = withWindows([night, { ...night, schedule: '30 9 * * *' }]);
      const ok = await call(
        open.fake,
        'POST',
        '/api/v1/applications/globex-shop-dev/sync',
        { token: open.tokens.globex, body: {} },
      );
      expect(ok.status).toBe(200);
    });

    it('holds back automated syncs in a deny window, even one that allows manual syncs', async () => {
      const { fake, tokens } = withWindows([
        { ...freeze, clusters: ['globex-dev'], manualSync: true },
      ]);
      const build = (name: string, tenant: string) =>
        buildApplication({
          name,
          tenant,
          component: `${tenant}-new`,
          syncPolicy: 'auto',
        });
      const create = (name: string, tenant: string, token: string) =>
        call(fake, 'POST', '/api/v1/applications', {
          token,
          body: { ...build(name, tenant), status: undefined },
        });
      expect(
        (await create('globex-new-dev', 'globex', tokens.globex)).status,
      ).toBe(200);
      expect((await create('acme-new-dev', 'acme', tokens.acme)).status).toBe(
        200,
      );
      await new Promise(r => setTimeout(r, 100));
      expect(fake.getApplication('acme-new-dev')?.status?.history?.length).toBe(
        1,
      );
      const frozen = fake.getApplication('globex-new-dev')!;
      expect(frozen.status?.sync?.status).toBe('OutOfSync');
      expect(frozen.operation).toBeUndefined();
      expect(frozen.status?.history).toBeUndefined();
      expect(fake.syncWindowsAllow(frozen, { manual: true })).toBe(true);
      expect(fake.syncWindowsAllow(frozen, { manual: false })).toBe(false);
    });

    it('reports an unparseable window as Argo CD does: 500 on read, 403 on sync', async () => {
      const { fake, tokens } = withWindows([{ ...freeze, duration: '1d' }]);
      const read = await call(
        fake,
        'GET',
        '/api/v1/applications/globex-shop-prod/syncwindows',
        { token: tokens.globex },
      );
      expect(read.status).toBe(500);
      expect(read.json.message).toBe(
        `invalid sync windows: invalid sync windows: cannot parse duration '1d': time: unknown unit "d" in duration "1d"`,
      );
      const sync = await call(
        fake,
        'POST',
        '/api/v1/applications/globex-shop-prod/sync',
        { token: tokens.globex, body: {} },
      );
      expect(sync.status).toBe(403);
      expect(sync.json.message).toMatch(
        /^cannot sync: invalid sync window: invalid sync windows: cannot parse duration '1d'/,
      );
    });
  });

  describe('per-app reads', () => {
    it('serves tree, managed resources with JSON string states, and events', async () => {
      const { fake, controller, tokens } = seededFake();
      const tree = await call(
        fake,
        'GET',
        '/api/v1/applications/acme-web-dev/resource-tree',
        { token: tokens.admin },
      );
      expect(tree.json.nodes.map((n: any) => n.kind)).toEqual([
        'Service',
        'Deployment',
      ]);
      const filtered = await call(
        fake,
        'GET',
        '/api/v1/applications/acme-web-dev/resource-tree?kind=Deployment',
        {
          token: tokens.admin,
        },
      );
      expect(filtered.json.nodes).toHaveLength(1);
      const managed = await call(
        fake,
        'GET',
        '/api/v1/applications/acme-web-dev/managed-resources',
        {
          token: tokens.admin,
        },
      );
      for (const item of managed.json.items) {
        expect(typeof item.targetState).toBe('string');
        expect(JSON.parse(item.liveState).metadata.name).toBe('acme-web-dev');
      }
      fake.putApplication(
        buildApplication({
          name: 'new-app',
          tenant: 'acme',
          resources: [
            {
              version: 'v1',
              kind: 'ConfigMap',
              namespace: 'n',
              name: 'c',
              status: 'OutOfSync',
              health: { status: 'Missing' },
            },
          ],
        }),
      );
      const missing = await call(
        fake,
        'GET',
        '/api/v1/applications/new-app/managed-resources',
        { token: tokens.admin },
      );
      expect(missing.json.items[0]).toMatchObject({
        liveState: 'null',
        modified: true,
      });

      await call(fake, 'POST', '/api/v1/applications/acme-web-prod/sync', {
        token: tokens.admin,
        body: {},
      });
      controller.flush();
      const events = await call(
        fake,
        'GET',
        '/api/v1/applications/acme-web-prod/events',
        { token: tokens.admin },
      );
      expect(events.json.items.map((e: any) => e.reason)).toEqual([
        'OperationStarted',
        'OperationCompleted',
      ]);
    });

    it('returns revision metadata only for SHAs', async () => {
      const { fake, controller, tokens } = seededFake();
      const app = fake.getApplication('acme-web-dev')!;
      const sha = app.status!.history![1].revision!;
      controller.commits.set(sha, {
        author: 'Alice <alice@acme.test>',
        date: '2026-01-05T09:59:00Z',
        message: 'Bump web',
      });
      const ok = await call(
        fake,
        'GET',
        `/api/v1/applications/acme-web-dev/revisions/${sha.slice(
          0,
          8,
        )}/metadata`,
        {
          token: tokens.admin,
        },
      );
      expect(ok.json).toEqual({
        author: 'Alice <alice@acme.test>',
        date: '2026-01-05T09:59:00Z',
        message: 'Bump web',
      });
      const branch = await call(
        fake,
        'GET',
        '/api/v1/applications/acme-web-dev/revisions/main/metadata',
        {
          token: tokens.admin,
        },
      );
      expect(branch.status).toBe(500);
      expect(branch.json).toEqual({
        error: 'revision main must be resolved',
        code: 2,
        message: 'revision main must be resolved',
      });
    });

    it('refresh=normal waits for the controller and clears the refresh annotation', async () => {
      const { fake, tokens } = seededFake();
      const res = await call(
        fake,
        'GET',
        '/api/v1/applications/acme-web-dev?refresh=normal',
        { token: tokens.admin },
      );
      expect(res.json.status.reconciledAt).toBe(fake.timestamp());
      expect(
        res.json.metadata.annotations?.['argocd.argoproj.io/refresh'],
      ).toBeUndefined();
    });
  });

  describe('operations', () => {
    it('sync sets operation without operationState, runs it, and refuses a second sync meanwhile', async () => {
      const { fake, controller, tokens } = seededFake();
      const res = await call(
        fake,
        'POST',
        '/api/v1/applications/acme-web-prod/sync',
        {
          token: tokens.acme,
          body: {
            name: 'acme-web-prod',
            project: 'tenant-acme',
            prune: true,
            syncOptions: { items: ['ApplyOutOfSyncOnly=true'] },
          },
        },
      );
      expect(res.status).toBe(200);
      expect(res.json.operation).toMatchObject({
        sync: { prune: true, syncOptions: ['ApplyOutOfSyncOnly=true'] },
        initiatedBy: { username: 'proj:tenant-acme:backstage' },
      });
      expect(res.json.status.operationState).toBeUndefined();
      const again = await call(
        fake,
        'POST',
        '/api/v1/applications/acme-web-prod/sync',
        { token: tokens.acme, body: {} },
      );
      expect(again.status).toBe(400);
      expect(again.json).toEqual({
        error: 'another operation is already in progress',
        code: 9,
        message: 'another operation is already in progress',
      });
      const historyBefore =
        fake.getApplication('acme-web-prod')!.status!.history!.length;
      controller.flush();
      const app = fake.getApplication('acme-web-prod')!;
      expect(app.operation).toBeUndefined();
      expect(app.status?.operationState?.phase).toBe('Succeeded');
      expect(app.status?.sync?.status).toBe('Synced');
      expect(app.status?.health?.status).toBe('Healthy');
      expect(app.status?.history).toHaveLength(historyBefore + 1);
      expect(app.status?.history?.at(-1)?.initiatedBy).toEqual({
        username: 'proj:tenant-acme:backstage',
      });
    });

    it('goes Running then Succeeded on its own timers', async () => {
      const { fake, tokens } = seededFake();
      await call(fake, 'POST', '/api/v1/applications/acme-web-prod/sync', {
        token: tokens.admin,
        body: {},
      });
      const phases: string[] = [];
      for (
        let i = 0;
        i < 200 &&
        fake.getApplication('acme-web-prod')?.status?.operationState?.phase !==
          'Succeeded';
        i++
      ) {
        const phase =
          fake.getApplication('acme-web-prod')?.status?.operationState?.phase;
        if (phase && phases.at(-1) !== phase) phases.push(phase);
        await new Promise(r => setTimeout(r, 2));
      }
      expect(phases[0]).toBe('Running');
      expect(
        fake.getApplication('acme-web-prod')?.status?.operationState?.phase,
      ).toBe('Succeeded');
      fake.close();
    });

    it('refuses a sync to another revision on an auto-sync app', async () => {
      const { fake, tokens } = seededFake();
      const res = await call(
        fake,
        'POST',
        '/api/v1/applications/acme-web-dev/sync',
        {
          token: tokens.admin,
          body: { revision: 'feature' },
        },
      );
      expect(res.status).toBe(400);
      expect(res.json.message).toBe(
        'Cannot sync to feature: auto-sync currently set to main',
      );
    });

    it('rollback: 400 on auto-sync apps and unknown ids, else deploys the history revision', async () => {
      const { fake, controller, tokens } = seededFake();
      const auto = await call(
        fake,
        'POST',
        '/api/v1/applications/acme-web-dev/rollback',
        { token: tokens.admin, body: { id: 0 } },
      );
      expect(auto.status).toBe(400);
      expect(auto.json).toMatchObject({
        code: 9,
        message: 'rollback cannot be initiated when auto-sync is enabled',
      });
      const unknown = await call(
        fake,
        'POST',
        '/api/v1/applications/acme-web-prod/rollback',
        { token: tokens.admin, body: { id: 42 } },
      );
      expect(unknown.status).toBe(400);
      expect(unknown.json).toMatchObject({
        code: 3,
        message:
          'application argocd/acme-web-prod does not have deployment with id 42',
      });
      const first = fake.getApplication('acme-web-prod')!.status!.history![0];
      const ok = await call(
        fake,
        'POST',
        '/api/v1/applications/acme-web-prod/rollback',
        { token: tokens.admin, body: { id: 0 } },
      );
      expect(ok.status).toBe(200);
      expect(ok.json.operation.sync.revision).toBe(first.revision);
      controller.flush();
      expect(fake.getApplication('acme-web-prod')!.status!.sync!.revision).toBe(
        first.revision,
      );
    });

    it('terminate: 400 without an operation, else Terminating then Failed', async () => {
      const { fake, controller, tokens } = seededFake();
      const none = await call(
        fake,
        'DELETE',
        '/api/v1/applications/acme-web-prod/operation',
        { token: tokens.admin },
      );
      expect(none.status).toBe(400);
      expect(none.json.message).toBe(
        'Unable to terminate operation. No operation is in progress',
      );
      await call(fake, 'POST', '/api/v1/applications/acme-web-prod/sync', {
        token: tokens.admin,
        body: {},
      });
      const res = await call(
        fake,
        'DELETE',
        '/api/v1/applications/acme-web-prod/operation',
        { token: tokens.admin },
      );
      expect(res.status).toBe(200);
      expect(res.json).toEqual({});
      expect(
        fake.getApplication('acme-web-prod')?.status?.operationState?.phase,
      ).toBe('Terminating');
      controller.flush();
      const app = fake.getApplication('acme-web-prod')!;
      expect(app.status?.operationState?.phase).toBe('Failed');
      expect(app.operation).toBeUndefined();
    });
  });

  describe('create and delete', () => {
    const newApp = (overrides: Record<string, unknown> = {}) => ({
      metadata: {
        name: 'acme-api-dev',
        labels: { 'kupe.cloud/tenant': 'acme' },
      },
      spec: {
        project: 'tenant-acme',
        source: {
          repoURL: 'https://git.example.com/acme/gitops.git',
          path: 'apps/api/dev',
          targetRevision: 'main',
        },
        destination: { name: 'acme-dev', namespace: 'api' },
        syncPolicy: { automated: {} },
        ...overrides,
      },
    });

    it('creates with 200, is idempotent, and needs upsert for a different spec', async () => {
      const { fake, controller, tokens } = seededFake();
      const created = await call(fake, 'POST', '/api/v1/applications', {
        token: tokens.acme,
        body: newApp(),
      });
      expect(created.status).toBe(200);
      expect(created.json.status.sync.status).toBe('');
      const same = await call(fake, 'POST', '/api/v1/applications', {
        token: tokens.acme,
        body: newApp(),
      });
      expect(same.status).toBe(200);
      expect(same.json.metadata.uid).toBe(created.json.metadata.uid);
      const differs = newApp({
        destination: { name: 'acme-prod', namespace: 'api' },
      });
      const refused = await call(fake, 'POST', '/api/v1/applications', {
        token: tokens.acme,
        body: differs,
      });
      expect(refused.status).toBe(400);
      expect(refused.json.message).toBe(
        'existing application spec is different, use upsert flag to force update',
      );
      const upserted = await call(
        fake,
        'POST',
        '/api/v1/applications?upsert=true',
        { token: tokens.acme, body: differs },
      );
      expect(upserted.json.spec.destination.name).toBe('acme-prod');
      controller.flush();
      expect(fake.getApplication('acme-api-dev')?.status?.sync?.status).toBe(
        'Synced',
      );
    });

    it('refuses foreign projects, destinations and repos with Argo CD messages', async () => {
      const { fake, tokens } = seededFake();
      const foreign = await call(fake, 'POST', '/api/v1/applications', {
        token: tokens.acme,
        body: newApp({ project: 'tenant-globex' }),
      });
      expect(foreign.status).toBe(403);
      const noProject = await call(fake, 'POST', '/api/v1/applications', {
        token: tokens.admin,
        body: newApp({ project: 'tenant-nope' }),
      });
      expect(noProject.json.message).toBe(
        'app is not allowed in project "tenant-nope", or the project does not exist',
      );
      const dest = await call(fake, 'POST', '/api/v1/applications', {
        token: tokens.admin,
        body: newApp({ destination: { name: 'globex-dev', namespace: 'api' } }),
      });
      expect(dest.status).toBe(400);
      expect(dest.json.message).toBe(
        "application spec for acme-api-dev is invalid: InvalidSpecError: application destination server 'https://globex-dev.vcluster.kupe.internal' and namespace 'api' do not match any of the allowed destinations in project 'tenant-acme'",
      );
      const repo = await call(fake, 'POST', '/api/v1/applications', {
        token: tokens.admin,
        body: newApp({
          source: {
            repoURL: 'https://git.example.com/globex/gitops.git',
            path: 'x',
          },
        }),
      });
      expect(repo.json.message).toBe(
        "application spec for acme-api-dev is invalid: InvalidSpecError: application repo https://git.example.com/globex/gitops.git is not permitted in project 'tenant-acme'",
      );
      const both = await call(fake, 'POST', '/api/v1/applications', {
        token: tokens.admin,
        body: newApp({
          destination: {
            name: 'acme-dev',
            server: 'https://x',
            namespace: 'api',
          },
        }),
      });
      expect(both.json.message).toBe(
        "application destination can't have both name and server defined",
      );
      expect(fake.getApplication('acme-api-dev')).toBeUndefined();
    });

    it('deletes with {} and validates cascade options', async () => {
      const { fake, controller, tokens } = seededFake();
      const bad = await call(
        fake,
        'DELETE',
        '/api/v1/applications/acme-web-dev?cascade=false&propagationPolicy=foreground',
        {
          token: tokens.acme,
        },
      );
      expect(bad.status).toBe(400);
      expect(bad.json.message).toBe(
        'cannot set propagation policy when cascading is disabled',
      );
      const res = await call(
        fake,
        'DELETE',
        '/api/v1/applications/acme-web-dev?project=tenant-acme',
        { token: tokens.acme },
      );
      expect(res.status).toBe(200);
      expect(res.json).toEqual({});
      expect(
        fake.getApplication('acme-web-dev')?.metadata.deletionTimestamp,
      ).toBeDefined();
      controller.flush();
      expect(fake.getApplication('acme-web-dev')).toBeUndefined();
    });
  });

  describe('projects and clusters', () => {
    it('filters projects and clusters by RBAC, 403 with detail then 404 for single projects', async () => {
      const { fake, tokens } = seededFake();
      const list = await call(fake, 'GET', '/api/v1/projects', {
        token: tokens.acme,
      });
      expect(list.json.items.map((p: any) => p.metadata.name)).toEqual([
        'tenant-acme',
      ]);
      const foreign = await call(
        fake,
        'GET',
        '/api/v1/projects/tenant-globex',
        { token: tokens.acme },
      );
      expect(foreign.status).toBe(403);
      expect(foreign.json.message).toMatch(
        /^permission denied: projects, get, tenant-globex, sub: proj:tenant-acme:backstage/,
      );
      const missing = await call(fake, 'GET', '/api/v1/projects/tenant-nope', {
        token: tokens.admin,
      });
      expect(missing.status).toBe(404);
      expect(missing.json.message).toBe(
        'appprojects.argoproj.io "tenant-nope" not found',
      );
      const detailed = await call(
        fake,
        'GET',
        '/api/v1/projects/tenant-acme/detailed',
        { token: tokens.acme },
      );
      expect(detailed.json.project.metadata.name).toBe('tenant-acme');
      expect(detailed.json.clusters.map((c: any) => c.name)).toEqual([
        'acme-dev',
        'acme-prod',
      ]);
      const clusters = await call(fake, 'GET', '/api/v1/clusters', {
        token: tokens.acme,
      });
      expect(clusters.json.items.map((c: any) => c.name)).toEqual([
        'acme-dev',
        'acme-prod',
      ]);
      const all = await call(fake, 'GET', '/api/v1/clusters', {
        token: tokens.admin,
      });
      expect(all.json.items).toHaveLength(4);
    });
  });

  describe('watch stream', () => {
    it('sends DELETED at the deletion’s resourceVersion, so a watch from a later listing still hears of it', async () => {
      const { fake, tokens } = seededFake();
      const headers = { authorization: `Bearer ${tokens.acme}` };
      const listed = await fake.handle(
        new Request(`${BASE}/api/v1/applications`, { headers }),
      );
      const version = Number((await listed.json()).metadata.resourceVersion);
      expect(
        Number(fake.getApplication('acme-web-prod')!.metadata.resourceVersion),
      ).toBeLessThanOrEqual(version);
      const abort = new AbortController();
      const response = await fake.handle(
        new Request(
          `${BASE}/api/v1/stream/applications?resourceVersion=${version}`,
          { headers, signal: abort.signal },
        ),
      );
      const reader = response.body!.getReader();
      fake.removeApplication('acme-web-prod');
      const [deleted] = await readLines(reader, 1, { text: '' });
      expect(deleted.result.type).toBe('DELETED');
      expect(deleted.result.application.metadata.name).toBe('acme-web-prod');
      expect(
        Number(deleted.result.application.metadata.resourceVersion),
      ).toBeGreaterThan(version);
      abort.abort();
    });

    it('emits ADDED for visible apps, then live MODIFIED and DELETED, until aborted', async () => {
      const { fake, tokens } = seededFake();
      const abort = new AbortController();
      const response = await fake.handle(
        new Request(
          `${BASE}/api/v1/stream/applications?selector=${encodeURIComponent(
            'kupe.cloud/environment=prod',
          )}`,
          {
            headers: { authorization: `Bearer ${tokens.acme}` },
            signal: abort.signal,
          },
        ),
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json');
      const reader = response.body!.getReader();
      const buffer = { text: '' };
      const initial = await readLines(reader, 1, buffer);
      expect(
        initial.map(l => [l.result.type, l.result.application.metadata.name]),
      ).toEqual([['ADDED', 'acme-web-prod']]);

      fake.updateApplication('globex-shop-prod', a => {
        a.metadata.annotations = { x: '1' };
      });
      fake.updateApplication('acme-web-dev', a => {
        a.metadata.annotations = { x: '1' };
      });
      fake.updateApplication('acme-web-prod', a => {
        a.metadata.annotations = { x: '1' };
      });
      fake.updateApplication('acme-web-prod', () => undefined);
      fake.removeApplication('acme-web-prod');
      const live = await readLines(reader, 2, buffer);
      expect(live.map(l => l.result.type)).toEqual(['MODIFIED', 'DELETED']);
      expect(live[0].result.application.metadata.annotations).toEqual({
        x: '1',
      });
      expect(fake.openStreams).toBe(1);
      abort.abort();
      expect(fake.openStreams).toBe(0);
      expect((await reader.read()).done).toBe(true);
    });

    it('subscribes only once the initial ADDED events are sent, as Server.Watch does: a change made meanwhile is lost to the stream', async () => {
      const { fake, tokens } = seededFake();
      const open = (query = '') =>
        fake
          .handle(
            new Request(`${BASE}/api/v1/stream/applications${query}`, {
              headers: { authorization: `Bearer ${tokens.admin}` },
            }),
          )
          .then(r => r.body!.getReader());
      const reader = await open();
      const buffer = { text: '' };
      const [first] = await readLines(reader, 1, buffer);
      expect(first.result.application.metadata.name).toBe('acme-web-dev');
      expect(fake.openStreams).toBe(1);

      // During the burst: one app already sent, one still to come.
      fake.updateApplication('acme-web-dev', a => {
        a.metadata.annotations = { during: 'sent' };
      });
      fake.updateApplication('globex-shop-prod', a => {
        a.metadata.annotations = { during: 'unsent' };
      });
      const rest = await readLines(reader, 3, buffer);
      expect(
        rest.map(l => [l.result.type, l.result.application.metadata.name]),
      ).toEqual([
        ['ADDED', 'acme-web-prod'],
        ['ADDED', 'globex-shop-dev'],
        ['ADDED', 'globex-shop-prod'],
      ]);
      // The apps as listed when the request came.
      expect(rest[2].result.application.metadata.annotations).toBeUndefined();

      // After the last one the stream is subscribed: the next change is the next line, and
      // the two made during the burst never come.
      fake.updateApplication('globex-shop-dev', a => {
        a.metadata.annotations = { after: 'burst' };
      });
      const [next] = await readLines(reader, 1, buffer);
      expect([next.result.type, next.result.application.metadata]).toEqual([
        'MODIFIED',
        expect.objectContaining({
          name: 'globex-shop-dev',
          annotations: { after: 'burst' },
        }),
      ]);

      // With a resourceVersion there is no initial burst: it subscribes at once.
      const since = await open(
        `?resourceVersion=${fake.getApplication('globex-shop-dev')!.metadata
          .resourceVersion!}`,
      );
      fake.updateApplication('acme-web-prod', a => {
        a.metadata.annotations = { right: 'away' };
      });
      const [modified] = await readLines(since, 1);
      expect(modified.result.type).toBe('MODIFIED');
      expect(modified.result.application.metadata.annotations).toEqual({
        right: 'away',
      });
      fake.close();
      expect(fake.openStreams).toBe(0);
    });

    it('uses SSE framing only for Accept: text/event-stream and ends with an error line on failure', async () => {
      const { fake, tokens } = seededFake();
      const response = await fake.handle(
        new Request(`${BASE}/api/v1/stream/applications?name=acme-web-dev`, {
          headers: {
            authorization: `Bearer ${tokens.admin}`,
            accept: 'text/event-stream',
          },
        }),
      );
      expect(response.headers.get('content-type')).toBe('text/event-stream');
      fake.failStreams(7, 'permission denied');
      const text = await response.text();
      const frames = text.split(' \n\n\n').filter(Boolean);
      expect(frames).toHaveLength(2);
      expect(JSON.parse(frames[0].replace(/^data: /, '')).result.type).toBe(
        'ADDED',
      );
      expect(JSON.parse(frames[1].replace(/^data: /, ''))).toEqual({
        error: {
          grpc_code: 7,
          http_code: 403,
          message: 'permission denied',
          http_status: 'Forbidden',
        },
      });
    });
  });

  describe('msw handlers', () => {
    const server = setupServer();
    beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
    afterAll(() => server.close());

    it('serves the fake through fetch, with a root path prefix and a streaming body', async () => {
      const { fake, tokens } = seededFake();
      server.use(...argoCdMswHandlers(fake, 'https://argocd.example.com/argo'));
      const list = await fetch(
        'https://argocd.example.com/argo/api/v1/applications?projects=tenant-acme',
        {
          headers: { authorization: `Bearer ${tokens.admin}` },
        },
      );
      expect(((await list.json()) as any).items).toHaveLength(2);
      const sync = await fetch(
        'https://argocd.example.com/argo/api/v1/applications/acme-web-prod/sync',
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${tokens.admin}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ prune: true }),
        },
      );
      expect(((await sync.json()) as any).operation.sync.prune).toBe(true);

      const abort = new AbortController();
      const stream = await fetch(
        'https://argocd.example.com/argo/api/v1/stream/applications?projects=tenant-acme',
        {
          headers: { authorization: `Bearer ${tokens.admin}` },
          signal: abort.signal,
        },
      );
      const reader = stream.body!.getReader();
      const buffer = { text: '' };
      expect(await readLines(reader, 2, buffer)).toHaveLength(2);
      fake.updateApplication('acme-web-dev', a => {
        a.metadata.labels = { ...a.metadata.labels, touched: 'yes' };
      });
      const [modified] = await readLines(reader, 1, buffer);
      expect(modified.result).toMatchObject({
        type: 'MODIFIED',
        application: { metadata: { name: 'acme-web-dev' } },
      });
      abort.abort();
      fake.close();
    });
  });
});
