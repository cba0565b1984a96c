import { ArgoCdFake } from './ArgoCdFake';
import { SimpleController } from './SimpleController';
import { buildApplication } from '../builders/buildApplication';
import { buildTenantProject } from '../builders/buildTenantProject';
import { BASE, call, readLines, seededFake } from '../__testUtils__/seededFake';

function openWatch(fake: ArgoCdFake, token: string, query = '') {
  return fake.handle(
    new Request(`${BASE}/api/v1/stream/applications${query}`, {
      headers: { authorization: `Bearer ${token}` },
    }),
  );
}

/** A clock the test moves by hand. */
function manualClock(start = Date.parse('2026-03-01T12:00:00Z')) {
  let now = start;
  return {
    now: () => new Date(now),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('ArgoCdFake behaves like Argo CD v3.5 where Argo CD is harsh', () => {
  describe('watch buffer (server/broadcast/broadcaster.go)', () => {
    it('drops events that arrive while a stream has a full buffer, but never the initial ADDED events', async () => {
      const fake = new ArgoCdFake({
        controller: new SimpleController(),
        watchBufferSize: 3,
      });
      for (let i = 0; i < 6; i++)
        fake.putApplication(buildApplication({ name: `app${i}` }));
      const reader = (
        await openWatch(fake, ArgoCdFake.adminToken)
      ).body!.getReader();
      const buffer = { text: '' };
      // Six initial events with a buffer of three: sent directly, none dropped.
      const initial = await readLines(reader, 6, buffer);
      expect(initial.map(l => l.result.type)).toEqual(Array(6).fill('ADDED'));

      // A burst faster than the client reads: three fit, the other seven are lost.
      for (let i = 0; i < 10; i++) {
        fake.updateApplication('app0', a => {
          a.status = { ...a.status, reconciledAt: `2026-02-01T00:00:0${i}Z` };
        });
      }
      expect(fake.droppedWatchEvents).toBe(7);
      const delivered = await readLines(reader, 3, buffer);
      expect(
        delivered.map(l => l.result.application.status.reconciledAt),
      ).toEqual([
        '2026-02-01T00:00:00Z',
        '2026-02-01T00:00:01Z',
        '2026-02-01T00:00:02Z',
      ]);
      // The stream goes on: the app's newest state arrives only with its next change.
      expect(fake.getApplication('app0')!.status!.reconciledAt).toBe(
        '2026-02-01T00:00:09Z',
      );
      fake.updateApplication('app0', a => {
        a.status = { ...a.status, reconciledAt: '2026-02-01T00:00:10Z' };
      });
      const [next] = await readLines(reader, 1, buffer);
      expect(next.result.application.status.reconciledAt).toBe(
        '2026-02-01T00:00:10Z',
      );
      await reader.cancel();
      fake.close();
    });

    it("fills a stream's buffer with events it may not see (filtering happens when sending)", async () => {
      const { fake, tokens } = seededFake();
      // The default buffer is Argo CD's 1000.
      const reader = (await openWatch(fake, tokens.acme)).body!.getReader();
      const buffer = { text: '' };
      expect(
        (await readLines(reader, 2, buffer)).map(
          l => l.result.application.metadata.name,
        ),
      ).toEqual(['acme-web-dev', 'acme-web-prod']);
      for (let i = 0; i < 1000; i++) {
        fake.updateApplication('globex-shop-dev', a => {
          a.status = {
            ...a.status,
            reconciledAt: `2026-02-01T00:${String(Math.floor(i / 60)).padStart(
              2,
              '0',
            )}:${String(i % 60).padStart(2, '0')}Z`,
          };
        });
      }
      // acme's change meets a buffer full of globex events acme never sees: dropped.
      fake.updateApplication('acme-web-dev', a => {
        a.metadata.labels = { ...a.metadata.labels, dropped: 'yes' };
      });
      expect(fake.droppedWatchEvents).toBe(1);
      // Once the reader has drained the buffer, the next change gets through; the dropped
      // one never does.
      const next = readLines(reader, 1, buffer);
      await new Promise(r => setTimeout(r, 10));
      fake.updateApplication('acme-web-prod', a => {
        a.metadata.labels = { ...a.metadata.labels, later: 'yes' };
      });
      const [line] = await next;
      expect(line.result.application.metadata.name).toBe('acme-web-prod');
      expect(fake.droppedWatchEvents).toBe(1);
      await reader.cancel();
      fake.close();
    });
  });

  describe('periodic reconciles (controller --app-resync)', () => {
    it("rewrites every app's reconciledAt once per period, spread over it, each a MODIFIED event", async () => {
      const clock = manualClock();
      const fake = new ArgoCdFake({
        now: clock.now,
        reconcile: { intervalMs: 180_000, tickMs: 3_600_000 },
      });
      for (let i = 0; i < 20; i++)
        fake.putApplication(buildApplication({ name: `app${i}` }));
      const before = new Map(
        fake
          .listApplications()
          .map(a => [a.metadata.name, JSON.stringify(a.spec)]),
      );
      const reader = (
        await openWatch(fake, ArgoCdFake.adminToken)
      ).body!.getReader();
      const buffer = { text: '' };
      await readLines(reader, 20, buffer);

      const times = new Map<string, number[]>();
      const perStep: number[] = [];
      for (let t = 0; t <= 360_000; t += 10_000) {
        const previous = new Map(
          fake
            .listApplications()
            .map(a => [a.metadata.name!, a.status!.reconciledAt] as const),
        );
        perStep.push(fake.reconciler!.reconcileDue());
        for (const app of fake.listApplications()) {
          if (app.status!.reconciledAt !== previous.get(app.metadata.name!)) {
            const name = app.metadata.name!;
            times.set(name, [...(times.get(name) ?? []), t]);
          }
        }
        clock.advance(10_000);
      }
      // Every app is reconciled within its first period, then exactly every 180 s, and the
      // reconciles are spread: never all in one step.
      expect(times.size).toBe(20);
      for (const ts of times.values()) {
        expect(ts[0]).toBeLessThanOrEqual(180_000);
        expect(ts.slice(1).map((t, i) => t - ts[i])).toEqual(
          Array(ts.length - 1).fill(180_000),
        );
        expect(ts.length).toBeGreaterThanOrEqual(2);
      }
      expect(Math.max(...perStep)).toBeLessThan(10);
      const total = perStep.reduce((a, b) => a + b, 0);
      const events = await readLines(reader, total, buffer);
      expect(events.every(e => e.result.type === 'MODIFIED')).toBe(true);
      expect(
        new Set(events.map(e => e.result.application.metadata.name)).size,
      ).toBe(20);
      // Only reconciledAt moved.
      for (const app of fake.listApplications()) {
        expect(JSON.stringify(app.spec)).toBe(before.get(app.metadata.name));
      }
      await reader.cancel();
      fake.close();
    });

    it('adds a per-app jitter of at most jitterMs, as --app-resync-jitter', () => {
      const clock = manualClock();
      const fake = new ArgoCdFake({
        now: clock.now,
        reconcile: { intervalMs: 120_000, jitterMs: 60_000, tickMs: 3_600_000 },
      });
      for (let i = 0; i < 30; i++)
        fake.putApplication(buildApplication({ name: `app${i}` }));
      const times = new Map<string, number[]>();
      for (let t = 0; t <= 400_000; t += 1_000) {
        const stamped = fake
          .listApplications()
          .map(a => [a.metadata.name!, a.status!.reconciledAt!] as const);
        fake.reconciler!.reconcileDue();
        for (const [name, previous] of stamped) {
          const now = fake.getApplication(name)!.status!.reconciledAt!;
          if (now !== previous)
            times.set(name, [...(times.get(name) ?? []), t]);
        }
        clock.advance(1_000);
      }
      const gaps = [...times.values()].flatMap(ts =>
        ts.slice(1).map((t, i) => t - ts[i]),
      );
      expect(gaps.length).toBeGreaterThan(30);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(120_000);
      expect(Math.max(...gaps)).toBeLessThanOrEqual(181_000);
      expect(new Set(gaps).size).toBeGreaterThan(5);
      fake.close();
    });

    it('runs on its own timer when started by the option', async () => {
      const fake = new ArgoCdFake({
        reconcile: { intervalMs: 1_000, tickMs: 50 },
      });
      fake.putApplication(
        buildApplication({ name: 'web', deployedAt: '2026-01-01T00:00:00Z' }),
      );
      const deadline = Date.now() + 3_000;
      while (
        fake.getApplication('web')!.status!.reconciledAt ===
          '2026-01-01T00:00:00Z' &&
        Date.now() < deadline
      ) {
        await new Promise(r => setTimeout(r, 50));
      }
      expect(fake.getApplication('web')!.status!.reconciledAt).not.toBe(
        '2026-01-01T00:00:00Z',
      );
      fake.close();
    });
  });

  describe('never-synced applications', () => {
    it('has no history, an empty sync status and health Missing until it is synced', async () => {
      const { fake, tokens } = seededFake();
      fake.putApplication(
        buildApplication({
          name: 'acme-api-dev',
          tenant: 'acme',
          neverSynced: true,
        }),
      );
      const got = await call(fake, 'GET', '/api/v1/applications/acme-api-dev', {
        token: tokens.acme,
      });
      expect(got.status).toBe(200);
      expect(got.json.status.history).toBeUndefined();
      expect(got.json.status.operationState).toBeUndefined();
      expect(got.json.status.sync).toEqual({ status: '' });
      expect(got.json.status.health).toEqual({ status: 'Missing' });
      expect(got.json.status.summary).toEqual({});
      // Rollback has nothing to go back to.
      const rollback = await call(
        fake,
        'POST',
        '/api/v1/applications/acme-api-dev/rollback',
        { token: tokens.admin, body: { id: 0 } },
      );
      expect(rollback.status).toBe(400);
      expect(rollback.json.message).toBe(
        'application argocd/acme-api-dev does not have deployment with id 0',
      );
    });

    it('is what a created manual app becomes after its first comparison', async () => {
      const { fake, controller, tokens } = seededFake();
      const body = buildApplication({ name: 'acme-new-dev', tenant: 'acme' });
      const created = await call(fake, 'POST', '/api/v1/applications', {
        token: tokens.admin,
        body: { metadata: body.metadata, spec: body.spec },
      });
      expect(created.json.status.sync.status).toBe('');
      controller.flush();
      const app = fake.getApplication('acme-new-dev')!;
      expect(app.status!.sync!.status).toBe('OutOfSync');
      expect(app.status!.health!.status).toBe('Missing');
      expect(app.status!.history).toBeUndefined();
      expect(app.status!.operationState).toBeUndefined();
    });
  });

  describe('the built-in default AppProject', () => {
    it('exists as argocd-server creates it, visible to the admin and not to a tenant role', async () => {
      const { fake, tokens } = seededFake();
      const admin = await call(fake, 'GET', '/api/v1/projects/default', {
        token: tokens.admin,
      });
      expect(admin.status).toBe(200);
      expect(admin.json.spec).toEqual({
        sourceRepos: ['*'],
        destinations: [{ server: '*', namespace: '*' }],
        clusterResourceWhitelist: [{ group: '*', kind: '*' }],
      });
      expect(admin.json.metadata.namespace).toBe('argocd');
      const list = await call(fake, 'GET', '/api/v1/projects', {
        token: tokens.acme,
      });
      expect(list.json.items.map((p: any) => p.metadata.name)).toEqual([
        'tenant-acme',
      ]);
      const direct = await call(fake, 'GET', '/api/v1/projects/default', {
        token: tokens.acme,
      });
      expect(direct.status).toBe(403);
      expect(
        new ArgoCdFake({ defaultProject: false }).getProject('default'),
      ).toBeUndefined();
    });
  });

  describe('application.namespaces', () => {
    function withTeamNamespace(applicationNamespaces?: string[]) {
      const fake = new ArgoCdFake({ applicationNamespaces });
      fake.putProject(
        buildTenantProject({ tenant: 'acme', roles: [{ name: 'backstage' }] }),
      );
      const project = fake.getProject('tenant-acme')!;
      fake.putProject({
        ...project,
        spec: { ...project.spec, sourceNamespaces: ['team-*'] },
      });
      fake.putApplication(
        buildApplication({ name: 'web', tenant: 'acme', namespace: 'team-a' }),
      );
      fake.putApplication(buildApplication({ name: 'api', tenant: 'acme' }));
      return fake;
    }

    it('hides apps outside the served namespaces from List and Watch and refuses them by name', async () => {
      const fake = withTeamNamespace();
      const token = ArgoCdFake.adminToken;
      const list = await call(fake, 'GET', '/api/v1/applications', { token });
      expect(list.json.items.map((a: any) => a.metadata.name)).toEqual(['api']);
      const reader = (await openWatch(fake, token)).body!.getReader();
      const [first] = await readLines(reader, 1);
      expect(first.result.application.metadata.name).toBe('api');
      fake.updateApplication({ name: 'web', namespace: 'team-a' }, a => {
        a.metadata.labels = { changed: 'yes' };
      });
      fake.updateApplication('api', a => {
        a.metadata.labels = { changed: 'yes' };
      });
      const [next] = await readLines(reader, 1);
      expect(next.result.application.metadata.name).toBe('api');
      await reader.cancel();
      for (const path of [
        '/api/v1/applications/web?appNamespace=team-a',
        '/api/v1/applications/web?appNamespace=team-a&project=tenant-acme',
      ]) {
        const got = await call(fake, 'GET', path, { token });
        expect(got.status).toBe(403);
        expect(got.json.message).toBe('permission denied');
      }
      fake.close();
    });

    it('serves them once application.namespaces lists them (globs or /regex/)', async () => {
      for (const patterns of [['team-*'], ['/^team-[a-z]$/']]) {
        const fake = withTeamNamespace(patterns);
        const list = await call(fake, 'GET', '/api/v1/applications', {
          token: ArgoCdFake.adminToken,
        });
        expect(list.json.items.map((a: any) => a.metadata.name).sort()).toEqual(
          ['api', 'web'],
        );
        const got = await call(
          fake,
          'GET',
          '/api/v1/applications/web?appNamespace=team-a',
          { token: ArgoCdFake.adminToken },
        );
        expect(got.status).toBe(200);
        fake.close();
      }
    });

    it('refuses to create an app in a namespace the server or the project does not allow', async () => {
      const fake = withTeamNamespace();
      fake.putCluster({
        name: 'acme-dev',
        server: 'https://acme-dev.example',
      } as any);
      const app = buildApplication({ name: 'new', tenant: 'acme' });
      const create = (namespace: string) =>
        call(fake, 'POST', '/api/v1/applications', {
          token: ArgoCdFake.adminToken,
          body: { metadata: { name: 'new', namespace }, spec: app.spec },
        });
      const notServed = await create('team-b');
      expect(notServed.status).toBe(500);
      expect(notServed.json).toEqual({
        error: "namespace 'team-b' is not permitted",
        code: 2,
        message: "namespace 'team-b' is not permitted",
      });
      const notInProject = await create('other');
      expect(notInProject.status).toBe(400);
      expect(notInProject.json.message).toBe(
        'app is not allowed in project "tenant-acme", or the project does not exist',
      );
      fake.close();
    });
  });

  describe('realistic sizes', () => {
    it('builds apps with tens of resources, conditions, images and links when asked', () => {
      const tiny = buildApplication({ name: 'web' });
      const real = buildApplication({ name: 'web', realistic: true });
      expect(tiny.status!.resources).toHaveLength(2);
      expect(real.status!.resources!.length).toBe(40);
      expect(real.status!.conditions!.length).toBeGreaterThanOrEqual(3);
      expect(real.status!.summary!.images!.length).toBeGreaterThanOrEqual(5);
      expect(real.status!.summary!.externalURLs!.length).toBeGreaterThan(0);
      expect(real.status!.history).toHaveLength(10);
      expect(JSON.stringify(real).length).toBeGreaterThan(
        6 * JSON.stringify(tiny).length,
      );
      expect(
        buildApplication({ name: 'web', realistic: { resourceCount: 80 } })
          .status!.resources,
      ).toHaveLength(80);
    });
  });
});
