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

const ENVIRONMENTS = ['acme-web-dev', 'acme-web-staging', 'acme-web-prod'];

describe('Argo CD reads of an app the requests of a page share', () => {
  let w: World;
  beforeAll(async () => {
    w = await startGitOperationsWorld();
  });
  afterAll(() => w.stop());

  /** Argo CD's reads of each app (`GET` of it, of its sync windows) since `from`. */
  const readsSince = (from: number) => {
    const counts: Record<string, number> = {};
    for (const r of w.fake.requests.slice(from)) {
      const match = /^\/api\/v1\/applications\/([^/]+)(\/syncwindows)?$/.exec(
        r.path,
      );
      if (r.method !== 'GET' || !match) continue;
      const key = `${match[1]}${match[2] ?? ''}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  };

  /** What the GitOps tab asks as it opens: every app's detail and promotion preview at once. */
  const openTab = () =>
    Promise.all(
      ENVIRONMENTS.flatMap(name => [
        request(w.server).get(app(name)).set(as(users.alice)),
        request(w.server)
          .get(`${app(name)}/promotion`)
          .set(as(users.alice)),
      ]),
    );

  it('reads each app from Argo CD once when a tab opens', async () => {
    const from = w.fake.requests.length;
    const answers = await openTab();
    expect(answers.map(a => a.status)).toEqual(Array(6).fill(200));
    // The previews read the apps their details read: 8 app reads without sharing (3 details,
    // the previews' 3 apps and 2 next apps). Sync windows depend on the project and the hour,
    // not on the app alone: each detail and each preview's next app reads its own.
    expect(readsSince(from)).toEqual({
      'acme-web-dev': 1,
      'acme-web-staging': 1,
      'acme-web-prod': 1,
      'acme-web-dev/syncwindows': 1,
      'acme-web-staging/syncwindows': 2,
      'acme-web-prod/syncwindows': 2,
    });
    // Each answer is what it is without sharing: the details name their apps, dev's preview
    // the next environment and its windows.
    expect(answers[0].body.summary.name).toBe('acme-web-dev');
    expect(answers[1].body.next.application.name).toBe('acme-web-staging');
    expect(answers[1].body.next.syncWindows).toEqual(
      answers[2].body.syncWindows,
    );
  });

  it('reads Argo CD again after a write through the portal, a change the index heard of, or a while', async () => {
    await openTab();
    // Within the while, unchanged: shared.
    let from = w.fake.requests.length;
    await request(w.server).get(app('acme-web-dev')).set(as(users.alice));
    expect(readsSince(from)).toEqual({ 'acme-web-dev/syncwindows': 1 });

    // A write to the app (a refresh) drops its read; the other apps' stay.
    const refreshed = await request(w.server)
      .post(`${app('acme-web-dev')}/refresh`)
      .set(as(users.alice))
      .send({});
    expect(refreshed.status).toBeLessThan(300);
    from = w.fake.requests.length;
    await request(w.server).get(app('acme-web-dev')).set(as(users.alice));
    await request(w.server).get(app('acme-web-staging')).set(as(users.alice));
    expect(readsSince(from)).toEqual({
      'acme-web-dev': 1,
      'acme-web-dev/syncwindows': 1,
      'acme-web-staging/syncwindows': 1,
    });

    // A change Argo CD's watch brings (here: staging's health) gives the index a new record
    // of the app: the page that reloads on it reads Argo CD, and shows the change.
    w.fake.updateApplication('acme-web-staging', a => {
      a.status!.health = { status: 'Degraded', message: 'probe failed' };
    });
    const changed = await waitForDetail('acme-web-staging', body =>
      body.summary.health.status === 'Degraded' ? body : undefined,
    );
    expect(changed.summary.health.message).toBe('probe failed');

    // After the while, another read.
    await new Promise(resolve => setTimeout(resolve, 2_100));
    from = w.fake.requests.length;
    await request(w.server).get(app('acme-web-prod')).set(as(users.alice));
    expect(readsSince(from)['acme-web-prod']).toBe(1);
  });

  it('never serves one tenant’s read to another: the gate answers first', async () => {
    await openTab();
    const from = w.fake.requests.length;
    const res = await request(w.server)
      .get(app('acme-web-dev'))
      .set(as(users.bob));
    expect(res.status).toBe(404);
    expect(readsSince(from)).toEqual({});
  });

  async function waitForDetail<T>(
    name: string,
    check: (body: any) => T | undefined,
  ): Promise<T> {
    for (let i = 0; i < 200; i++) {
      const res = await request(w.server).get(app(name)).set(as(users.alice));
      const found = res.status === 200 ? check(res.body) : undefined;
      if (found) return found;
      await new Promise(resolve => setTimeout(resolve, 25));
    }
    throw new Error(`${name}'s detail never showed the change`);
  }
});
