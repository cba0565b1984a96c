import type { Knex } from 'knex';
import { RolloutFollower } from '../rolloutValidation/RolloutFollower';
import { RolloutStore } from '../rolloutValidation/RolloutStore';
import {
  DEFAULT_VALIDATION_OPTIONS,
  type ValidationOptions,
} from '../rolloutValidation/ValidationOptions';
import {
  FakeClock,
  ScriptedIndex,
  createTestDatabases,
  indexed,
  migrated,
  silentLogger,
} from '../rolloutValidation/__testUtils__/validationFixtures';
import { DEPLOYMENT_RETENTION_MS, DeploymentLog } from './DeploymentLog';

const databases = createTestDatabases();
jest.setTimeout(60_000);

const SHA = 'a'.repeat(40);
const MINUTE = 60_000;
const APP = {
  instance: 'main',
  appNamespace: 'argocd',
  name: 'acme-web-staging',
};
const options: ValidationOptions = {
  ...DEFAULT_VALIDATION_OPTIONS,
  bakeTimeMs: { default: 2 * MINUTE },
  healthyTimeoutMs: 10 * MINUTE,
};

describe.each(databases.eachSupportedId())('DeploymentLog on %p', id => {
  let knex: Knex;
  let clock: FakeClock;
  let index: ScriptedIndex;
  let store: RolloutStore;
  let log: DeploymentLog;
  let follower: RolloutFollower;

  beforeEach(async () => {
    knex = await migrated(databases, id);
    await knex('gitops_rollouts').delete();
    await knex('gitops_deployments').delete();
    clock = new FakeClock();
    index = new ScriptedIndex();
    store = new RolloutStore(knex, { rolloutsPerApplication: 2 });
    log = new DeploymentLog(knex, { now: clock.now });
    follower = new RolloutFollower({
      index,
      store,
      notifier: { rolloutFailed: jest.fn(async () => true) },
      deployments: log,
      options,
      logger: silentLogger(),
      now: clock.now,
    });
  });

  const see = async (state: Parameters<typeof indexed>[0]) => {
    index.set(indexed(state));
    await follower.scan('main');
  };

  /** A sync that succeeds at once and is Healthy 30 s later; then the bake time passes. */
  async function deploy(): Promise<{ startedAt: number; finishedAt: number }> {
    const startedAt = clock.iso();
    const op = { phase: 'Running' as const, startedAt };
    await see({
      syncStatus: 'OutOfSync',
      operation: op,
      operationRevision: SHA,
    });
    clock.advance(5_000);
    const finishedAt = clock.iso();
    const done = { phase: 'Succeeded' as const, startedAt, finishedAt };
    await see({ healthStatus: 'Progressing', operation: done });
    clock.advance(30_000);
    await see({ healthStatus: 'Healthy', operation: done });
    clock.advance(2 * MINUTE);
    await follower.tick();
    return {
      startedAt: Date.parse(startedAt),
      finishedAt: Date.parse(finishedAt),
    };
  }

  it('keeps every deployment the follower saw succeed, beyond the rollouts it prunes', async () => {
    const first = await deploy();
    clock.advance(MINUTE);
    await deploy();
    clock.advance(MINUTE);
    await deploy();
    // The rollout store keeps 2 per app; the log keeps all 3, with Healthy time and outcome.
    expect(await store.list(APP)).toHaveLength(2);
    const logged = await log.list(APP, 0);
    expect(logged).toHaveLength(3);
    expect(logged[0]).toEqual({
      revision: SHA,
      startedAt: first.startedAt,
      deployedAt: first.finishedAt,
      healthyAt: first.finishedAt + 30_000,
      outcome: 'passed',
      reason: undefined,
    });
    expect(await log.list(APP, first.startedAt + 1)).toHaveLength(2);
  });

  it('logs no deployment for a sync operation that failed', async () => {
    const startedAt = clock.iso();
    await see({
      syncStatus: 'OutOfSync',
      operation: { phase: 'Running', startedAt },
      operationRevision: SHA,
    });
    clock.advance(5_000);
    await see({
      syncStatus: 'OutOfSync',
      operation: {
        phase: 'Failed',
        startedAt,
        finishedAt: clock.iso(),
        message: 'one or more objects failed to apply',
      },
    });
    expect((await store.list(APP))[0].outcome).toBe('failed');
    expect(await log.list(APP, 0)).toEqual([]);
  });

  it('writes one row when replicas record the same deployment, and forgets old ones', async () => {
    await deploy();
    const [rollout] = await store.list(APP);
    await log.record(rollout);
    await log.record(rollout);
    expect(await log.list(APP, 0)).toHaveLength(1);

    clock.advance(DEPLOYMENT_RETENTION_MS + MINUTE);
    await deploy();
    // Recording the new one drops the one older than the retention.
    const logged = await log.list(APP, 0);
    expect(logged).toHaveLength(1);
    expect(logged[0].startedAt).toBeGreaterThan(rollout.startedAtMs);
  });
});
