import { waitFor } from '@kupe/plugin-gitops-node-test-utils';
import request from 'supertest';
import {
  type World,
  startGitOperationsWorld,
  users,
  app,
  as,
} from './__testUtils__/gitOperationsWorld';

// Real git over real repositories: seconds per test on a loaded machine.
jest.setTimeout(60_000);

/** Makes an app look as Argo CD reports one that never synced: no history, Missing. */
async function neverSynced(w: World, name: string) {
  w.fake.updateApplication(name, a => {
    a.status = {
      sync: { status: 'OutOfSync', revision: a.status?.sync?.revision },
      health: { status: 'Missing' },
      summary: {},
    };
  });
  // The backend's index follows the watch stream.
  await waitFor(`${name} to show as never synced`, async () => {
    const res = await request(w.server).get(app(name)).set(as(users.alice));
    return res.body.summary?.health?.status === 'Missing' || undefined;
  });
}

describe('promotion previews of never-deployed environments', () => {
  let w: World;
  beforeEach(async () => {
    w = await startGitOperationsWorld();
  });
  afterEach(() => w.stop());

  it('does not claim the branch head runs in a next environment that never synced', async () => {
    const head = (await w.git(['rev-parse', 'refs/heads/main'])).trim();
    await neverSynced(w, 'acme-web-staging');
    const res = await request(w.server)
      .get(`${app('acme-web-dev')}/promotion`)
      .set(as(users.alice));
    expect(res.status).toBe(200);
    expect(res.body.next.version).toEqual({
      layout: 'kustomize',
      images: [],
      label: 'never deployed',
      files: ['apps/acme-web/overlays/staging/kustomization.yaml'],
    });
    expect(res.body.next.version.revision).not.toBe(head);
    // Promoting into it still edits its files at the head, and nothing can be a downgrade.
    expect(res.body.promotable).toBe(true);
    expect(res.body.downgrades).toEqual([]);
    expect(res.body.files).toEqual([
      'apps/acme-web/overlays/staging/kustomization.yaml',
    ]);
  });

  it('has nothing to promote from an environment that never synced', async () => {
    await neverSynced(w, 'acme-web-dev');
    const res = await request(w.server)
      .get(`${app('acme-web-dev')}/promotion`)
      .set(as(users.alice));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      promotable: false,
      reason:
        'acme-web-dev has never been deployed: there is no running version to promote',
      version: { label: 'never deployed', images: [] },
    });
  });
});
