import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
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
const entityApps =
  '/api/gitops/entities/default/component/acme-web/applications';

const patches = (h: Harness) =>
  h.fake.requests.filter(r => r.method === 'PATCH');

async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise(r => setTimeout(r, 10));
  }
  throw new Error('timed out');
}

describe('pause and resume auto-sync', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  describe('with an allow-all policy', () => {
    beforeEach(async () => {
      h = await startHarness();
      h.fake.updateApplication('acme-web-dev', a => {
        a.spec.syncPolicy = {
          ...a.spec.syncPolicy,
          automated: { prune: true, selfHeal: true },
        };
      });
    });

    it('pauses with a reason in one patch that keeps prune and self-heal, shows who, when and why, and resumes to the same policy', async () => {
      const res = await request(h.server)
        .post(`${appPath('acme-web-dev')}/auto-sync/pause`)
        .set(as(users.alice))
        .send({ reason: '  incident INC-42 ' });
      expect(res.status).toBe(200);
      expect(res.body.summary).toMatchObject({
        name: 'acme-web-dev',
        syncPolicy: 'manual',
        autoSyncPause: { by: users.alice, reason: 'incident INC-42' },
      });
      expect(Date.parse(res.body.summary.autoSyncPause.at)).toBeGreaterThan(
        Date.now() - 60_000,
      );
      expect(patches(h)).toHaveLength(1);
      const paused = h.fake.getApplication('acme-web-dev')!;
      expect(paused.spec.syncPolicy?.automated).toEqual({
        prune: true,
        selfHeal: true,
        enabled: false,
      });
      expect(paused.metadata.annotations).toMatchObject({
        'kupe.cloud/auto-sync-paused-by': users.alice,
        'kupe.cloud/auto-sync-paused-reason': 'incident INC-42',
      });

      // The card's listing carries it too: the index keeps the pause.
      const listed = await request(h.server)
        .get(entityApps)
        .set(as(users.alice));
      expect(
        listed.body.items.find(
          (a: { name: string }) => a.name === 'acme-web-dev',
        ).autoSyncPause,
      ).toMatchObject({ by: users.alice, reason: 'incident INC-42' });

      const again = await request(h.server)
        .post(`${appPath('acme-web-dev')}/auto-sync/pause`)
        .set(as(users.alice))
        .send({ reason: 'twice' });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toContain(
        `already paused, by ${users.alice}`,
      );

      const resumed = await request(h.server)
        .post(`${appPath('acme-web-dev')}/auto-sync/resume`)
        .set(as(users.alice));
      expect(resumed.status).toBe(200);
      expect(resumed.body.summary.autoSyncPause).toBeUndefined();
      expect(resumed.body.summary.syncPolicy).toBe('auto-prune-self-heal');
      const after = h.fake.getApplication('acme-web-dev')!;
      expect(after.spec.syncPolicy?.automated).toEqual({
        prune: true,
        selfHeal: true,
        enabled: true,
      });
      expect(
        Object.keys(after.metadata.annotations ?? {}).filter(k =>
          k.startsWith('kupe.cloud/auto-sync-paused'),
        ),
      ).toEqual([]);

      const events = h.audits.map(a => a.options as { eventId: string });
      expect(h.audits).toContainEqual({
        options: expect.objectContaining({
          eventId: 'application-auto-sync-pause',
          meta: expect.objectContaining({
            name: 'acme-web-dev',
            reason: 'incident INC-42',
          }),
        }),
        outcome: expect.objectContaining({ status: 'succeeded' }),
      });
      expect(events.map(e => e.eventId)).toContain(
        'application-auto-sync-resume',
      );
      const recorded = JSON.stringify(h.audits);
      for (const secret of h.secrets) expect(recorded).not.toContain(secret);
    });

    it('stops showing a pause once someone turns auto-sync back on in Argo CD', async () => {
      await request(h.server)
        .post(`${appPath('acme-web-dev')}/auto-sync/pause`)
        .set(as(users.alice))
        .send({ reason: 'INC-7' })
        .expect(200);
      h.fake.updateApplication('acme-web-dev', a => {
        a.spec.syncPolicy!.automated!.enabled = true;
      });
      await eventually(async () => {
        const listed = await request(h.server)
          .get(entityApps)
          .set(as(users.alice));
        const app = listed.body.items.find(
          (a: { name: string }) => a.name === 'acme-web-dev',
        );
        return app.autoSyncPause === undefined && app.syncPolicy !== 'manual';
      });
      const res = await request(h.server)
        .post(`${appPath('acme-web-dev')}/auto-sync/resume`)
        .set(as(users.alice));
      expect(res.status).toBe(409);
      expect(res.body.error.message).toBe(
        'Auto-sync of acme-web-dev is not paused.',
      );
    });

    it('refuses to pause an app without automated sync, and to pause without a reason', async () => {
      const manual = await request(h.server)
        .post(`${appPath('acme-web-prod')}/auto-sync/pause`)
        .set(as(users.alice))
        .send({ reason: 'INC-1' });
      expect(manual.status).toBe(409);
      expect(manual.body.error.message).toContain(
        'has no automated sync policy',
      );
      for (const body of [{}, { reason: '   ' }, { reason: 'x'.repeat(501) }]) {
        const res = await request(h.server)
          .post(`${appPath('acme-web-dev')}/auto-sync/pause`)
          .set(as(users.alice))
          .send(body);
        expect(res.status).toBe(400);
      }
      expect(patches(h)).toEqual([]);
    });

    it.each([
      [
        'an ApplicationSet',
        {
          ownerReferences: [
            {
              apiVersion: 'argoproj.io/v1alpha1',
              kind: 'ApplicationSet',
              name: 'acme-services',
              uid: '5b0a4c5e-0000-4000-8000-000000000001',
            },
          ],
        },
        'the ApplicationSet acme-services generates it and would turn auto-sync back on',
      ],
      [
        'a parent application',
        {
          annotations: {
            'argocd.argoproj.io/tracking-id':
              'acme-apps:argoproj.io/Application:argocd/acme-web-dev',
          },
        },
        'its parent application acme-apps deploys it from Git',
      ],
    ])(
      'refuses with 409 naming the owner when %s manages the app, and sends no patch',
      async (_, metadata, message) => {
        h.fake.updateApplication('acme-web-dev', a => {
          Object.assign(a.metadata, metadata);
        });
        for (const verb of ['pause', 'resume']) {
          const res = await request(h.server)
            .post(`${appPath('acme-web-dev')}/auto-sync/${verb}`)
            .set(as(users.alice))
            .send(verb === 'pause' ? { reason: 'INC-9' } : undefined);
          expect(res.status).toBe(409);
          expect(res.body.error.message).toContain(message);
        }
        expect(patches(h)).toEqual([]);
      },
    );

    it("answers 404 for another tenant's app, and nothing reaches Argo CD", async () => {
      h.fake.clearRequests();
      for (const verb of ['pause', 'resume']) {
        const res = await request(h.server)
          .post(`${appPath('acme-web-dev')}/auto-sync/${verb}`)
          .set(as(users.bob))
          .send(verb === 'pause' ? { reason: 'INC-1' } : undefined);
        expect(res.status).toBe(404);
      }
      expect(
        h.fake.requests.filter(r => r.path.includes('acme-web-dev')),
      ).toEqual([]);
      expect(
        h.fake.getApplication('acme-web-dev')!.spec.syncPolicy?.automated
          ?.enabled,
      ).toBeUndefined();
    });
  });

  describe('without gitops.application.automation', () => {
    beforeEach(async () => {
      const permissions = mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(r => ({
            result:
              r.permission.name === 'gitops.application.automation'
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })),
        authorizeConditional: async requests =>
          requests.map(() => ({ result: AuthorizeResult.ALLOW })),
      });
      h = await startHarness({ permissions });
    });

    it('refuses with 403, sends no patch and audits the refusal', async () => {
      const res = await request(h.server)
        .post(`${appPath('acme-web-dev')}/auto-sync/pause`)
        .set(as(users.alice))
        .send({ reason: 'INC-42' });
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
      expect(patches(h)).toEqual([]);
      expect(h.audits).toContainEqual({
        options: expect.objectContaining({
          eventId: 'application-auto-sync-pause',
        }),
        outcome: expect.objectContaining({ status: 'failed' }),
      });
    });
  });
});
