import type { Knex } from 'knex';
import {
  FakeClock,
  createTestDatabases,
  migrated,
} from '../rolloutValidation/__testUtils__/validationFixtures';
import { ActiveQuarantines } from './ActiveQuarantines';
import { QuarantineStore } from './QuarantineStore';

const databases = createTestDatabases();
jest.setTimeout(60_000);

const API = 'component:default/acme-api';
const WEB = 'component:default/acme-web';
const input = (version: string, entityRef = API) => ({
  tenant: 'acme',
  entityRef,
  selection: { names: ['acme-api-prod'], selector: [] },
  version,
  reason: 'crashes on start',
  createdBy: 'user:default/alice',
});

describe.each(databases.eachSupportedId())('ActiveQuarantines on %p', id => {
  let knex: Knex;
  let clock: FakeClock;
  let store: QuarantineStore;
  let queries: number;
  let active: ActiveQuarantines;

  beforeEach(async () => {
    knex = await migrated(databases, id);
    await knex('gitops_quarantines').delete();
    clock = new FakeClock();
    store = new QuarantineStore(knex, { now: clock.now });
    queries = 0;
    const counted = {
      listActive: () => {
        queries++;
        return store.listActive();
      },
    };
    active = new ActiveQuarantines(counted, {
      maxAgeMs: 5_000,
      now: clock.now,
    });
  });

  const versions = async (entityRef: string) =>
    (await active.ofEntity(entityRef)).map(q => q.version);

  it('answers every entity from one reading while it is young', async () => {
    await store.add(input('2.0.0'));
    await store.add(input('1.0.0', WEB));
    const answers = await Promise.all([
      versions(API),
      versions(WEB),
      versions('component:default/none'),
    ]);
    expect(answers).toEqual([['2.0.0'], ['1.0.0'], []]);
    expect(await versions(API)).toEqual(['2.0.0']);
    expect(queries).toBe(1);
  });

  it("shows another replica's write once the reading is older than maxAgeMs", async () => {
    expect(await versions(API)).toEqual([]);
    // Another replica on the same database: this one is not told.
    const other = new QuarantineStore(knex, { now: clock.now });
    await other.add(input('2.0.0'));
    clock.advance(4_999);
    expect(await versions(API)).toEqual([]);
    clock.advance(1);
    expect(await versions(API)).toEqual(['2.0.0']);
    expect(queries).toBe(2);
  });

  it('shows its own writes at once, tells the listeners, and never keeps a reading begun before a write', async () => {
    const told: string[] = [];
    const unsubscribe = active.subscribe(ref => told.push(ref));
    expect(await versions(API)).toEqual([]);

    // A reading is on its way when the write lands: its answer goes to who asked, no further.
    clock.advance(5_000);
    const before = active.ofEntity(API);
    const added = await store.add(input('2.0.0'));
    active.changed(API);
    await before;
    expect(await versions(API)).toEqual(['2.0.0']);

    await store.lift(added.id, {
      liftedBy: 'user:default/alice',
      reason: 'ok',
    });
    active.changed(API);
    expect(await versions(API)).toEqual([]);
    expect(told).toEqual([API, API]);
    unsubscribe();
    active.changed(WEB);
    expect(told).toEqual([API, API]);
  });

  it('peeks without reading: only a young reading answers, and a write or its age ends that', async () => {
    await store.add(input('2.0.0'));
    // Nothing read yet: no answer, and no query for asking.
    expect(active.peek(API)).toBeUndefined();
    expect(queries).toBe(0);
    await active.ofEntity(API);
    expect(active.peek(API)?.map(q => q.version)).toEqual(['2.0.0']);
    expect(active.peek(WEB)).toEqual([]);

    // Its own write: the reading is gone at once, so WEB's new quarantine is not missed.
    const added = await store.add(input('1.0.0', WEB));
    active.changed(WEB);
    expect(active.peek(WEB)).toBeUndefined();
    expect(await versions(WEB)).toEqual(['1.0.0']);
    expect(active.peek(WEB)?.map(q => q.version)).toEqual(['1.0.0']);

    // Another replica's lift: the peek keeps the young reading, then has none once it is old.
    const other = new QuarantineStore(knex, { now: clock.now });
    await other.lift(added.id, { liftedBy: 'user:default/bob', reason: 'ok' });
    clock.advance(4_999);
    expect(active.peek(WEB)?.map(q => q.version)).toEqual(['1.0.0']);
    clock.advance(1);
    expect(active.peek(WEB)).toBeUndefined();
    expect(await versions(WEB)).toEqual([]);
    expect(active.peek(WEB)).toEqual([]);
    expect(queries).toBe(3);
  });

  it('reads again after a failed reading', async () => {
    let fail = true;
    const flaky = new ActiveQuarantines(
      {
        listActive: async () => {
          if (fail) throw new Error('database unreachable');
          return store.listActive();
        },
      },
      { now: clock.now },
    );
    await store.add(input('2.0.0'));
    await expect(flaky.ofEntity(API)).rejects.toThrow('database unreachable');
    fail = false;
    expect((await flaky.ofEntity(API)).map(q => q.version)).toEqual(['2.0.0']);
  });
});
