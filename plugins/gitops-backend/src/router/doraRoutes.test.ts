import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { DoraResponse } from '@kupe/plugin-gitops-common';
import type { SimpleController } from '@kupe/plugin-gitops-node-test-utils';
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
const ENTITY = '/api/gitops/entities/default/component/acme-web/dora';
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const spec = parse(
  fs.readFileSync(path.join(__dirname, '../schema/openapi.yaml'), 'utf8'),
);
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addFormat('date-time', true);
ajv.addSchema({ components: spec.components }, 'openapi');
function expectDoraResponse(body: unknown) {
  const validate = ajv.getSchema('openapi#/components/schemas/DoraResponse')!;
  validate(body);
  expect(validate.errors ?? []).toEqual([]);
}

const sha = (c: string) => c.repeat(40);
const rfc3339 = (t: number) => `${new Date(t).toISOString().slice(0, 19)}Z`;

describe('DORA routes', () => {
  let h: Harness;
  jest.setTimeout(30_000);
  const now = Date.now();

  beforeAll(async () => {
    h = await startHarness();
    // acme-web-prod's known history: c1 and c2, then c3 rolled back to c2 an hour later.
    const commits = (h.fake.controller as SimpleController).commits;
    const steps: Array<[string, number, number, string]> = [
      // revision, committed (ago), deployed (ago), message
      [sha('1'), 3 * DAY, 3 * DAY - 45 * MIN, 'Add acme-web'],
      [sha('2'), 2 * DAY, 2 * DAY - 20 * MIN, 'Tune acme-web'],
      [sha('3'), 20 * HOUR, 19 * HOUR + 30 * MIN, 'Promote acme-web 1.4.0'],
      [sha('2'), 2 * DAY, 18 * HOUR + 30 * MIN, 'Tune acme-web'],
    ];
    for (const [revision, committed, , message] of steps) {
      commits.set(revision, {
        author: 'Alice <alice@acme.example>',
        date: rfc3339(now - committed),
        message,
      });
    }
    h.fake.updateApplication('acme-web-prod', app => {
      app.status!.history = steps.map(([revision, , deployed], id) => ({
        id,
        revision,
        deployStartedAt: rfc3339(now - deployed - 2_000),
        deployedAt: rfc3339(now - deployed),
        source: app.spec.source,
        initiatedBy: { username: 'alice@acme.example' },
      }));
    });
  });
  afterAll(async () => h?.stop());

  const get = async (url: string, user: string, status = 200) => {
    const res = await request(h.server).get(url).set(as(user));
    expect([url, res.status, res.status === status || res.body]).toEqual([
      url,
      status,
      true,
    ]);
    return res.body;
  };

  it("computes the entity's figures from its production history", async () => {
    const body: DoraResponse = await get(`${ENTITY}?days=30`, users.alice);
    expectDoraResponse(body);
    expect(body.days).toBe(30);
    expect(
      body.deployments.map(d => [d.app, d.revision?.[0], d.kind, d.outcome]),
    ).toEqual([
      ['acme-web-prod', '1', 'change', 'succeeded'],
      ['acme-web-prod', '2', 'change', 'succeeded'],
      ['acme-web-prod', '3', 'change', 'failed'],
      ['acme-web-prod', '2', 'restore', 'succeeded'],
    ]);
    // 2 changes that did not fail in 30 days: 2 * 7 / 30 per week.
    expect(body.deploymentFrequency.value).toBeCloseTo((2 * 7) / 30, 10);
    expect(body.deploymentFrequency.count).toBe(2);
    // Lead times 45, 20 and 30 min (commit to deployed; no Healthy recorded): median 30.
    expect(body.leadTime).toMatchObject({ value: 30 * MIN, count: 3 });
    // c3 rolled back: 1 failed of 3 changes.
    expect(body.changeFailureRate).toMatchObject({ value: 1 / 3, count: 3 });
    expect(body.deployments[2].failure).toEqual({
      cause: 'rolled-back',
      detail: 'rolled back to 2222222',
    });
    // c3 deployed 19 h 30 min ago, c2 back 18 h 30 min ago: 60 min.
    expect(body.timeToRestore).toMatchObject({ value: 60 * MIN, count: 1 });
    // Nothing was followed by the rollout validation: said so.
    expect(body.unknown.join(' ')).toMatch(
      /4 of 4 deployments were not followed/,
    );
  });

  it('counts a production deployment of a quarantined release as a failed change, until it is lifted', async () => {
    const quarantine = await request(h.server)
      .post('/api/gitops/entities/default/component/acme-web/quarantines')
      .set(as(users.alice))
      .send({ version: sha('1'), reason: 'corrupts the cache' })
      .expect(200);
    const body: DoraResponse = await get(`${ENTITY}?days=30`, users.alice);
    expectDoraResponse(body);
    expect(body.deployments[0]).toMatchObject({
      revision: sha('1'),
      outcome: 'failed',
      failure: {
        cause: 'quarantine',
        detail: 'quarantined: corrupts the cache',
      },
    });
    // c1 quarantined and c3 rolled back: 2 failed of 3 changes.
    expect(body.changeFailureRate).toMatchObject({ value: 2 / 3, count: 3 });

    await request(h.server)
      .post(
        `/api/gitops/entities/default/component/acme-web/quarantines/${quarantine.body.id}/lift`,
      )
      .set(as(users.alice))
      .send({ reason: 'the cache bug was elsewhere' })
      .expect(200);
    const lifted: DoraResponse = await get(`${ENTITY}?days=30`, users.alice);
    expect(lifted.changeFailureRate).toMatchObject({ value: 1 / 3, count: 3 });
  });

  it('a period before the history finds nothing', async () => {
    const query = new URLSearchParams({
      from: new Date(now - 10 * DAY).toISOString(),
      to: new Date(now - 4 * DAY).toISOString(),
    });
    const body: DoraResponse = await get(`${ENTITY}?${query}`, users.alice);
    expect(body.deployments).toEqual([]);
    expect(body.leadTime.value).toBeUndefined();
    expect(body.buckets).toHaveLength(6);
  });

  it('refuses a bad period', async () => {
    const bad: Array<Record<string, string>> = [
      { days: '0' },
      { days: '367' },
      { days: '7', from: '2026-01-01T00:00:00Z' },
      { from: '2026-03-01T00:00:00Z', to: '2026-02-01T00:00:00Z' },
      { from: '2024-01-01T00:00:00Z', to: '2025-01-02T00:00:00Z' },
      { from: new Date(now - DAY).toISOString(), to: '2999-01-01T00:00:00Z' },
      { from: 'yesterday' },
    ];
    for (const params of bad) {
      const query = new URLSearchParams(params).toString();
      const res = await request(h.server)
        .get(`${ENTITY}?${query}`)
        .set(as(users.alice));
      expect([query, res.status]).toEqual([query, 400]);
      expect(res.body.error.message).not.toMatch(/url encoded/);
    }
  });

  it('gives bob nothing of acme', async () => {
    const body: DoraResponse = await get(ENTITY, users.bob);
    expectDoraResponse(body);
    expect(body.deployments).toEqual([]);
    expect(JSON.stringify(body)).not.toMatch(/acme-web-prod|1111111/);

    // The tenant page: acme is as unknown to bob as a tenant that does not exist.
    const acme = await get('/api/gitops/tenants/acme/dora', users.bob, 404);
    const none = await get('/api/gitops/tenants/nope/dora', users.bob, 404);
    expect(acme.error.message.replace('acme', 'nope')).toBe(none.error.message);
    const globex: DoraResponse = await get(
      '/api/gitops/tenants/globex/dora',
      users.bob,
    );
    expect(globex.deployments.every(d => d.app.startsWith('globex-'))).toBe(
      true,
    );
    await get('/api/gitops/tenants/globex/dora', users.alice, 404);
    await get('/api/gitops/tenants/Bad_Name/dora', users.alice, 400);
  });

  it("shows a tenant's figures to its members and to the platform team", async () => {
    for (const user of [users.alice, users.root]) {
      const body: DoraResponse = await get(
        '/api/gitops/tenants/acme/dora?days=7',
        user,
      );
      expectDoraResponse(body);
      const apps = new Set(body.deployments.map(d => d.app));
      expect(apps.has('acme-web-prod')).toBe(true);
      expect([...apps].every(a => a.startsWith('acme-'))).toBe(true);
      expect(body.changeFailureRate.value).toBeGreaterThan(0);
    }
  });
});

describe('DORA routes without gitops.metrics.read', () => {
  let h: Harness;
  jest.setTimeout(30_000);
  beforeAll(async () => {
    h = await startHarness({
      permissions: mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(r => ({
            result:
              r.permission.name === 'gitops.metrics.read'
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })),
        authorizeConditional: async requests =>
          requests.map(() => ({ result: AuthorizeResult.ALLOW })),
      }),
    });
  });
  afterAll(async () => h?.stop());

  it('answers 403 to a member, still 404 outside the tenant', async () => {
    for (const url of [ENTITY, '/api/gitops/tenants/acme/dora']) {
      const res = await request(h.server).get(url).set(as(users.alice));
      expect([url, res.status]).toEqual([url, 403]);
    }
    await request(h.server)
      .get('/api/gitops/tenants/acme/dora')
      .set(as(users.bob))
      .expect(404);
  });
});

describe('DORA routes with the rollout follower', () => {
  let h: Harness;
  jest.setTimeout(30_000);
  beforeAll(async () => {
    h = await startHarness({
      validation: {
        bakeTime: { default: '1s', production: '1s' },
        tickInterval: '20ms',
        degradedGrace: '100ms',
      },
    });
  });
  afterAll(async () => h?.stop());

  it("counts a sync through the portal with the follower's validation and Healthy time", async () => {
    await request(h.server)
      .post('/api/gitops/instances/main/applications/acme-web-prod/sync')
      .set(as(users.alice))
      .send({})
      .expect(200);
    const deadline = Date.now() + 15_000;
    let newest: DoraResponse['deployments'][number] | undefined;
    while (Date.now() < deadline) {
      const res = await request(h.server)
        .get(`${ENTITY}?days=1`)
        .set(as(users.alice))
        .expect(200);
      expectDoraResponse(res.body);
      newest = (res.body as DoraResponse).deployments.at(-1);
      if (newest?.validation === 'passed') break;
      await new Promise(r => setTimeout(r, 50));
    }
    expect(newest).toMatchObject({
      app: 'acme-web-prod',
      validation: 'passed',
      outcome: 'succeeded',
    });
    expect(Date.parse(newest!.healthyAt!)).toBeGreaterThanOrEqual(
      Date.parse(newest!.deployedAt) - 1_000,
    );
  });
});
