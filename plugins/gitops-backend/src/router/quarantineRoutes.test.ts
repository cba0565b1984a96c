import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Quarantine } from '@kupe/plugin-gitops-common';
import Ajv from 'ajv';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import {
  type Harness,
  startHarness,
  users,
} from '../__testUtils__/gitopsBackend';

/** Retries `check` until it passes or 5 s have gone by (the notification is sent in the background). */
async function eventually(check: () => void) {
  const until = Date.now() + 5_000;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  }
}

const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});
const ENTITY = '/api/gitops/entities/default/component/acme-web/quarantines';
const APP = '/api/gitops/instances/main/applications';

const spec = parse(
  fs.readFileSync(path.join(__dirname, '../schema/openapi.yaml'), 'utf8'),
);
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema({ components: spec.components }, 'openapi');
function expectSchema(name: string, body: unknown) {
  const validate = ajv.getSchema(`openapi#/components/schemas/${name}`)!;
  validate(body);
  expect(validate.errors ?? []).toEqual([]);
}

describe('quarantine routes', () => {
  let h: Harness;
  jest.setTimeout(60_000);

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.stop());

  const send = async (
    method: 'get' | 'post',
    url: string,
    user: string,
    status: number,
    body?: object,
  ) => {
    const req = request(h.server)[method](url).set(as(user));
    const res = await (body ? req.send(body) : req);
    expect([url, res.status, res.status === status || res.body]).toEqual([
      url,
      status,
      true,
    ]);
    return res.body;
  };

  const APPLICATIONS =
    '/api/gitops/entities/default/component/acme-web/applications';
  /** What the entity's list and its event stream tell the banner. */
  const runningQuarantines = async (user: string) =>
    (await send('get', APPLICATIONS, user, 200)).runningQuarantines;

  it('quarantines a version, says where it runs, notifies the owners and audits it', async () => {
    expect(await runningQuarantines(users.alice)).toBe(0);
    // Again, now answered from the shared reading of the active quarantines (it has none of
    // the entity): the quarantine added next still counts on the view after it.
    expect(await runningQuarantines(users.alice)).toBe(0);
    const q: Quarantine = await send('post', ENTITY, users.alice, 200, {
      version: '1.0.0',
      reason: 'leaks memory',
    });
    expectSchema('Quarantine', q);
    expect(q).toMatchObject({
      tenant: 'acme',
      entityRef: 'component:default/acme-web',
      version: '1.0.0',
      reason: 'leaks memory',
      createdBy: users.alice,
      active: true,
    });
    // Every acme-web app runs registry.example.com/acme-web:1.0.0, on both instances.
    expect(q.runningIn.map(a => a.name).sort()).toEqual([
      'acme-web-dev',
      'acme-web-prod',
      'acme-web-staging',
    ]);
    await eventually(() =>
      expect(h.notifications).toContainEqual(
        expect.objectContaining({
          recipients: {
            type: 'entity',
            entityRef: ['group:default/acme-team'],
          },
          payload: expect.objectContaining({
            title: expect.stringMatching(
              /^acme-web 1\.0\.0 is quarantined and still runs in /,
            ),
            severity: 'high',
          }),
        }),
      ),
    );
    const audit = h.audits.find(
      a => (a.options as { eventId: string }).eventId === 'release-quarantine',
    );
    expect(audit).toMatchObject({
      options: {
        severityLevel: 'high',
        meta: { version: '1.0.0', reason: 'leaks memory' },
      },
      outcome: { status: 'succeeded' },
    });
    expect(JSON.stringify(h.audits)).not.toMatch(
      new RegExp(h.secrets.join('|')),
    );

    await send('post', ENTITY, users.alice, 409, {
      version: '1.0.0',
      reason: 'again',
    });
    const list = await send('get', ENTITY, users.alice, 200);
    expectSchema('QuarantinesResponse', list);
    expect(list.items.map((i: Quarantine) => i.id)).toEqual([q.id]);
    // The list tells the banner there is one to show.
    expect(await runningQuarantines(users.alice)).toBe(1);
  });

  it('answers 404 to another tenant, for the entity and the tenant alike', async () => {
    const [q] = (await send('get', ENTITY, users.alice, 200)).items;
    await send('get', ENTITY, users.bob, 404);
    await send('post', ENTITY, users.bob, 404, { version: 'x', reason: 'y' });
    await send('post', `${ENTITY}/${q.id}/lift`, users.bob, 404, {
      reason: 'mine now',
    });
    await send('get', '/api/gitops/tenants/acme/quarantines', users.bob, 404);
    // An id of acme-web's under globex-shop: not found either.
    await send(
      'post',
      `/api/gitops/entities/default/component/globex-shop/quarantines/${q.id}/lift`,
      users.bob,
      404,
      { reason: 'y' },
    );
    const tenant = await send(
      'get',
      '/api/gitops/tenants/acme/quarantines',
      users.root,
      200,
    );
    expectSchema('QuarantinesResponse', tenant);
    expect(tenant.items.map((i: Quarantine) => i.version)).toEqual(['1.0.0']);
  });

  it('tells the search collator, a service, which apps run a quarantined version; users get 403', async () => {
    const res = await request(h.server)
      .get('/api/gitops/quarantines/running')
      .set({ Authorization: mockCredentials.service.header() });
    expect(res.status).toBe(200);
    expectSchema('RunningQuarantinesResponse', res.body);
    expect(
      res.body.items.map((i: { name: string; version: string }) => [
        i.name,
        i.version,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['acme-web-dev', '1.0.0'],
        ['acme-web-prod', '1.0.0'],
        ['acme-web-staging', '1.0.0'],
      ]),
    );
    await send('get', '/api/gitops/quarantines/running', users.alice, 403);
  });

  it('refuses an Argo CD rollback to a history entry that deployed a quarantined revision', async () => {
    const detail = await send('get', `${APP}/acme-web-prod`, users.alice, 200);
    const first = detail.history.find((e: { id: number }) => e.id === 0);
    const q = await send('post', ENTITY, users.alice, 200, {
      version: first.revision.slice(0, 7),
      reason: 'corrupts the cache',
    });
    const refused = await send(
      'post',
      `${APP}/acme-web-prod/rollback`,
      users.alice,
      409,
      { id: 0 },
    );
    expect(refused.error.message).toMatch(
      /Rolling acme-web-prod back to history entry 0 refused: .* is quarantined \(by user:default\/alice, .*\): corrupts the cache/,
    );
    // Its history entry is flagged on the list.
    const list = await send('get', ENTITY, users.alice, 200);
    const flagged = list.items.find((i: Quarantine) => i.id === q.id);
    expect(flagged.deployedIn).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'acme-web-prod', historyId: 0 }),
      ]),
    );
    await send('post', `${ENTITY}/${q.id}/lift`, users.alice, 200, {
      reason: 'cache fixed',
    });
  });

  it('lifts with who and why, audited; lifted ones list on request', async () => {
    const [q] = (await send('get', ENTITY, users.alice, 200)).items;
    const lifted = await send(
      'post',
      `${ENTITY}/${q.id}/lift`,
      users.alice,
      200,
      {
        reason: 'false alarm',
      },
    );
    expectSchema('Quarantine', lifted);
    expect(lifted).toMatchObject({
      active: false,
      liftedBy: users.alice,
      liftReason: 'false alarm',
      runningIn: [],
    });
    await send('post', `${ENTITY}/${q.id}/lift`, users.alice, 409, {
      reason: 'again',
    });
    expect(
      h.audits.filter(
        a =>
          (a.options as { eventId: string }).eventId ===
          'release-quarantine-lift',
      ),
    ).toContainEqual(
      expect.objectContaining({
        options: expect.objectContaining({
          meta: expect.objectContaining({ reason: 'false alarm' }),
        }),
        outcome: expect.objectContaining({ status: 'succeeded' }),
      }),
    );
    expect((await send('get', ENTITY, users.alice, 200)).items).toEqual([]);
    expect(await runningQuarantines(users.alice)).toBe(0);
    const all = await send(
      'get',
      `${ENTITY}?includeLifted=true`,
      users.alice,
      200,
    );
    expect(all.items.map((i: Quarantine) => i.id)).toContain(q.id);
  });

  it('validates the version', async () => {
    const bad = await send('post', ENTITY, users.alice, 400, {
      version: '../main',
      reason: 'x',
    });
    expect(bad.error.message).toMatch(/body\.version: must match pattern/);
    const missing = await send('post', ENTITY, users.alice, 400, {
      version: '1.0.0',
    });
    expect(missing.error.message).toMatch(/reason/);
  });
});

describe('quarantine routes without gitops.release.quarantine', () => {
  let h: Harness;
  jest.setTimeout(60_000);

  beforeAll(async () => {
    const permissions = mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(r => ({
          result:
            r.permission.name === 'gitops.release.quarantine'
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        })),
      authorizeConditional: async requests =>
        requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    });
    h = await startHarness({ permissions });
  });
  afterAll(async () => h?.stop());

  it('refuses to quarantine with 403 and audits the refusal', async () => {
    const res = await request(h.server)
      .post(ENTITY)
      .set(as(users.alice))
      .send({ version: '1.0.0', reason: 'x' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(
      /gitops\.release\.quarantine|quarantine application/,
    );
    expect(h.audits).toContainEqual(
      expect.objectContaining({
        outcome: expect.objectContaining({ status: 'failed' }),
      }),
    );
    const list = await request(h.server).get(ENTITY).set(as(users.alice));
    expect([list.status, list.body.items]).toEqual([200, []]);
  });
});
