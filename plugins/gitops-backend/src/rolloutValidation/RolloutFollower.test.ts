import type { Knex } from 'knex';
import type { IndexedApplication } from '../applicationIndex/IndexedApplication';
import { RolloutFollower } from './RolloutFollower';
import { RolloutStore, type StoredRollout } from './RolloutStore';
import {
  DEFAULT_VALIDATION_OPTIONS,
  type ValidationOptions,
} from './ValidationOptions';
import {
  FakeClock,
  ScriptedIndex,
  createTestDatabases,
  indexed,
  migrated,
  silentLogger,
} from './__testUtils__/validationFixtures';

const databases = createTestDatabases();
jest.setTimeout(60_000);

const SHA = 'a'.repeat(40);
const NEXT_SHA = 'b'.repeat(40);
const MINUTE = 60_000;

const options: ValidationOptions = {
  ...DEFAULT_VALIDATION_OPTIONS,
  bakeTimeMs: { default: 2 * MINUTE, production: 10 * MINUTE },
  healthyTimeoutMs: 10 * MINUTE,
};

/** Counts the calls of one method of the index's per-instance views. */
function countCalls(index: ScriptedIndex, method: 'candidates' | 'get') {
  const calls = { count: 0 };
  const instanceOf = index.instance.bind(index);
  jest.spyOn(index, 'instance').mockImplementation(name => {
    const view = instanceOf(name);
    const counted = view[method] as (...args: unknown[]) => unknown;
    return {
      ...view,
      [method]: (...args: unknown[]) => {
        calls.count += 1;
        return counted(...args);
      },
    };
  });
  return calls;
}

describe.each(databases.eachSupportedId())('RolloutFollower on %p', id => {
  let knex: Knex;
  let clock: FakeClock;
  let index: ScriptedIndex;
  let store: RolloutStore;
  let notifier: { rolloutFailed: jest.Mock };
  let follower: RolloutFollower;

  beforeEach(async () => {
    knex = await migrated(databases, id);
    await knex('gitops_rollouts').delete();
    clock = new FakeClock();
    index = new ScriptedIndex();
    store = new RolloutStore(knex, { rolloutsPerApplication: 20 });
    notifier = { rolloutFailed: jest.fn(async () => true) };
    follower = newFollower(index);
  });

  function newFollower(idx: ScriptedIndex, opts = options) {
    return new RolloutFollower({
      index: idx,
      store,
      notifier,
      options: opts,
      logger: silentLogger(),
      now: clock.now,
    });
  }

  /** Sets the app's state as a watch event would, and lets the follower see it. */
  async function see(
    state: Partial<IndexedApplication>,
    f: RolloutFollower = follower,
    idx: ScriptedIndex = index,
  ) {
    idx.set(indexed(state));
    await f.scan('main');
  }

  const running = (startedAt: string) => ({
    syncStatus: 'OutOfSync' as const,
    healthStatus: 'Healthy' as const,
    operation: { phase: 'Running' as const, startedAt },
    operationRevision: SHA,
  });
  const succeeded = (startedAt: string, finishedAt: string) => ({
    phase: 'Succeeded' as const,
    startedAt,
    finishedAt,
    message: 'successfully synced (all tasks run)',
  });

  async function rollouts(): Promise<StoredRollout[]> {
    return store.list({
      instance: 'main',
      appNamespace: 'argocd',
      name: 'acme-web-staging',
    });
  }

  it('passes a rollout that is Synced, Healthy and stays so through the bake time', async () => {
    const t0 = clock.iso();
    await see(running(t0));
    expect(await rollouts()).toMatchObject([
      { outcome: 'in-progress', revision: SHA, environment: 'staging' },
    ]);

    clock.advance(5_000);
    await see({
      syncStatus: 'Synced',
      healthStatus: 'Progressing',
      operation: succeeded(t0, clock.iso()),
    });
    clock.advance(25_000);
    await see({
      syncStatus: 'Synced',
      healthStatus: 'Healthy',
      operation: succeeded(t0, clock.iso(-25_000)),
    });
    clock.advance(2 * MINUTE - 1);
    await follower.tick();
    expect((await rollouts())[0].outcome).toBe('in-progress');

    clock.advance(1);
    await follower.tick();
    const [rollout] = await rollouts();
    expect(rollout).toMatchObject({
      outcome: 'passed',
      timeToSyncedMs: 5_000,
      timeToHealthyMs: 30_000,
      bakeTimeMs: 2 * MINUTE,
      startedAt: t0,
    });
    expect(rollout.reason).toBeUndefined();
    expect(notifier.rolloutFailed).not.toHaveBeenCalled();
    expect(follower.following).toBe(0);
  });

  it('fails a rollout whose operation fails, with Argo CD’s message, and notifies once', async () => {
    const t0 = clock.iso();
    await see(running(t0));
    clock.advance(3_000);
    const failed = {
      syncStatus: 'OutOfSync' as const,
      operation: {
        phase: 'Failed' as const,
        startedAt: t0,
        finishedAt: clock.iso(),
        message: 'one or more objects failed to apply',
      },
    };
    await see(failed);
    await see({ ...failed, healthStatus: 'Missing' }); // a later, unrelated update
    await follower.tick();
    const [rollout] = await rollouts();
    expect(rollout).toMatchObject({
      outcome: 'failed',
      reason: 'Sync Failed: one or more objects failed to apply',
    });
    expect(rollout.timeToSyncedMs).toBeUndefined();
    expect(notifier.rolloutFailed).toHaveBeenCalledTimes(1);
    expect(notifier.rolloutFailed.mock.calls[0][0]).toMatchObject({
      key: `main/argocd/acme-web-staging@${t0}`,
      outcome: 'failed',
    });
  });

  it('fails a rollout that turns Degraded within the bake time', async () => {
    const t0 = clock.iso();
    await see(running(t0));
    clock.advance(4_000);
    await see({
      syncStatus: 'Synced',
      healthStatus: 'Healthy',
      operation: succeeded(t0, clock.iso()),
    });
    clock.advance(MINUTE);
    await see({
      syncStatus: 'Synced',
      healthStatus: 'Degraded',
      healthMessage: 'Deployment "web" exceeded its progress deadline',
      operation: succeeded(t0, clock.iso(-MINUTE)),
    });
    const [rollout] = await rollouts();
    expect(rollout).toMatchObject({
      outcome: 'failed',
      reason: 'Degraded: Deployment "web" exceeded its progress deadline',
      timeToSyncedMs: 4_000,
      timeToHealthyMs: 4_000,
    });
    expect(notifier.rolloutFailed).toHaveBeenCalledTimes(1);
  });

  it('keeps a passed rollout passed when the app turns Degraded after the bake time', async () => {
    const t0 = clock.iso();
    await see(running(t0));
    clock.advance(2_000);
    const done = succeeded(t0, clock.iso());
    await see({
      syncStatus: 'Synced',
      healthStatus: 'Healthy',
      operation: done,
    });
    clock.advance(2 * MINUTE);
    await follower.tick();
    clock.advance(MINUTE);
    await see({ healthStatus: 'Degraded', operation: done });
    expect((await rollouts())[0].outcome).toBe('passed');
    expect(notifier.rolloutFailed).not.toHaveBeenCalled();
  });

  it('uses the environment’s bake time', async () => {
    const t0 = clock.iso();
    const prod = { environment: 'production' };
    await see({ ...prod, ...running(t0) });
    clock.advance(1_000);
    const done = succeeded(t0, clock.iso());
    await see({ ...prod, operation: done });
    clock.advance(9 * MINUTE);
    await see({ ...prod, healthStatus: 'Degraded', operation: done });
    expect((await rollouts())[0]).toMatchObject({
      outcome: 'failed',
      bakeTimeMs: 10 * MINUTE,
    });
  });

  it('fails at once when the app was out of Degraded as the operation ran', async () => {
    const t0 = clock.iso();
    await see(running(t0));
    clock.advance(2_000);
    await see({
      healthStatus: 'Degraded',
      degradedResources: [
        'Deployment acme-web',
        'Pod acme-web-1: ImagePullBackOff',
      ],
      operation: succeeded(t0, clock.iso()),
    });
    expect((await rollouts())[0]).toMatchObject({
      outcome: 'failed',
      reason: 'Degraded: Deployment acme-web; Pod acme-web-1: ImagePullBackOff',
    });
  });

  it('fails at once when the app was out of Degraded just before an operation it first sees finished', async () => {
    await see({ healthStatus: 'Healthy' });
    const t0 = clock.iso();
    clock.advance(1_500);
    // The follower scans in bursts: the Running state can pass unseen.
    await see({
      healthStatus: 'Degraded',
      degradedResources: ['Deployment acme-web'],
      operation: succeeded(t0, clock.iso()),
    });
    expect((await rollouts())[0]).toMatchObject({
      outcome: 'failed',
      reason: 'Degraded: Deployment acme-web',
    });
  });

  it('passes a sync that fixes a Degraded app, though the health at its end is still the old one', async () => {
    const t0 = clock.iso();
    await see({ ...running(t0), healthStatus: 'Degraded' });
    clock.advance(2_000);
    const done = succeeded(t0, clock.iso());
    await see({ healthStatus: 'Degraded', operation: done });
    expect((await rollouts())[0].outcome).toBe('in-progress');
    clock.advance(3_000);
    await see({ healthStatus: 'Progressing', operation: done });
    clock.advance(10_000);
    await see({ healthStatus: 'Healthy', operation: done });
    clock.advance(2 * MINUTE);
    await follower.tick();
    expect((await rollouts())[0]).toMatchObject({
      outcome: 'passed',
      timeToHealthyMs: 15_000,
    });
  });

  it('fails a rollout still Degraded when the grace period after the operation ends', async () => {
    const t0 = clock.iso();
    await see({ ...running(t0), healthStatus: 'Degraded' });
    clock.advance(2_000);
    const done = succeeded(t0, clock.iso());
    await see({
      healthStatus: 'Degraded',
      healthMessage: 'CrashLoopBackOff',
      operation: done,
    });
    clock.advance(options.degradedGraceMs - 1);
    await follower.tick();
    expect((await rollouts())[0].outcome).toBe('in-progress');
    clock.advance(1);
    await follower.tick();
    expect((await rollouts())[0]).toMatchObject({
      outcome: 'failed',
      reason: 'Degraded: CrashLoopBackOff',
    });
  });

  it('fails a rollout that is not Healthy within the timeout', async () => {
    const t0 = clock.iso();
    await see(running(t0));
    clock.advance(2_000);
    await see({
      syncStatus: 'Synced',
      healthStatus: 'Progressing',
      healthMessage:
        'Waiting for rollout to finish: 0 of 2 updated replicas are available...',
      operation: succeeded(t0, clock.iso()),
    });
    clock.advance(10 * MINUTE - 1);
    await follower.tick();
    expect((await rollouts())[0].outcome).toBe('in-progress');
    clock.advance(1);
    await follower.tick();
    expect((await rollouts())[0]).toMatchObject({
      outcome: 'failed',
      reason:
        'Not Healthy: not Healthy (is Progressing: Waiting for rollout to finish: 0 of 2 updated replicas are available...) within 10m',
      timeToSyncedMs: 2_000,
    });
    expect(notifier.rolloutFailed).toHaveBeenCalledTimes(1);
  });

  it('marks a rollout superseded when a newer operation starts before validation ends', async () => {
    const t0 = clock.iso();
    await see(running(t0));
    clock.advance(2_000);
    await see({ operation: succeeded(t0, clock.iso()) });
    clock.advance(30_000);
    const t1 = clock.iso();
    await see({ ...running(t1), operationRevision: NEXT_SHA });
    const [newest, older] = await rollouts();
    expect(newest).toMatchObject({
      outcome: 'in-progress',
      revision: NEXT_SHA,
    });
    expect(older.outcome).toBe('superseded');
    expect(older.reason).toMatch(/^Superseded: a newer operation started/);
    expect(notifier.rolloutFailed).not.toHaveBeenCalled();
  });

  it('neither follows a dry run nor lets one supersede the rollout it follows', async () => {
    const t0 = clock.iso();
    await see(running(t0));
    clock.advance(2_000);
    await see({ operation: succeeded(t0, clock.iso()) });
    clock.advance(10_000);
    const dry = clock.iso();
    await see({
      syncStatus: 'Synced',
      healthStatus: 'Healthy',
      operation: { ...succeeded(dry, clock.iso(1_000)), dryRun: true },
    });
    expect(await rollouts()).toMatchObject([
      { outcome: 'in-progress', startedAt: t0 },
    ]);
  });

  it('waits for the whole record of an app listed at start before following its rollout', async () => {
    const t0 = clock.iso();
    // Listed, not re-sent by Argo CD's watch yet: the operation's revision is unknown.
    await see({
      ...running(t0),
      operationRevision: undefined,
      historyPending: true,
    });
    expect(await rollouts()).toEqual([]);
    // The watch's event brings it: the rollout is followed with its revision.
    await see(running(t0));
    expect(await rollouts()).toMatchObject([
      { outcome: 'in-progress', revision: SHA, startedAt: t0 },
    ]);
  });

  it('does not invent rollouts for operations that ended before it started following', async () => {
    const long = clock.iso(-2 * 60 * MINUTE);
    await see({
      operation: succeeded(long, clock.iso(-2 * 60 * MINUTE + 5_000)),
    });
    expect(await rollouts()).toEqual([]);
    // Still none as the app changes without a new operation, nor on the timer's passes.
    await see({
      operation: succeeded(long, clock.iso(-2 * 60 * MINUTE + 5_000)),
      healthStatus: 'Degraded',
    });
    clock.advance(MINUTE);
    await follower.tick();
    expect(await rollouts()).toEqual([]);
    expect(follower.following).toBe(0);
  });

  it('follows a rollout seen for the first time after it finished, within the window', async () => {
    const t0 = clock.iso(-20_000);
    await see({
      syncStatus: 'Synced',
      healthStatus: 'Healthy',
      operation: succeeded(t0, clock.iso(-15_000)),
    });
    const [rollout] = await rollouts();
    // Seen together with the operation's end: dated at its end.
    expect(rollout).toMatchObject({
      outcome: 'in-progress',
      timeToSyncedMs: 5_000,
      timeToHealthyMs: 5_000,
    });
  });

  it('two replicas following the same rollout record it once and notify once', async () => {
    const otherIndex = new ScriptedIndex();
    const other = newFollower(otherIndex);
    const t0 = clock.iso();
    const states: Array<Partial<IndexedApplication>> = [
      running(t0),
      {
        syncStatus: 'Synced',
        healthStatus: 'Progressing',
        operation: succeeded(t0, clock.iso(3_000)),
      },
      {
        syncStatus: 'Synced',
        healthStatus: 'Degraded',
        healthMessage: 'ImagePullBackOff',
        operation: succeeded(t0, clock.iso(3_000)),
      },
    ];
    for (const state of states) {
      clock.advance(3_000);
      // Both see each event; their writes interleave.
      await Promise.all([see(state), see(state, other, otherIndex)]);
    }
    await Promise.all([follower.tick(), other.tick()]);
    const rows = await rollouts();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      outcome: 'failed',
      reason: 'Degraded: ImagePullBackOff',
    });
    expect(rows[0].notifiedAtMs).toBeDefined();
    expect(notifier.rolloutFailed).toHaveBeenCalledTimes(1);
  });

  it('sends a failure another replica decided but could not notify', async () => {
    const t0 = clock.iso();
    await see(running(t0));
    notifier.rolloutFailed.mockRejectedValueOnce(
      new Error('notifications down'),
    );
    clock.advance(1_000);
    const failed = {
      operation: {
        phase: 'Error' as const,
        startedAt: t0,
        finishedAt: clock.iso(),
        message: 'rpc error',
      },
    };
    await see(failed);
    expect((await rollouts())[0].notifiedAtMs).toBeUndefined();
    // A replica (or a restart) that comes upon the decided rollout sends it.
    const otherIndex = new ScriptedIndex();
    await see(failed, newFollower(otherIndex), otherIndex);
    expect(notifier.rolloutFailed).toHaveBeenCalledTimes(2);
    expect((await rollouts())[0].notifiedAtMs).toBeDefined();
  });

  it('keeps a bounded number of rollouts per application', async () => {
    store = new RolloutStore(knex, { rolloutsPerApplication: 3 });
    follower = newFollower(index);
    for (let i = 0; i < 5; i += 1) {
      clock.advance(MINUTE);
      await see(running(clock.iso()));
    }
    const rows = await rollouts();
    expect(rows).toHaveLength(3);
    expect(rows.map(r => r.startedAt)).toEqual([
      clock.iso(),
      clock.iso(-MINUTE),
      clock.iso(-2 * MINUTE),
    ]);
  });

  it('marks a followed rollout superseded when the app is deleted', async () => {
    await see(running(clock.iso()));
    index.delete(indexed());
    await follower.scan('main');
    expect((await rollouts())[0].outcome).toBe('superseded');
  });

  it('leaves the same app on another instance followed when one instance deletes it', async () => {
    const both = new ScriptedIndex(['main', 'other']);
    const f = newFollower(both);
    await see(running(clock.iso()), f, both);
    both.set(indexed({ ...running(clock.iso()), instance: 'other' }));
    await f.scan('other');
    expect(f.following).toBe(2);
    both.delete(indexed({ instance: 'other' }));
    await f.scan('other');
    await f.scan('main');
    expect(f.following).toBe(1);
    expect((await rollouts())[0].outcome).toBe('in-progress');
    const [other] = await store.list({
      instance: 'other',
      appNamespace: 'argocd',
      name: 'acme-web-staging',
    });
    expect(other.outcome).toBe('superseded');
    // The one left is still judged: it fails when its operation does.
    clock.advance(MINUTE);
    await see(
      {
        ...running(clock.iso(-MINUTE)),
        operation: {
          phase: 'Failed',
          startedAt: clock.iso(-MINUTE),
          finishedAt: clock.iso(),
          message: 'one or more objects failed to apply',
        },
      },
      f,
      both,
    );
    expect((await rollouts())[0].outcome).toBe('failed');
    expect(f.following).toBe(0);
  });

  it('follows index changes by itself once started', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      follower.start();
      index.set(indexed(running(clock.iso())));
      jest.advanceTimersByTime(500);
      await follower.idle();
      await follower.idle();
      expect(await rollouts()).toHaveLength(1);
    } finally {
      follower.stop();
      jest.useRealTimers();
    }
  });

  it('looks only at the apps a change names, and at every app after one that names none', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    const wholePasses = countCalls(index, 'candidates');
    const settle = async () => {
      jest.advanceTimersByTime(500);
      await follower.idle();
      await follower.idle();
    };
    try {
      for (let i = 0; i < 50; i++)
        index.set(indexed({ name: `acme-app${i}-staging` }));
      follower.start();
      await settle();
      expect(wholePasses.count).toBe(1);
      // A change names one app: only that one is looked at.
      index.set(indexed(running(clock.iso())));
      await settle();
      expect(await rollouts()).toHaveLength(1);
      expect(wholePasses.count).toBe(1);
      // Deleted: named too, and forgotten (the rollout ends superseded).
      index.delete(indexed({}));
      await settle();
      expect(await rollouts()).toMatchObject([{ outcome: 'superseded' }]);
      expect(wholePasses.count).toBe(1);
      // A change that names nothing (a listing, freshness): one pass over every app.
      index.touchAll();
      await settle();
      expect(wholePasses.count).toBe(2);
    } finally {
      follower.stop();
      jest.useRealTimers();
    }
  });

  it('lets what waits on the event loop run between the slices of a pass over every app', async () => {
    for (let i = 0; i < 2_500; i++)
      index.set(indexed({ name: `acme-app${i}-staging` }));
    const looked = countCalls(index, 'get');
    let lookedWhenLetIn: number | undefined;
    const pass = follower.scan('main');
    setImmediate(() => (lookedWhenLetIn = looked.count));
    await pass;
    // The first pass sees 2,500 apps (none seen before), in slices of 1,000: what was
    // waiting ran before the last one.
    expect(looked.count).toBe(2_500);
    expect(lookedWhenLetIn).toBeGreaterThan(0);
    expect(lookedWhenLetIn).toBeLessThan(2_500);
    // The next pass also looks at each app seen before (deletions): 5,000 in all, no change.
    looked.count = 0;
    await follower.scan('main');
    expect(looked.count).toBe(5_000);
    expect(await rollouts()).toEqual([]);
  });
});
