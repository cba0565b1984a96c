import request from 'supertest';
import {
  type World,
  startGitOperationsWorld,
  users,
  app,
  as,
} from './__testUtils__/gitOperationsWorld';

// Real git over real repositories: seconds per request on a loaded machine.
jest.setTimeout(120_000);

const QUARANTINES =
  '/api/gitops/entities/default/component/acme-web/quarantines';

/**
 * Every Git path that would deploy a quarantined version refuses it with the reason: the
 * promotion preview (not promotable), the promotion (409), and rollback by revert (its plan
 * and the revert, 409), the version read from the app's files at the revision.
 */
describe('quarantined versions in promotions and reverts', () => {
  let w: World;
  beforeAll(async () => {
    w = await startGitOperationsWorld();
  });
  afterAll(() => w.stop());

  const quarantine = async (version: string, reason: string) => {
    const res = await request(w.server)
      .post(QUARANTINES)
      .set(as(users.alice))
      .send({ version, reason });
    expect([res.status, res.body.version]).toEqual([200, version]);
    return res.body.id as string;
  };
  const lift = async (id: string) => {
    const res = await request(w.server)
      .post(`${QUARANTINES}/${id}/lift`)
      .set(as(users.alice))
      .send({ reason: 'fixed' });
    expect(res.status).toBe(200);
  };

  it('refuses to promote the version dev runs once it is quarantined, and allows it again once lifted', async () => {
    // acme-web-dev runs 1.5.0 (c4); staging runs 1.3.0.
    const before = await request(w.server)
      .get(`${app('acme-web-dev')}/promotion`)
      .set(as(users.alice));
    expect([before.status, before.body.promotable]).toEqual([200, true]);

    const id = await quarantine('1.5.0', 'leaks memory under load');
    const preview = await request(w.server)
      .get(`${app('acme-web-dev')}/promotion`)
      .set(as(users.alice));
    expect(preview.status).toBe(200);
    expect(preview.body.promotable).toBe(false);
    expect(preview.body.reason).toMatch(
      /^Promotion refused: 1\.5\.0 of acme-web is quarantined \(by user:default\/alice, \d{4}-\d\d-\d\d\): leaks memory under load$/,
    );

    const promote = await request(w.server)
      .post(`${app('acme-web-dev')}/promote`)
      .set(as(users.alice))
      .send({});
    expect(promote.status).toBe(409);
    expect(promote.body.error.message).toMatch(
      /Promotion refused: 1\.5\.0 of acme-web .*leaks memory under load/,
    );

    await lift(id);
    const after = await request(w.server)
      .get(`${app('acme-web-dev')}/promotion`)
      .set(as(users.alice));
    expect(after.body.promotable).toBe(true);
  });

  it('refuses a revert whose revision holds the quarantined version, by what the files hold', async () => {
    const [c1] = w.shas;
    // c1's dev overlay pins 1.3.0.
    const id = await quarantine('1.3.0', 'corrupts sessions');
    const plan = await request(w.server)
      .get(`${app('acme-web-dev')}/revert-plan?toRevision=${c1}`)
      .set(as(users.alice));
    expect(plan.status).toBe(409);
    expect(plan.body.error.message).toMatch(
      new RegExp(
        `^Rolling acme-web-dev back to ${c1.slice(
          0,
          7,
        )} refused: 1\\.3\\.0 of acme-web is quarantined .*: corrupts sessions$`,
      ),
    );
    const revert = await request(w.server)
      .post(`${app('acme-web-dev')}/revert`)
      .set(as(users.alice))
      .send({ toRevision: c1, directCommit: true });
    expect(revert.status).toBe(409);
    // Nothing was committed.
    expect((await w.git(['rev-parse', 'refs/heads/main'])).trim()).toBe(
      w.shas[w.shas.length - 1],
    );
    await lift(id);
    const allowed = await request(w.server)
      .get(`${app('acme-web-dev')}/revert-plan?toRevision=${c1}`)
      .set(as(users.alice));
    expect(allowed.status).toBe(200);
  });
});
