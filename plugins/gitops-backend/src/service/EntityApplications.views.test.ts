import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import {
  type Harness,
  users,
  startHarness,
} from '../__testUtils__/gitopsBackend';

const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});
const ACME_WEB = '/api/gitops/entities/default/component/acme-web/applications';
const QUARANTINES =
  '/api/gitops/entities/default/component/acme-web/quarantines';

const healthOf = (body: any, name: string) =>
  body.items.find((i: { name: string }) => i.name === name)?.health.status;

// A user's view of an entity is reused for 5 s (EntityViewCache): these check what must
// never be reused.
describe('a user’s reused view of an entity’s applications', () => {
  let h: Harness | undefined;
  afterEach(async () => h?.stop());

  it('shows an app’s change at once, however recently the view was computed', async () => {
    h = await startHarness();
    const before = await request(h.server).get(ACME_WEB).set(as(users.alice));
    expect(healthOf(before.body, 'acme-web-dev')).toBe('Healthy');
    // The quarantine banner's scope is the same view: computed by the list above.
    await request(h.server).get(QUARANTINES).set(as(users.alice));

    h.fake.updateApplication('acme-web-dev', app => {
      app.status!.health = { status: 'Degraded', message: 'crash loop' };
    });
    // Well inside the 5 s reuse: only the index change can make the new health show.
    const deadline = Date.now() + 2_000;
    let health;
    do {
      await new Promise(r => setTimeout(r, 20));
      const res = await request(h.server).get(ACME_WEB).set(as(users.alice));
      health = healthOf(res.body, 'acme-web-dev');
    } while (health !== 'Degraded' && Date.now() < deadline);
    expect(health).toBe('Degraded');
  });

  it('never serves one user’s permission-checked answer to another', async () => {
    // Both see acme's apps by tenant (alice a member, root an admin); the policy lets only
    // alice read them.
    const permissions = mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(() => ({ result: AuthorizeResult.ALLOW })),
      authorizeConditional: async (requests, options) =>
        requests.map(() => ({
          result:
            (options.credentials.principal as { userEntityRef?: string })
              .userEntityRef === users.alice
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        })),
    });
    h = await startHarness({ permissions });
    const alice = await request(h.server).get(ACME_WEB).set(as(users.alice));
    const root = await request(h.server).get(ACME_WEB).set(as(users.root));
    const aliceAgain = await request(h.server)
      .get(ACME_WEB)
      .set(as(users.alice));
    expect(alice.body.items.length).toBeGreaterThan(0);
    expect(root.body).toEqual({ items: [], errors: [], runningQuarantines: 0 });
    expect(aliceAgain.body.items).toEqual(alice.body.items);
  });
});
