import type { Knex } from 'knex';
import {
  FakeClock,
  createTestDatabases,
  migrated,
} from '../rolloutValidation/__testUtils__/validationFixtures';
import { QuarantineStore } from './QuarantineStore';

const databases = createTestDatabases();
jest.setTimeout(60_000);

const API = 'component:default/acme-api';
const selection = { names: [], selector: [] };
const input = (version: string, entityRef = API) => ({
  tenant: 'acme',
  entityRef,
  selection: { ...selection, names: ['acme-api-prod'] },
  version,
  reason: 'crashes on start',
  createdBy: 'user:default/alice',
});

describe.each(databases.eachSupportedId())('QuarantineStore on %p', id => {
  let knex: Knex;
  let clock: FakeClock;
  let store: QuarantineStore;
  // A second replica on the same database.
  let other: QuarantineStore;

  beforeEach(async () => {
    knex = await migrated(databases, id);
    await knex('gitops_quarantines').delete();
    clock = new FakeClock();
    store = new QuarantineStore(knex, { now: clock.now });
    other = new QuarantineStore(knex, { now: clock.now });
  });

  it('keeps a quarantine with its selection, who and when', async () => {
    const added = await store.add(input('2.0.0-broken'));
    expect(await other.get(added.id)).toEqual({
      id: added.id,
      tenant: 'acme',
      entityRef: API,
      selection: { names: ['acme-api-prod'], selector: [] },
      version: '2.0.0-broken',
      reason: 'crashes on start',
      createdBy: 'user:default/alice',
      createdAt: clock.t,
    });
  });

  it('refuses a second active quarantine of the same version, also from another replica', async () => {
    await store.add(input('2.0.0-broken'));
    const results = await Promise.allSettled([
      other.add(input('2.0.0-broken')),
      store.add(input('2.0.0-broken')),
    ]);
    expect(results.map(r => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({
      name: 'ConflictError',
      message: expect.stringMatching(/quarantined already .*crashes on start/),
    });
    // Another entity's version of the same name is its own.
    await store.add(input('2.0.0-broken', 'component:default/acme-web'));
    expect(await store.listByTenant('acme')).toHaveLength(2);
  });

  it('lifts once, keeps who, when and why, and allows quarantining the version again', async () => {
    const added = await store.add(input('2.0.0-broken'));
    clock.advance(60_000);
    const lifted = await other.lift(added.id, {
      liftedBy: 'user:default/arjun',
      reason: 'fixed by a config change',
    });
    expect(lifted?.lifted).toEqual({
      by: 'user:default/arjun',
      at: clock.t,
      reason: 'fixed by a config change',
    });
    await expect(
      store.lift(added.id, { liftedBy: 'user:default/alice', reason: 'x' }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringMatching(/lifted already by user:default\/arjun/),
    });
    expect(
      await store.lift('missing', { liftedBy: 'x', reason: 'y' }),
    ).toBeUndefined();
    expect(await store.listByEntity(API)).toEqual([]);
    clock.advance(60_000);
    const again = await store.add(input('2.0.0-broken'));
    expect(
      (await store.listByEntity(API, { includeLifted: true })).map(q => [
        q.id,
        !!q.lifted,
      ]),
    ).toEqual([
      [again.id, false],
      [added.id, true],
    ]);
  });

  it('lists by tenant, active ones first and newest first', async () => {
    const a = await store.add(input('1.0.0'));
    clock.advance(1000);
    const b = await store.add(input('1.1.0'));
    clock.advance(1000);
    await store.add({ ...input('9.9.9'), tenant: 'globex' });
    await store.lift(b.id, { liftedBy: 'user:default/alice', reason: 'ok' });
    expect((await store.listByTenant('acme')).map(q => q.id)).toEqual([a.id]);
    expect(
      (await store.listByTenant('acme', { includeLifted: true })).map(
        q => q.id,
      ),
    ).toEqual([a.id, b.id]);
  });
});
