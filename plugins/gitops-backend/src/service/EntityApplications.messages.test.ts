import { mockCredentials } from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
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

describe('what an entity’s applications response tells a person', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h?.stop());

  it('says the entity belongs to a tenant the caller is not in, and nothing of its apps', async () => {
    const res = await request(h.server).get(ACME_WEB).set(as(users.bob));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [],
      errors: [],
      withheld: { reason: 'not-a-member', tenant: 'acme' },
    });
    // nothing about the apps: no name, instance, cluster or count
    expect(res.text).not.toMatch(/acme-web-|main|second|acme-dev/);
  });

  it('withholds nothing from a member or an admin', async () => {
    for (const user of [users.alice, users.root]) {
      const res = await request(h.server).get(ACME_WEB).set(as(user));
      expect(res.body.withheld).toBeUndefined();
      expect(res.body.items.length).toBeGreaterThan(0);
    }
  });

  it('names an unreachable instance in words, with since when, never the socket error', async () => {
    await request(h.server).get(ACME_WEB).set(as(users.alice)).expect(200);
    const before = Date.now();
    h.fake.failStreams(14, 'connect ECONNREFUSED 127.0.0.1:7008');
    h.fake.close();
    const outage = setupServer(
      http.all('http://argocd.test/*', () => HttpResponse.error()),
    );
    outage.listen({ onUnhandledRequest: 'bypass' });
    try {
      await new Promise(r => setTimeout(r, 600));
      const res = await request(h.server).get(ACME_WEB).set(as(users.alice));
      expect(res.body.errors).toEqual([
        {
          instance: 'main',
          message:
            'Its applications show their last known state; sync and health may have changed since.',
          since: expect.any(String),
        },
      ]);
      const since = Date.parse(res.body.errors[0].since);
      expect(since).toBeLessThanOrEqual(Date.now());
      expect(since).toBeGreaterThan(before - 60_000);
      expect(res.text).not.toMatch(/ECONNREFUSED|Failed to fetch|127\.0\.0\.1/);
    } finally {
      outage.close();
    }
  });
});
