import type { Knex } from 'knex';
import { AlertMonitor } from './AlertMonitor';
import { RolloutStore } from './RolloutStore';
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
const MINUTE = 60_000;

describe.each(databases.eachSupportedId())('AlertMonitor on %p', id => {
  let knex: Knex;
  let clock: FakeClock;
  let index: ScriptedIndex;
  let store: RolloutStore;
  let notifier: { stillUnhealthy: jest.Mock };

  beforeEach(async () => {
    knex = await migrated(databases, id);
    await knex('gitops_app_alerts').delete();
    clock = new FakeClock();
    index = new ScriptedIndex();
    store = new RolloutStore(knex, { rolloutsPerApplication: 20 });
    notifier = { stillUnhealthy: jest.fn(async () => true) };
  });

  let awaitingApprovalAfterMs: number | undefined;
  beforeEach(() => {
    awaitingApprovalAfterMs = 24 * 60 * MINUTE;
  });

  const monitor = () =>
    new AlertMonitor({
      index,
      store,
      notifier,
      options: {
        degradedAlertAfterMs: 15 * MINUTE,
        outOfSyncAlertAfterMs: 30 * MINUTE,
        awaitingApprovalAfterMs,
      },
      logger: silentLogger(),
      now: clock.now,
    });

  it('notifies once per Degraded episode, and again after a recovery', async () => {
    const m = monitor();
    index.set(
      indexed({ healthStatus: 'Degraded', healthMessage: 'CrashLoopBackOff' }),
    );
    expect(await m.run()).toBe(0);
    clock.advance(15 * MINUTE - 1);
    expect(await m.run()).toBe(0);
    clock.advance(1);
    expect(await m.run()).toBe(1);
    expect(notifier.stillUnhealthy).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'acme-web-staging' }),
      'degraded',
      clock.t - 15 * MINUTE,
    );
    // Still Degraded at the next intervals: nothing more.
    for (let i = 0; i < 3; i += 1) {
      clock.advance(MINUTE);
      expect(await m.run()).toBe(0);
    }
    // Recovers: the episode ends.
    index.set(indexed({ healthStatus: 'Healthy' }));
    await m.run();
    expect(await store.listAlerts()).toEqual([]);
    // A new episode notifies again after its own threshold.
    index.set(indexed({ healthStatus: 'Degraded' }));
    await m.run();
    clock.advance(15 * MINUTE);
    expect(await m.run()).toBe(1);
    expect(notifier.stillUnhealthy).toHaveBeenCalledTimes(2);
  });

  it('times OutOfSync from when the index first saw it', async () => {
    const m = monitor();
    index.set(
      indexed({
        syncStatus: 'OutOfSync',
        outOfSyncSince: clock.iso(-30 * MINUTE),
      }),
    );
    expect(await m.run()).toBe(1);
    expect(notifier.stillUnhealthy).toHaveBeenCalledWith(
      expect.anything(),
      'out-of-sync',
      clock.t - 30 * MINUTE,
    );
  });

  it('keeps episodes of an instance whose data is stale', async () => {
    const m = monitor();
    index.set(indexed({ healthStatus: 'Degraded' }));
    await m.run();
    index.set(indexed({ healthStatus: 'Healthy' }));
    index.freshnessOf.main = { loaded: true, stale: true, ageMs: 90_000 };
    await m.run();
    expect(await store.listAlerts()).toHaveLength(1);
  });

  it('sends once when two replicas run the check at the same time', async () => {
    index.set(indexed({ healthStatus: 'Degraded' }));
    await monitor().run();
    clock.advance(15 * MINUTE);
    const sent = await Promise.all([monitor().run(), monitor().run()]);
    expect(sent.reduce((a, b) => a + b, 0)).toBe(1);
    expect(notifier.stillUnhealthy).toHaveBeenCalledTimes(1);
  });

  it('retries at the next run when sending failed', async () => {
    const m = monitor();
    index.set(indexed({ healthStatus: 'Degraded' }));
    await m.run();
    clock.advance(15 * MINUTE);
    notifier.stillUnhealthy.mockRejectedValueOnce(new Error('down'));
    expect(await m.run()).toBe(0);
    clock.advance(MINUTE);
    expect(await m.run()).toBe(1);
  });

  it('alerts on drift of an auto-sync app, not on a manual-sync app waiting for its sync', async () => {
    const m = monitor();
    const waitingSince = clock.iso(-3 * 60 * MINUTE);
    index.set(
      indexed({
        name: 'acme-web-staging',
        syncPolicy: 'auto-prune',
        syncStatus: 'OutOfSync',
        outOfSyncSince: waitingSince,
      }),
    );
    index.set(
      indexed({
        name: 'acme-web-production',
        environment: 'production',
        syncPolicy: 'manual',
        syncStatus: 'OutOfSync',
        outOfSyncSince: waitingSince,
      }),
    );
    expect(await m.run()).toBe(1);
    expect(notifier.stillUnhealthy).toHaveBeenCalledTimes(1);
    expect(notifier.stillUnhealthy).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'acme-web-staging' }),
      'out-of-sync',
      clock.t - 3 * 60 * MINUTE,
    );
    expect(
      (await store.listAlerts()).map(a => [a.name, a.kind]).sort(),
    ).toEqual([
      ['acme-web-production', 'awaiting-sync'],
      ['acme-web-staging', 'out-of-sync'],
    ]);
  });

  it('reminds once per episode that a manual-sync change waits for approval', async () => {
    const m = monitor();
    const app = indexed({
      name: 'acme-web-production',
      environment: 'production',
      syncPolicy: 'manual',
      syncStatus: 'OutOfSync',
      outOfSyncSince: clock.iso(),
    });
    index.set(app);
    clock.advance(24 * 60 * MINUTE - 1);
    expect(await m.run()).toBe(0);
    clock.advance(1);
    expect(await m.run()).toBe(1);
    expect(notifier.stillUnhealthy).toHaveBeenLastCalledWith(
      expect.objectContaining({ name: 'acme-web-production' }),
      'awaiting-sync',
      clock.t - 24 * 60 * MINUTE,
    );
    // Still waiting a day later: no second reminder, and never a drift alert.
    clock.advance(24 * 60 * MINUTE);
    expect(await m.run()).toBe(0);
    expect(notifier.stillUnhealthy).toHaveBeenCalledTimes(1);
    // Someone syncs it: the episode ends, and the next change gets its own reminder.
    index.set({ ...app, syncStatus: 'Synced', outOfSyncSince: undefined });
    await m.run();
    expect(await store.listAlerts()).toEqual([]);
    index.set({ ...app, outOfSyncSince: clock.iso() });
    await m.run();
    clock.advance(24 * 60 * MINUTE);
    expect(await m.run()).toBe(1);
    expect(notifier.stillUnhealthy).toHaveBeenCalledTimes(2);
  });

  it('sends one reminder when two replicas run the check at the same time', async () => {
    index.set(
      indexed({
        syncPolicy: 'manual',
        syncStatus: 'OutOfSync',
        outOfSyncSince: clock.iso(-25 * 60 * MINUTE),
      }),
    );
    const sent = await Promise.all([monitor().run(), monitor().run()]);
    expect(sent.reduce((a, b) => a + b, 0)).toBe(1);
    expect(notifier.stillUnhealthy).toHaveBeenCalledTimes(1);
    expect(notifier.stillUnhealthy).toHaveBeenCalledWith(
      expect.anything(),
      'awaiting-sync',
      expect.any(Number),
    );
  });

  it('sends nothing for a waiting manual-sync app when the reminder is off', async () => {
    awaitingApprovalAfterMs = undefined;
    index.set(
      indexed({
        syncPolicy: 'manual',
        syncStatus: 'OutOfSync',
        outOfSyncSince: clock.iso(-30 * 24 * 60 * MINUTE),
      }),
    );
    expect(await monitor().run()).toBe(0);
    expect(notifier.stillUnhealthy).not.toHaveBeenCalled();
    expect(await store.listAlerts()).toEqual([]);
  });

  it('treats drift as drift once a manual app is switched to auto-sync', async () => {
    const app = indexed({
      syncPolicy: 'manual',
      syncStatus: 'OutOfSync',
      outOfSyncSince: clock.iso(-2 * 60 * MINUTE),
    });
    index.set(app);
    expect(await monitor().run()).toBe(0);
    index.set({ ...app, syncPolicy: 'auto' });
    expect(await monitor().run()).toBe(1);
    expect(notifier.stillUnhealthy).toHaveBeenCalledWith(
      expect.anything(),
      'out-of-sync',
      clock.t - 2 * 60 * MINUTE,
    );
    expect((await store.listAlerts()).map(a => a.kind)).toEqual([
      'out-of-sync',
    ]);
  });
});
