import request from 'supertest';
import {
  type World,
  kustomization,
  startGitOperationsWorld,
  users,
  app,
  as,
} from './__testUtils__/gitOperationsWorld';
import { compareSemver } from '@kupe/plugin-gitops-common';

// Real git over real repositories (and HTTP): seconds per test on a loaded machine.
jest.setTimeout(60_000);

const overlay = (env: string) =>
  `apps/acme-web/overlays/${env}/kustomization.yaml`;

describe('compareSemver', () => {
  it('orders by SemVer 2.0.0 precedence, a leading v allowed, and tells non-semver apart', () => {
    expect(compareSemver('1.3.0', '1.4.0')).toBe(-1);
    expect(compareSemver('1.10.0', '1.9.0')).toBe(1);
    expect(compareSemver('v2.0.0', '2.0.0')).toBe(0);
    expect(compareSemver('2.0.0-rc.1', '2.0.0')).toBe(-1);
    expect(compareSemver('2.0.0-rc.2', '2.0.0-rc.10')).toBe(-1);
    expect(compareSemver('2.0.0-alpha', '2.0.0-alpha.1')).toBe(-1);
    expect(compareSemver('1.0.0+build.5', '1.0.0+build.1')).toBe(0);
    expect(compareSemver('sha-abc', '1.0.0')).toBeUndefined();
    expect(compareSemver('1.4', '1.3.0')).toBeUndefined();
  });
});

describe('direction of a promotion', () => {
  let w: World;
  beforeEach(async () => {
    w = await startGitOperationsWorld({ github: true });
  });
  afterEach(() => w.stop());

  /** Argo CD records a deployment of `sha` for `name`; waits until the portal sees it. */
  const deploy = async (name: string, sha: string) => {
    w.fake.updateApplication(name, a => {
      const history = a.status!.history ?? [];
      history.push({
        id: 100 + history.length,
        revision: sha,
        deployedAt: new Date().toISOString(),
        source: a.spec.source,
      });
      a.status!.history = history;
      a.status!.sync = { ...a.status!.sync, status: 'Synced', revision: sha };
    });
    for (let i = 0; i < 100; i++) {
      const res = await request(w.server)
        .get(`${app(name)}/promotion`)
        .set(as(users.alice));
      if (res.body.version?.revision === sha) return;
      await new Promise(r => setTimeout(r, 50));
    }
    throw new Error(`${name} never showed ${sha} as deployed`);
  };

  it('marks a semver downgrade, refuses it without allowDowngrade and names it, opens it with the confirmation', async () => {
    // Production moved on to 1.4.0 by a hotfix; staging still runs 1.3.0.
    await w.commit('Hotfix prod to 1.4.0', {
      [overlay('prod')]: kustomization('1.4.0'),
    });
    const preview = await request(w.server)
      .get(`${app('acme-web-staging')}/promotion`)
      .set(as(users.alice));
    expect(preview.body.error?.message).toBeUndefined();
    expect(preview.status).toBe(200);
    expect(preview.body.promotable).toBe(true);
    expect(preview.body.changes).toEqual([
      { name: 'registry.acme.example/acme-web', from: '1.4.0', to: '1.3.0' },
    ]);
    expect(preview.body.downgrades).toEqual([
      {
        kind: 'image',
        name: 'registry.acme.example/acme-web',
        from: '1.4.0',
        to: '1.3.0',
        basis: 'semver',
      },
    ]);

    const refused = await request(w.server)
      .post(`${app('acme-web-staging')}/promote`)
      .set(as(users.alice))
      .send({});
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(
      'would move acme-web-prod (production) backwards: registry.acme.example/acme-web 1.4.0 → 1.3.0',
    );
    expect(refused.body.error.message).toContain('allowDowngrade: true');
    const pulls = () =>
      w.github!.fake.listPullRequests(
        'carol',
        'acme',
        'gitops',
        new URLSearchParams({ state: 'all' }),
      );
    expect((await pulls()).items).toHaveLength(0);

    const bad = await request(w.server)
      .post(`${app('acme-web-staging')}/promote`)
      .set(as(users.alice))
      .send({ allowDowngrade: 'yes' });
    expect(bad.status).toBe(400);

    const confirmed = await request(w.server)
      .post(`${app('acme-web-staging')}/promote`)
      .set(as(users.alice))
      .send({ allowDowngrade: true });
    expect(confirmed.status).toBe(200);
    const [pull] = (await pulls()).items as Array<{
      title: string;
      body: string;
    }>;
    expect(pull.title).toMatch(/^Downgrade /);
    expect(pull.body).toContain(
      `Downgrade confirmed by ${users.alice}: registry.acme.example/acme-web 1.4.0 → 1.3.0`,
    );
  });

  it('an upgrade has no downgrades and needs no confirmation', async () => {
    const preview = await request(w.server)
      .get(`${app('acme-web-staging')}/promotion`)
      .set(as(users.alice));
    expect(preview.body.changes).toEqual([
      { name: 'registry.acme.example/acme-web', from: '1.2.0', to: '1.3.0' },
    ]);
    expect(preview.body.downgrades).toEqual([]);
    const res = await request(w.server)
      .post(`${app('acme-web-staging')}/promote`)
      .set(as(users.alice))
      .send({});
    expect(res.status).toBe(200);
  });

  it('orders tags that are not semver by the commits that first wrote them', async () => {
    const older = await w.commit('Build sha-0a1b2c3 everywhere below prod', {
      [overlay('dev')]: kustomization('sha-0a1b2c3'),
      [overlay('staging')]: kustomization('sha-0a1b2c3'),
    });
    const newer = await w.commit(
      'Build sha-ff00ee1 to dev and hotfix prod with it',
      {
        [overlay('dev')]: kustomization('sha-ff00ee1'),
        [overlay('prod')]: kustomization('sha-ff00ee1'),
      },
    );
    await deploy('acme-web-staging', older);
    const preview = await request(w.server)
      .get(`${app('acme-web-staging')}/promotion`)
      .set(as(users.alice));
    expect(preview.body.downgrades).toEqual([
      expect.objectContaining({
        kind: 'image',
        from: 'sha-ff00ee1',
        to: 'sha-0a1b2c3',
        basis: 'commit-order',
        toCommit: older,
      }),
    ]);
    // Dev still runs 1.5.0, written before staging's build: promoting it goes backwards too.
    const stale = await request(w.server)
      .get(`${app('acme-web-dev')}/promotion`)
      .set(as(users.alice));
    expect(stale.body.downgrades).toEqual([
      expect.objectContaining({
        from: 'sha-0a1b2c3',
        to: '1.5.0',
        basis: 'commit-order',
      }),
    ]);
    // Once dev runs the newer build, promoting it into staging is forwards.
    await deploy('acme-web-dev', newer);
    const dev = await request(w.server)
      .get(`${app('acme-web-dev')}/promotion`)
      .set(as(users.alice));
    expect(dev.body.changes).toEqual([
      expect.objectContaining({ from: 'sha-0a1b2c3', to: 'sha-ff00ee1' }),
    ]);
    expect(dev.body.downgrades).toEqual([]);
  });
});
