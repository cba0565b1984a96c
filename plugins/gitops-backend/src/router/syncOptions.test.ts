import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Application, Operation } from '@kupe/plugin-gitops-node';
import request from 'supertest';
import {
  type Harness,
  startHarness,
  users,
} from '../__testUtils__/gitopsBackend';

const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});
const appPath = (name: string) =>
  `/api/gitops/instances/main/applications/${name}`;

/** The operation Argo CD recorded: pending, running or finished. */
const operationOf = (app: Application | undefined): Operation | undefined =>
  app?.operation ?? app?.status?.operationState?.operation;

async function eventually<T>(read: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise(r => setTimeout(r, 10));
  }
  throw new Error('timed out');
}

describe('sync with options', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  describe('with an allow-all policy', () => {
    beforeEach(async () => {
      h = await startHarness();
    });

    it('sends every option in Argo CD’s shape, with the portal user as the operation’s info', async () => {
      const resource = {
        group: 'apps',
        kind: 'Deployment',
        name: 'acme-web-dev',
        namespace: 'acme-web',
      };
      const res = await request(h.server)
        .post(`${appPath('acme-web-dev')}/sync`)
        .set(as(users.alice))
        .send({
          prune: true,
          force: true,
          applyOutOfSyncOnly: true,
          serverSideApply: true,
          resources: [resource],
        });
      expect(res.status).toBe(200);
      const operation = operationOf(h.fake.getApplication('acme-web-dev'));
      expect(operation).toEqual({
        sync: expect.objectContaining({
          prune: true,
          // The app's own option stays: a request's sync options replace the app's.
          syncOptions: [
            'CreateNamespace=true',
            'ApplyOutOfSyncOnly=true',
            'ServerSideApply=true',
          ],
          syncStrategy: { hook: { force: true } },
          resources: [resource],
        }),
        // Argo CD records its token's subject; the portal user rides in the info.
        initiatedBy: { username: 'proj:tenant-acme:backstage' },
        info: [{ name: 'Requested by', value: users.alice }],
      });
      const audit = h.audits.find(
        a => (a.options as { eventId: string }).eventId === 'application-sync',
      );
      expect(audit).toEqual({
        options: {
          eventId: 'application-sync',
          severityLevel: 'high',
          meta: expect.objectContaining({
            name: 'acme-web-dev',
            prune: true,
            force: true,
            applyOutOfSyncOnly: true,
            serverSideApply: true,
            resources: 'apps/Deployment/acme-web/acme-web-dev',
          }),
        },
        outcome: expect.objectContaining({ status: 'succeeded' }),
      });
      const recorded = JSON.stringify(h.audits);
      for (const secret of h.secrets) expect(recorded).not.toContain(secret);
    });

    it('applies without hooks when asked, and sends no sync options when none is chosen', async () => {
      const res = await request(h.server)
        .post(`${appPath('acme-web-prod')}/sync`)
        .set(as(users.alice))
        .send({ applyOnly: true, dryRun: true });
      expect(res.status).toBe(200);
      const sync = operationOf(h.fake.getApplication('acme-web-prod'))?.sync;
      expect(sync).toMatchObject({
        dryRun: true,
        syncStrategy: { apply: { force: false } },
        // Without sync options in the request Argo CD uses the app's own.
        syncOptions: ['CreateNamespace=true'],
      });
      expect(
        h.fake.requests.filter(
          r => r.method === 'GET' && r.path.endsWith('/acme-web-prod'),
        ),
      ).toHaveLength(0);
    });

    it('refuses an option the document does not know with 400 and sends nothing', async () => {
      h.fake.clearRequests();
      const res = await request(h.server)
        .post(`${appPath('acme-web-dev')}/sync`)
        .set(as(users.alice))
        .send({ replace: true });
      expect(res.status).toBe(400);
      expect(h.fake.requests.filter(r => r.path.endsWith('/sync'))).toEqual([]);
    });

    it('shows who asked for the newest deployment in the detail and its history', async () => {
      await request(h.server)
        .post(`${appPath('acme-web-prod')}/sync`)
        .set(as(users.alice))
        .send({})
        .expect(200);
      await eventually(() =>
        h.fake.getApplication('acme-web-prod')?.status?.operationState
          ?.phase === 'Succeeded' &&
        !h.fake.getApplication('acme-web-prod')?.operation
          ? true
          : undefined,
      );
      const detail = await request(h.server)
        .get(appPath('acme-web-prod'))
        .set(as(users.alice));
      expect(detail.status).toBe(200);
      expect(detail.body.operationState).toMatchObject({
        initiatedBy: { username: 'proj:tenant-acme:backstage' },
        requestedBy: users.alice,
      });
      const [newest, older] = detail.body.history;
      expect(newest).toMatchObject({
        initiatedBy: { username: 'proj:tenant-acme:backstage' },
        requestedBy: users.alice,
      });
      // Argo CD's history keeps no info: older deployments name only their initiator.
      expect(older.requestedBy).toBeUndefined();
      expect(older.initiatedBy).toBeDefined();
    });
  });

  describe('with a policy keeping force and prune in production to others', () => {
    beforeEach(async () => {
      const optionPermissions = [
        'gitops.application.sync.force',
        'gitops.application.sync.prune',
      ];
      const permissions = mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(r => ({
            result:
              optionPermissions.includes(r.permission.name) &&
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

    it.each([
      [
        'force',
        { force: true },
        'Not allowed to force a sync of application "acme-web-prod" in production: that needs the gitops.application.sync.force permission',
      ],
      [
        'prune',
        { prune: true },
        'Not allowed to prune resources of application "acme-web-prod" in production: that needs the gitops.application.sync.prune permission',
      ],
    ])(
      'refuses a %s sync in production with a 403 naming the permission, and audits it',
      async (_, body, message) => {
        h.fake.clearRequests();
        const res = await request(h.server)
          .post(`${appPath('acme-web-prod')}/sync`)
          .set(as(users.alice))
          .send(body);
        expect(res.status).toBe(403);
        expect(res.body.error).toMatchObject({
          name: 'NotAllowedError',
          message,
        });
        expect(h.fake.requests.filter(r => r.path.endsWith('/sync'))).toEqual(
          [],
        );
        expect(h.audits).toContainEqual({
          options: expect.objectContaining({ eventId: 'application-sync' }),
          outcome: expect.objectContaining({ status: 'failed', message }),
        });
      },
    );

    it('refuses a rollback with prune in production too', async () => {
      const res = await request(h.server)
        .post(`${appPath('acme-web-prod')}/rollback`)
        .set(as(users.alice))
        .send({ id: 0, prune: true });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('gitops.application.sync.prune');
    });

    it('lets the same user force and prune outside production, and dry-run them in production', async () => {
      const outside = await request(h.server)
        .post(`${appPath('acme-web-dev')}/sync`)
        .set(as(users.alice))
        .send({ force: true, prune: true });
      expect(outside.status).toBe(200);
      const dryRun = await request(h.server)
        .post(`${appPath('acme-web-prod')}/sync`)
        .set(as(users.alice))
        .send({ force: true, prune: true, dryRun: true });
      expect(dryRun.status).toBe(200);
    });
  });
});
