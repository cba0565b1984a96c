import {
  type DeploymentInput,
  computeDoraFigures,
  median,
} from './doraFigures';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-11-01T00:00:00Z');

const web = { instance: 'main', appNamespace: 'argocd', app: 'web-prod' };
const api = { instance: 'main', appNamespace: 'argocd', app: 'api-prod' };

/**
 * A known production history over the 14 days from T0 (times from T0):
 *
 * web-prod
 *   w0  day -3      rev a  (before the period: only context for the rollback below)
 *   w1  day 1 10:00 rev b  committed 09:00, Healthy 10:10          change, ok, lead 70 min
 *   w2  day 2 12:00 rev c  committed 11:40, validation failed      change, FAILED, lead 20 min
 *   w3  day 2 13:00 rev b  (Argo CD rollback, Healthy 13:05)        restore: ends w2's incident
 *   w4  day 3 09:00 rev b  re-sync                                  redeploy
 *   w5  day 8 15:00 rev d  commit time unknown                      change, ok, no lead time
 * api-prod
 *   p1  day 4 08:00 rev x  committed day 4 06:00                    change, ok, lead 120 min
 *   p2  day 9 08:00 rev y  committed 07:30, no follower record      change, FAILED (reverted)
 *   p3  day 9 11:00 rev z  "Revert ..." committed 10:55             restore: ends p2's incident
 *   p4  day 13 20:00 rev v committed 19:00, validation in-progress  change, pending, lead 60 min
 */
const history: DeploymentInput[] = [
  { ...web, revision: 'a', deployedAt: T0 - 3 * DAY },
  {
    ...web,
    revision: 'b',
    deployedAt: T0 + 1 * DAY + 10 * HOUR,
    healthyAt: T0 + 1 * DAY + 10 * HOUR + 10 * MIN,
    committedAt: T0 + 1 * DAY + 9 * HOUR,
    validation: 'passed',
  },
  {
    ...web,
    revision: 'c',
    deployedAt: T0 + 2 * DAY + 12 * HOUR,
    committedAt: T0 + 2 * DAY + 11 * HOUR + 40 * MIN,
    validation: 'failed',
    validationReason: 'Degraded: web is CrashLoopBackOff',
  },
  {
    ...web,
    revision: 'b',
    deployedAt: T0 + 2 * DAY + 13 * HOUR,
    healthyAt: T0 + 2 * DAY + 13 * HOUR + 5 * MIN,
    committedAt: T0 + 1 * DAY + 9 * HOUR,
  },
  { ...web, revision: 'b', deployedAt: T0 + 3 * DAY + 9 * HOUR },
  { ...web, revision: 'd', deployedAt: T0 + 8 * DAY + 15 * HOUR },
  {
    ...api,
    revision: 'x',
    deployedAt: T0 + 4 * DAY + 8 * HOUR,
    committedAt: T0 + 4 * DAY + 6 * HOUR,
  },
  {
    ...api,
    revision: 'y',
    deployedAt: T0 + 9 * DAY + 8 * HOUR,
    committedAt: T0 + 9 * DAY + 7 * HOUR + 30 * MIN,
  },
  {
    ...api,
    revision: 'z',
    deployedAt: T0 + 9 * DAY + 11 * HOUR,
    committedAt: T0 + 9 * DAY + 10 * HOUR + 55 * MIN,
    commitMessage: 'Revert "Bump api to y"',
  },
  {
    ...api,
    revision: 'v',
    deployedAt: T0 + 13 * DAY + 20 * HOUR,
    committedAt: T0 + 13 * DAY + 19 * HOUR,
    validation: 'in-progress',
  },
];

describe('computeDoraFigures on a known history', () => {
  const figures = computeDoraFigures(history, {
    from: T0,
    to: T0 + 14 * DAY,
  });

  it('classifies each deployment', () => {
    expect(
      figures.deployments.map(d => [d.app, d.revision, d.kind, d.outcome]),
    ).toEqual([
      ['web-prod', 'b', 'change', 'succeeded'],
      ['web-prod', 'c', 'change', 'failed'],
      ['web-prod', 'b', 'restore', 'succeeded'],
      ['web-prod', 'b', 'redeploy', 'succeeded'],
      ['api-prod', 'x', 'change', 'succeeded'],
      ['web-prod', 'd', 'change', 'succeeded'],
      ['api-prod', 'y', 'change', 'failed'],
      ['api-prod', 'z', 'restore', 'succeeded'],
      ['api-prod', 'v', 'change', 'pending'],
    ]);
    const failures = figures.deployments
      .filter(d => d.failure)
      .map(d => [d.revision, d.failure]);
    expect(failures).toEqual([
      [
        'c',
        { cause: 'validation', detail: 'Degraded: web is CrashLoopBackOff' },
      ],
      ['y', { cause: 'reverted', detail: 'reverted by z' }],
    ]);
  });

  it('deployment frequency: changes that did not fail', () => {
    // Changes in the period: b, c, d, x, y, v. Failed: c, y. Pending: v. Succeeded: b, d, x = 3.
    // 3 / 14 days = 0.2142857 per day; x 7 = 1.5 per week.
    expect(figures.deploymentFrequency.count).toBe(3);
    expect(figures.deploymentFrequency.perDay).toBeCloseTo(3 / 14, 10);
    expect(figures.deploymentFrequency.perWeek).toBeCloseTo(1.5, 10);
  });

  it('lead time: median of commit to Healthy (or deployed) over changes', () => {
    // b: Healthy 10:10 - committed 09:00 = 70 min; c: deployed 12:00 - 11:40 = 20 min;
    // x: 08:00 - 06:00 = 120 min; y: 08:00 - 07:30 = 30 min; v: 20:00 - 19:00 = 60 min;
    // d has no commit time. Sorted 20, 30, 60, 70, 120: median 60 min, 5 measured, 1 not.
    expect(figures.leadTime).toEqual({
      medianMs: 60 * MIN,
      measured: 5,
      unmeasured: 1,
    });
  });

  it('change failure rate: failed among decided changes', () => {
    // Decided changes: b, c, d, x, y (v pending) = 5; failed c and y = 2; 2 / 5 = 0.4.
    expect(figures.changeFailureRate).toEqual({
      rate: 0.4,
      failed: 2,
      decided: 5,
    });
  });

  it('time to restore: failed deployment to the next one that did not fail', () => {
    // web: c deployed day 2 12:00, restore b Healthy 13:05 = 65 min.
    // api: y deployed day 9 08:00, revert z deployed 11:00 (no Healthy time) = 180 min.
    // Median of 65 and 180 = (65 + 180) / 2 = 122.5 min.
    expect(figures.timeToRestore).toEqual({
      medianMs: 122.5 * MIN,
      restored: 2,
      unrestored: 0,
    });
    expect(figures.incidents.map(i => i.timeToRestoreMs)).toEqual([
      65 * MIN,
      180 * MIN,
    ]);
  });

  it('charts daily bars of changes and failures', () => {
    // 14 daily bars; changes on days 1 (b), 2 (c, failed), 4 (x), 8 (d), 9 (y, failed), 13 (v).
    expect(figures.buckets).toHaveLength(14);
    const bars = figures.buckets.map(b => `${b.deployments}/${b.failures}`);
    expect(bars).toEqual([
      '0/0',
      '1/0',
      '1/1',
      '0/0',
      '1/0',
      '0/0',
      '0/0',
      '0/0',
      '1/0',
      '1/1',
      '0/0',
      '0/0',
      '0/0',
      '1/0',
    ]);
  });
});

describe('computeDoraFigures edge cases', () => {
  it('says nothing is known of an empty history', () => {
    const figures = computeDoraFigures([], { from: T0, to: T0 + 7 * DAY });
    expect(figures.deploymentFrequency).toEqual({
      count: 0,
      perDay: 0,
      perWeek: 0,
    });
    expect(figures.leadTime.medianMs).toBeUndefined();
    expect(figures.changeFailureRate.rate).toBeUndefined();
    expect(figures.timeToRestore.medianMs).toBeUndefined();
  });

  it('counts a quarantined version as a failure, and an incident not yet restored', () => {
    const figures = computeDoraFigures(
      [
        { ...web, revision: 'a', deployedAt: T0 + HOUR },
        {
          ...web,
          revision: 'b',
          deployedAt: T0 + 2 * HOUR,
          quarantine: { reason: 'leaks memory' },
        },
      ],
      { from: T0, to: T0 + DAY },
    );
    expect(figures.changeFailureRate).toEqual({
      rate: 0.5,
      failed: 1,
      decided: 2,
    });
    expect(figures.timeToRestore).toEqual({
      medianMs: undefined,
      restored: 0,
      unrestored: 1,
    });
  });

  it('one incident for consecutive failures, weekly bars beyond a month', () => {
    const figures = computeDoraFigures(
      [
        { ...web, revision: 'a', deployedAt: T0 + DAY },
        {
          ...web,
          revision: 'b',
          deployedAt: T0 + 2 * DAY,
          validation: 'failed',
        },
        {
          ...web,
          revision: 'c',
          deployedAt: T0 + 3 * DAY,
          validation: 'failed',
        },
        {
          ...web,
          revision: 'd',
          deployedAt: T0 + 5 * DAY,
          validation: 'passed',
        },
      ],
      { from: T0, to: T0 + 60 * DAY },
    );
    // From b (day 2) to d (day 5): one incident of 3 days.
    expect(figures.incidents).toHaveLength(1);
    expect(figures.timeToRestore.medianMs).toBe(3 * DAY);
    // ceil(60 / 7) = 9 weekly bars; the first week holds a, b, c, d: 4 changes, 2 failed.
    expect(figures.buckets).toHaveLength(9);
    expect(figures.buckets[0]).toMatchObject({ deployments: 4, failures: 2 });
  });

  it('median of an even count is the mean of the middle two', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });
});

/**
 * One shared GitOps repository, two production apps that both track its main branch, so
 * Argo CD deploys every commit to both (times from T0, all in the period):
 *
 *   commit  touches            shop-prod's files  cart-prod's files
 *   s1      apps/shop          S1                 C0    day 1 09:00, deployed 10:00
 *   s2      apps/cart          S1                 C1    day 2 09:00, deployed 10:00
 *   s3      apps/shop          S2 (fails)         C1    day 3 09:00, deployed 10:00
 *   s4      apps/cart          S2                 C2    day 4 09:00, deployed 10:00
 *   s2      (shop rolled back to s2 on day 5 10:00, cart untouched)
 *
 * shop-prod: s1 change, s2 redeploy (cart's commit), s3 change FAILED, s4 redeploy still
 *   running the broken S2 (so rolled back with it: failed, but no change), s2 restore (S1
 *   again). Changes 2, 1 succeeded, 1 failed; one incident from day 3 to day 5.
 * cart-prod: s1 change (its first deployment), s2 change, s3 redeploy, s4 change.
 *   Changes 3, all succeeded.
 * Compared by revision alone, all 8 deployments of new commits would count as changes.
 */
describe('computeDoraFigures on a shared repository', () => {
  const shop = { instance: 'main', appNamespace: 'argocd', app: 'shop-prod' };
  const cart = { instance: 'main', appNamespace: 'argocd', app: 'cart-prod' };
  const at = (day: number) => T0 + day * DAY + 10 * HOUR;
  const committed = (day: number) => T0 + day * DAY + 9 * HOUR;
  const deployment = (
    app: typeof shop,
    revision: string,
    contentKey: string,
    day: number,
    extra: Partial<DeploymentInput> = {},
  ): DeploymentInput => ({
    ...app,
    revision,
    contentKey,
    deployedAt: at(day),
    committedAt: committed(Number(revision.slice(1))),
    validation: 'passed',
    ...extra,
  });
  const shared = computeDoraFigures(
    [
      deployment(shop, 's1', 'S1', 1),
      deployment(shop, 's2', 'S1', 2),
      deployment(shop, 's3', 'S2', 3, {
        validation: 'failed',
        validationReason: 'Degraded',
      }),
      deployment(shop, 's4', 'S2', 4),
      deployment(shop, 's2', 'S1', 5),
      deployment(cart, 's1', 'C0', 1),
      deployment(cart, 's2', 'C1', 2),
      deployment(cart, 's3', 'C1', 3),
      deployment(cart, 's4', 'C2', 4),
    ],
    { from: T0, to: T0 + 14 * DAY },
  );

  it('counts a commit as a change only for the apps whose files it touched', () => {
    const kinds = (app: string) =>
      shared.deployments
        .filter(d => d.app === app)
        .map(d => [d.revision, d.kind, d.outcome]);
    expect(kinds('shop-prod')).toEqual([
      ['s1', 'change', 'succeeded'],
      ['s2', 'redeploy', 'succeeded'],
      ['s3', 'change', 'failed'],
      ['s4', 'redeploy', 'failed'],
      ['s2', 'restore', 'succeeded'],
    ]);
    expect(kinds('cart-prod')).toEqual([
      ['s1', 'change', 'succeeded'],
      ['s2', 'change', 'succeeded'],
      ['s3', 'redeploy', 'succeeded'],
      ['s4', 'change', 'succeeded'],
    ]);
  });

  it('figures: 4 successful changes of 5, one failure restored two days later by the rollback', () => {
    // Succeeded changes: shop s1, cart s1, s2, s4 = 4 (shop s3 failed).
    expect(shared.deploymentFrequency.count).toBe(4);
    // Decided changes: shop s1, s3 and cart s1, s2, s4 = 5; failed shop s3 = 1.
    expect(shared.changeFailureRate).toEqual({
      rate: 0.2,
      failed: 1,
      decided: 5,
    });
    // Every change deployed an hour after its commit: median 60 min over the 5.
    expect(shared.leadTime).toEqual({
      medianMs: 60 * MIN,
      measured: 5,
      unmeasured: 0,
    });
    // shop s3 failed day 3 10:00; s4 ran the same files and was rolled back with them; the
    // rollback on day 5 10:00 ends the incident: 48 h. s4 is no change: the rate is unmoved.
    expect(shared.incidents).toEqual([
      expect.objectContaining({
        app: 'shop-prod',
        failedAt: at(3),
        restoredAt: at(5),
        timeToRestoreMs: 2 * DAY,
      }),
    ]);
  });
});
