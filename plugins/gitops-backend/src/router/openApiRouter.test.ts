import { mockCredentials } from '@backstage/backend-test-utils';
import express from 'express';
import request from 'supertest';
import {
  type Harness,
  startHarness,
  users,
} from '../__testUtils__/gitopsBackend';
import { spec } from '../schema/openapi';
import { createGitOpsApiRouter } from './openApiRouter';

const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});

describe('the generated router validates every request against openapi.yaml', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.stop());

  const SYNC = '/api/gitops/instances/main/applications/acme-web-prod/sync';

  it.each([
    [
      'an unknown body field',
      { dryRun: true, extra: 1 },
      /body\.extra: unknown field/,
    ],
    ['a wrongly typed field', { prune: 'yes' }, /body\.prune: must be boolean/],
    [
      'a bad nested field',
      { resources: [{ kind: '', name: 'web' }] },
      /body\.resources\.0\.kind: must NOT have fewer than 1 characters/,
    ],
    [
      'a revision git could read as an option',
      { revision: '--upload-pack=evil' },
      /body\.revision: must match pattern/,
    ],
  ])('answers 400 naming the field for %s', async (_, body, message) => {
    h.fake.clearRequests();
    const res = await request(h.server)
      .post(SYNC)
      .set(as(users.alice))
      .send(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ name: 'InputError' });
    expect(res.body.error.message).toMatch(message);
    // Nothing about the app reached Argo CD (the index's own listing and watch may run).
    expect(
      h.fake.requests.filter(r => r.path.includes('acme-web-prod')),
    ).toHaveLength(0);
  });

  it('names a missing required field, an unknown query parameter and a path parameter too long', async () => {
    const rollback = await request(h.server)
      .post('/api/gitops/instances/main/applications/acme-web-prod/rollback')
      .set(as(users.alice))
      .send({});
    expect(rollback.status).toBe(400);
    expect(rollback.body.error.message).toMatch(
      /body\.id: must have required property 'id'/,
    );
    const query = await request(h.server)
      .get('/api/gitops/instances/main/applications/acme-web-prod?project=x')
      .set(as(users.alice));
    expect(query.status).toBe(400);
    expect(query.body.error.message).toMatch(/project/);
    const long = await request(h.server)
      .get(`/api/gitops/instances/main/applications/${'a'.repeat(254)}`)
      .set(as(users.alice));
    expect(long.status).toBe(400);
    expect(long.body.error.message).toMatch(
      /params\.name: must NOT have more than 253 characters/,
    );
  });

  it('takes a request without a body as {}, refuses non-JSON bodies with 415, and answers 404 off the document', async () => {
    const none = await request(h.server)
      .post(SYNC.replace('/sync', '/refresh'))
      .set(as(users.alice));
    expect(none.status).toBe(200);
    const text = await request(h.server)
      .post(SYNC)
      .set(as(users.alice))
      .set('Content-Type', 'text/plain')
      .send('dryRun=true');
    expect(text.status).toBe(415);
    expect(text.body.error.name).toBe('UnsupportedMediaTypeError');
    for (const route of ['/nothing', '/instances/main/applications']) {
      const res = await request(h.server)
        .get(`/api/gitops${route}`)
        .set(as(users.alice));
      expect(res.status).toBe(404);
    }
  });

  it('parses JSON bodies up to 64 KB: malformed JSON is a 400, a bigger body a 413; a GET needs none', async () => {
    const malformed = await request(h.server)
      .post(SYNC)
      .set(as(users.alice))
      .set('Content-Type', 'application/json')
      .send('{"dryRun": tru');
    expect(malformed.status).toBe(400);
    const big = await request(h.server)
      .post(SYNC)
      .set(as(users.alice))
      .send({ dryRun: true, padding: 'x'.repeat(65 * 1024) });
    expect(big.status).toBe(413);
    // A GET, as the card sends it (no body) and with an empty one: the same answer.
    const list = '/api/gitops/entities/default/component/acme-web/applications';
    const plain = await request(h.server).get(list).set(as(users.alice));
    const empty = await request(h.server)
      .get(list)
      .set(as(users.alice))
      .set('Content-Length', '0');
    expect([plain.status, empty.status]).toEqual([200, 200]);
    expect(plain.body.items.length).toBeGreaterThan(0);
    expect(empty.body.items).toEqual(plain.body.items);
    // A body on a GET is still read as one: JSON only.
    const textBody = await request(h.server)
      .get(list)
      .set(as(users.alice))
      .set('Content-Type', 'text/plain')
      .send('x');
    expect(textBody.status).toBe(415);
  });

  it('serves the document it validates against', async () => {
    const res = await request(h.server)
      .get('/api/gitops/openapi.json')
      .set(as(users.alice));
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths).sort()).toEqual(
      Object.keys(spec.paths)
        .map(p => `/api/gitops${p}`)
        .sort(),
    );
  });
});

describe('createGitOpsApiRouter', () => {
  it('runs the first middleware in front of everything, a body that fails parsing too', async () => {
    const seen: string[] = [];
    const { router } = await createGitOpsApiRouter({
      first: (req, _res, next) => {
        seen.push(`${req.method} ${req.path}`);
        next();
      },
    });
    const app = express().use(router);
    await request(app)
      .post('/instances/main/applications/web/sync')
      .set('content-type', 'text/plain')
      .send('not json');
    await request(app).get('/nowhere');
    expect(seen).toEqual([
      'POST /instances/main/applications/web/sync',
      'GET /nowhere',
    ]);
  });
});
