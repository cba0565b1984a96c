import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ROLLOUT_HASHES,
  type SimpleController,
  buildAnalysisRun,
  buildRollout,
  buildRolloutReplicaSet,
} from '@kupe/plugin-gitops-node-test-utils';
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
const actionPath = (app: string, action: string) =>
  `${appPath(app)}/argo-rollouts/acme-web/acme-web/${action}`;

/** acme-web-dev (and -prod) deploy a canary paused at its manual promotion step. */
function seedCanary(h: Harness, app = 'acme-web-dev') {
  const controller = h.fake.controller as SimpleController;
  controller.putLiveObject(
    app,
    buildRollout({
      name: 'acme-web',
      namespace: 'acme-web',
      image: 'registry.acme.test/web:2.0.0',
      step: 4,
      paused: true,
      analysisRun: { name: 'acme-web-6c4f9b8d7-2-3', status: 'Successful' },
    }),
    { status: 'Suspended', message: 'CanaryPauseStep' },
  );
  controller.putLiveObject(
    app,
    buildRolloutReplicaSet(
      'acme-web',
      'acme-web',
      ROLLOUT_HASHES.stable,
      'registry.acme.test/web:1.0.0',
    ),
    { status: 'Healthy' },
  );
  controller.putLiveObject(
    app,
    buildRolloutReplicaSet(
      'acme-web',
      'acme-web',
      ROLLOUT_HASHES.canary,
      'registry.acme.test/web:2.0.0',
    ),
    { status: 'Healthy' },
  );
  controller.putLiveObject(
    app,
    buildAnalysisRun(
      'acme-web',
      'acme-web',
      'acme-web-6c4f9b8d7-2-3',
      'Successful',
    ),
    { status: 'Healthy', message: 'Run Terminated' },
  );
}

describe('Argo Rollouts routes', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  describe('with an allow-all policy', () => {
    beforeEach(async () => {
      h = await startHarness();
      seedCanary(h);
    });

    it('reads the Rollouts of the app: strategy, step, weight, versions, analysis and actions', async () => {
      const res = await request(h.server)
        .get(`${appPath('acme-web-dev')}/argo-rollouts`)
        .set(as(users.alice));
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([
        expect.objectContaining({
          namespace: 'acme-web',
          name: 'acme-web',
          strategy: 'canary',
          phase: 'Paused',
          currentStep: 4,
          weight: 50,
          paused: true,
          pauseReason: 'CanaryPauseStep',
          aborted: false,
          stable: {
            podTemplateHash: ROLLOUT_HASHES.stable,
            images: ['registry.acme.test/web:1.0.0'],
          },
          canary: {
            podTemplateHash: ROLLOUT_HASHES.canary,
            images: ['registry.acme.test/web:2.0.0'],
          },
          analysisRuns: [
            {
              name: 'acme-web-6c4f9b8d7-2-3',
              phase: 'Successful',
              message: 'Run Terminated',
            },
          ],
          actions: ['promote', 'promote-full', 'abort'],
        }),
      ]);
      expect(
        res.body.items[0].steps.map((s: { text: string }) => s.text),
      ).toEqual([
        'Set weight 20%',
        'Pause 10s',
        'Set weight 50%',
        'Analysis success-rate',
        'Pause until promoted',
        'Set weight 100%',
      ]);
    });

    it("promotes through Argo CD's resume action and audits who did it", async () => {
      const res = await request(h.server)
        .post(actionPath('acme-web-dev', 'promote'))
        .set(as(users.alice));
      expect(res.status).toBe(200);
      const run = h.fake.requests.find(r =>
        r.path.endsWith('/resource/actions/v2'),
      );
      expect(run?.subject).toBe('proj:tenant-acme:backstage');
      expect(res.body).toMatchObject({ paused: false });
      expect(h.audits).toContainEqual({
        options: expect.objectContaining({
          eventId: 'application-rollout-action',
          severityLevel: 'medium',
          meta: expect.objectContaining({
            action: 'promote',
            rollout: 'acme-web/acme-web',
            name: 'acme-web-dev',
          }),
        }),
        outcome: expect.objectContaining({ status: 'succeeded' }),
      });
    });

    it('aborts, then refuses a second abort with 409 before reaching Argo CD', async () => {
      await request(h.server)
        .post(actionPath('acme-web-dev', 'abort'))
        .set(as(users.alice))
        .expect(200);
      h.fake.clearRequests();
      const again = await request(h.server)
        .post(actionPath('acme-web-dev', 'abort'))
        .set(as(users.alice));
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(
        /^Rollout acme-web cannot be aborted now: it is aborted/,
      );
      expect(
        h.fake.requests.filter(r => r.path.endsWith('/resource/actions/v2')),
      ).toEqual([]);
    });

    it('answers 404 for a Rollout the app does not have', async () => {
      const res = await request(h.server)
        .post(`${appPath('acme-web-dev')}/argo-rollouts/acme-web/other/abort`)
        .set(as(users.alice));
      expect(res.status).toBe(404);
    });

    it.each(['GET', 'promote', 'promote-full', 'abort', 'retry'])(
      "answers bob 404 for acme's app (%s) and nothing reaches Argo CD",
      async action => {
        h.fake.clearRequests();
        const res =
          action === 'GET'
            ? await request(h.server)
                .get(`${appPath('acme-web-dev')}/argo-rollouts`)
                .set(as(users.bob))
            : await request(h.server)
                .post(actionPath('acme-web-dev', action))
                .set(as(users.bob));
        expect(res.status).toBe(404);
        expect(
          h.fake.requests
            .map(r => r.path)
            .filter(p => p.includes('/acme-web-dev/')),
        ).toEqual([]);
      },
    );
  });

  describe('with the portal policy keeping promotions in production to the platform team', () => {
    beforeEach(async () => {
      const production = [
        'gitops.rollout.promote',
        'gitops.rollout.promote-full',
      ];
      const permissions = mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(r => ({
            result:
              production.includes(r.permission.name) &&
              'resourceRef' in r &&
              String(r.resourceRef).endsWith('-prod')
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })),
        authorizeConditional: async requests =>
          requests.map(() => ({ result: AuthorizeResult.ALLOW })),
      });
      h = await startHarness({ permissions });
      seedCanary(h, 'acme-web-prod');
    });

    it.each(['promote', 'promote-full'])(
      'refuses %s in production with 403 and nothing reaches Argo CD',
      async action => {
        h.fake.clearRequests();
        const res = await request(h.server)
          .post(actionPath('acme-web-prod', action))
          .set(as(users.alice));
        expect(res.status).toBe(403);
        expect(res.body.error.message).toBe(
          `Not allowed to ${action} application "acme-web-prod"`,
        );
        expect(
          h.fake.requests
            .map(r => r.path)
            .filter(p => p.includes('/acme-web-prod/')),
        ).toEqual([]);
      },
    );

    it('lets a member abort in production', async () => {
      const res = await request(h.server)
        .post(actionPath('acme-web-prod', 'abort'))
        .set(as(users.alice));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ aborted: true });
    });
  });
});
