import { mockCredentials } from '@backstage/backend-test-utils';
import type { RolloutsResponse } from '@kupe/plugin-gitops-common';
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

const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});
const ROLLOUTS =
  '/api/gitops/instances/main/applications/acme-web-dev/rollouts';

// Every answer of the route is checked against the OpenAPI document the wire types come from.
const spec = parse(
  fs.readFileSync(path.join(__dirname, '../schema/openapi.yaml'), 'utf8'),
);
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema({ components: spec.components }, 'openapi');
type DocumentedResponse = {
  $ref?: string;
  content?: Record<string, { schema: { $ref: string } }>;
};
const documented: Record<string, DocumentedResponse> =
  spec.paths['/instances/{instance}/applications/{name}/rollouts'].get
    .responses;
function expectDocumented(status: number, body: unknown) {
  let response = documented[String(status)];
  expect(response).toBeDefined();
  if (response.$ref)
    response = spec.components.responses[response.$ref.split('/').pop()!];
  const schema = response.content!['application/json'].schema;
  const validate = ajv.getSchema(`openapi${schema.$ref}`)!;
  validate(body);
  expect(validate.errors ?? []).toEqual([]);
}

async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 8_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise(r => setTimeout(r, 25));
  }
}

describe('rollout validation through the plugin', () => {
  let h: Harness;
  jest.setTimeout(30_000);

  beforeEach(async () => {
    h = await startHarness({
      validation: {
        bakeTime: { default: '1s' },
        tickInterval: '20ms',
        // The follower may see the Degraded record first (it scans in bursts).
        degradedGrace: '100ms',
      },
    });
  });
  afterEach(async () => h.stop());

  const rollouts = async (user = users.alice) => {
    const res = await request(h.server).get(ROLLOUTS).set(as(user)).expect(200);
    expectDocumented(200, res.body);
    return res.body as RolloutsResponse;
  };

  const sync = () =>
    request(h.server)
      .post('/api/gitops/instances/main/applications/acme-web-dev/sync')
      .set(as(users.alice))
      .send({})
      .expect(200);

  it('follows a sync to passed, shown to its tenant and 404 to others', async () => {
    await sync();
    const body = await eventually(
      rollouts,
      b => b.items[0]?.outcome === 'passed',
    );
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      instance: 'main',
      appNamespace: 'argocd',
      name: 'acme-web-dev',
      environment: 'dev',
      outcome: 'passed',
      bakeTimeMs: 1_000,
    });
    expect(body.items[0].timeToHealthyMs).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(body)).not.toMatch(/key|tenant|notified/);

    // Another tenant: the same 404 as an app that does not exist.
    const bob = await request(h.server).get(ROLLOUTS).set(as(users.bob));
    expect(bob.status).toBe(404);
    expectDocumented(404, bob.body);
    const missing = await request(h.server)
      .get('/api/gitops/instances/main/applications/nope/rollouts')
      .set(as(users.bob));
    expect(missing.status).toBe(404);
    expect(bob.body.error.message.replace('acme-web-dev', 'nope')).toBe(
      missing.body.error.message,
    );
    // Admins see it; bad names are a 400 before anything else.
    expect((await rollouts(users.root)).items).toHaveLength(1);
    await request(h.server)
      .get('/api/gitops/instances/main/applications/Bad_Name/rollouts')
      .set(as(users.alice))
      .expect(400)
      .then(res => expectDocumented(400, res.body));
  });

  it('fails a rollout that turns Degraded within the bake time and notifies the owning group', async () => {
    // A bake time no loaded machine outlasts between the sync's end and the Degraded update.
    await h.stop();
    h = await startHarness({
      validation: {
        bakeTime: { default: '10m' },
        tickInterval: '20ms',
        degradedGrace: '100ms',
      },
    });
    await sync();
    await eventually(
      async () => h.fake.getApplication('acme-web-dev'),
      app => app?.status?.operationState?.phase === 'Succeeded',
    );
    h.fake.updateApplication('acme-web-dev', app => {
      app.status!.health = {
        status: 'Degraded',
        message: 'Back-off pulling image "ghcr.io/acme/web:broken"',
      };
    });
    const body = await eventually(
      rollouts,
      b => b.items[0]?.outcome === 'failed',
    );
    expect(body.items[0]).toMatchObject({
      outcome: 'failed',
      reason: 'Degraded: Back-off pulling image "ghcr.io/acme/web:broken"',
    });
    await eventually(
      async () => h.notifications.length,
      n => n > 0,
    );
    expect(h.notifications).toHaveLength(1);
    // The fixture's `sneaky` (an acme entity) names acme-web-dev exactly, and exact names win
    // over the kubernetes-id label, as in search links; its owner is acme-team too.
    expect(h.notifications[0]).toMatchObject({
      recipients: { type: 'entity', entityRef: ['group:default/acme-team'] },
      payload: {
        title: 'sneaky dev rollout failed: Degraded',
        severity: 'high',
        link: '/catalog/default/component/sneaky/gitops?application=main%3Aargocd%2Facme-web-dev',
      },
    });
    const sent = JSON.stringify(h.notifications);
    for (const secret of h.secrets) expect(sent).not.toContain(secret);
  });
});
