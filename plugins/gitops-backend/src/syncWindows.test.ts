import { mockCredentials } from '@backstage/backend-test-utils';
import type { SyncWindow } from '@kupe/plugin-gitops-node';
import request from 'supertest';
import {
  type Harness,
  users,
  startHarness,
} from './__testUtils__/gitopsBackend';

const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});
const DETAIL = '/api/gitops/instances/main/applications';

/** Always open: a fire every minute, each lasting an hour. */
const freeze: SyncWindow = {
  kind: 'deny',
  schedule: '* * * * *',
  duration: '1h',
  clusters: ['globex-prod'],
  description: 'Change freeze',
};

function setGlobexWindows(h: Harness, syncWindows: SyncWindow[]) {
  const project = h.fake.getProject('tenant-globex')!;
  h.fake.putProject({ ...project, spec: { ...project.spec, syncWindows } });
}

describe('sync windows', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.stop());

  it("shows in the detail whether the app may sync, and which windows apply, through the tenant's scope", async () => {
    // Closed until next New Year's midnight (UTC).
    const newYear = {
      kind: 'deny',
      schedule: '0 0 1 1 *',
      duration: '1m',
      namespaces: ['*'],
      description: 'New Year',
      manualSync: true,
    };
    setGlobexWindows(h, [freeze, newYear]);
    h.fake.clearRequests();
    const prod = await request(h.server)
      .get(`${DETAIL}/globex-shop-prod`)
      .set(as(users.bob));
    expect(prod.status).toBe(200);
    const freezeSummary = {
      kind: 'deny',
      schedule: '* * * * *',
      duration: '1h',
      manualSync: false,
      description: 'Change freeze',
      active: true,
    };
    const now = new Date();
    expect(prod.body.syncWindows).toEqual({
      canSync: false,
      assigned: [
        freezeSummary,
        {
          kind: 'deny',
          schedule: '0 0 1 1 *',
          duration: '1m',
          manualSync: true,
          description: 'New Year',
          active: false,
          nextStart: `${now.getUTCFullYear() + 1}-01-01T00:00:00Z`,
        },
      ],
      active: [freezeSummary],
    });
    const windowCalls = h.fake.requests.filter(
      r =>
        r.path.endsWith('/syncwindows') ||
        r.path.startsWith('/api/v1/projects/'),
    );
    expect(windowCalls.map(r => `${r.path}?${r.search}`)).toEqual([
      '/api/v1/applications/globex-shop-prod/syncwindows?project=tenant-globex&appNamespace=argocd',
      '/api/v1/projects/tenant-globex?',
    ]);
    for (const r of windowCalls) {
      expect(r.subject).toBe('proj:tenant-globex:backstage');
    }

    // The dev app is on another cluster: only the New Year window applies, and it is closed.
    const dev = await request(h.server)
      .get(`${DETAIL}/globex-shop-dev`)
      .set(as(users.bob));
    expect(dev.body.syncWindows).toMatchObject({
      canSync: true,
      active: [],
      assigned: [{ description: 'New Year', active: false }],
    });
  });

  it('answers a sync blocked by a window with 409 naming the window, audited as failed', async () => {
    setGlobexWindows(h, [freeze]);
    const res = await request(h.server)
      .post(`${DETAIL}/globex-shop-prod/sync`)
      .set(as(users.bob))
      .send({});
    expect(res.status).toBe(409);
    expect(res.body.error.name).toBe('ConflictError');
    expect(res.body.error.message).toBe(
      'Sync of "globex-shop-prod" is blocked by a sync window: deny window "Change freeze" (* * * * *, 1h) is open',
    );
    expect(
      h.fake.getApplication('globex-shop-prod')?.operation,
    ).toBeUndefined();
    expect(h.audits).toContainEqual({
      options: expect.objectContaining({ eventId: 'application-sync' }),
      outcome: expect.objectContaining({ status: 'failed' }),
    });
    // Outside the freeze's cluster nothing is blocked.
    await request(h.server)
      .post(`${DETAIL}/globex-shop-dev/sync`)
      .set(as(users.bob))
      .send({})
      .expect(200);
  });

  it('names the closed allow windows and when the next opens', async () => {
    setGlobexWindows(h, [
      {
        kind: 'allow',
        schedule: '0 0 1 1 *',
        duration: '1m',
        applications: ['globex-shop-*'],
        timeZone: 'Europe/Berlin',
      },
    ]);
    const res = await request(h.server)
      .post(`${DETAIL}/globex-shop-dev/sync`)
      .set(as(users.bob))
      .send({ dryRun: true });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(
      /^Sync of "globex-shop-dev" is blocked by a sync window: no allow window is open \(allow window \(0 0 1 1 \*, 1m Europe\/Berlin\)\); the next opens at \d{4}-12-31T2[23]:00:00Z$/,
    );
  });

  it('lets a manual sync through a deny window with manualSync, and says so', async () => {
    setGlobexWindows(h, [{ ...freeze, manualSync: true }]);
    const detail = await request(h.server)
      .get(`${DETAIL}/globex-shop-prod`)
      .set(as(users.bob));
    expect(detail.body.syncWindows).toMatchObject({
      canSync: true,
      active: [{ description: 'Change freeze', manualSync: true }],
    });
    await request(h.server)
      .post(`${DETAIL}/globex-shop-prod/sync`)
      .set(as(users.bob))
      .send({})
      .expect(200);
  });

  it('keeps the detail when the windows cannot be read, reporting them unknown', async () => {
    setGlobexWindows(h, [{ ...freeze, duration: '1d' }]);
    const detail = await request(h.server)
      .get(`${DETAIL}/globex-shop-prod`)
      .set(as(users.bob));
    expect(detail.status).toBe(200);
    expect(detail.body.summary.name).toBe('globex-shop-prod');
    expect(detail.body.syncWindows).toEqual({
      assigned: [],
      active: [],
      error: expect.stringMatching(
        /^Argo CD main: invalid sync windows: .*cannot parse duration '1d'/,
      ),
    });
    const sync = await request(h.server)
      .post(`${DETAIL}/globex-shop-prod/sync`)
      .set(as(users.bob))
      .send({});
    expect(sync.status).toBe(409);
    expect(sync.body.error.message).toMatch(
      /^Sync of "globex-shop-prod" is refused: the sync windows of project tenant-globex are invalid/,
    );
  });

  it("answers 404 for another tenant's app before any upstream call", async () => {
    setGlobexWindows(h, [freeze]);
    h.fake.clearRequests();
    await request(h.server)
      .get(`${DETAIL}/globex-shop-prod`)
      .set(as(users.alice))
      .expect(404);
    await request(h.server)
      .post(`${DETAIL}/globex-shop-prod/sync`)
      .set(as(users.alice))
      .send({})
      .expect(404);
    expect(
      h.fake.requests.filter(
        r => r.path.includes('globex') || r.path.startsWith('/api/v1/projects'),
      ),
    ).toEqual([]);
  });
});
