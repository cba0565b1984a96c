import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { EntityCache } from './EntityCache';

const ref = { kind: 'component', namespace: 'default', name: 'acme-web' };
const entity = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name },
});
const alice = mockCredentials.user('user:default/alice');
const bob = mockCredentials.user('user:default/bob');

function setup(options: { ttlMs?: number; maxEntries?: number } = {}) {
  let now = 1_000;
  const cache = new EntityCache({ ...options, now: () => now });
  return {
    cache,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('EntityCache', () => {
  it('reuses a user’s read of an entity within the TTL', async () => {
    const { cache, advance } = setup({ ttlMs: 5_000 });
    const load = jest.fn(async () => entity('v1'));
    expect(await cache.get(alice, ref, load)).toEqual(entity('v1'));
    advance(4_999);
    expect(await cache.get(alice, ref, load)).toEqual(entity('v1'));
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('reads the catalog again once the TTL has passed (annotation changes take effect)', async () => {
    const { cache, advance } = setup({ ttlMs: 5_000 });
    const load = jest
      .fn<Promise<Entity | undefined>, []>()
      .mockResolvedValueOnce(entity('v1'))
      .mockResolvedValueOnce(entity('v2'));
    await cache.get(alice, ref, load);
    advance(5_000);
    expect(await cache.get(alice, ref, load)).toEqual(entity('v2'));
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('never hands one user’s read to another user', async () => {
    const { cache } = setup();
    const forAlice = jest.fn(async () => entity('alice-view'));
    // Bob may not read the entity: the catalog answers undefined with his credentials.
    const forBob = jest.fn(async () => undefined);
    await cache.get(alice, ref, forAlice);
    expect(await cache.get(bob, ref, forBob)).toBeUndefined();
    expect(forBob).toHaveBeenCalledTimes(1);
  });

  it('keys by the whole entity ref, case-insensitively as the catalog does', async () => {
    const { cache } = setup();
    const load = jest.fn(async () => entity('x'));
    await cache.get(alice, ref, load);
    await cache.get(alice, { ...ref, name: 'ACME-web' }, load);
    await cache.get(alice, { ...ref, namespace: 'other' }, load);
    await cache.get(alice, { ...ref, kind: 'system' }, load);
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('keeps neither not-found answers nor failures', async () => {
    const { cache } = setup();
    const missing = jest.fn(async () => undefined);
    await cache.get(alice, ref, missing);
    await cache.get(alice, ref, missing);
    expect(missing).toHaveBeenCalledTimes(2);

    const failing = jest
      .fn<Promise<Entity | undefined>, []>()
      .mockRejectedValueOnce(new Error('catalog down'))
      .mockResolvedValueOnce(entity('back'));
    await expect(cache.get(bob, ref, failing)).rejects.toThrow('catalog down');
    expect(await cache.get(bob, ref, failing)).toEqual(entity('back'));
    expect(failing).toHaveBeenCalledTimes(2);
  });

  it('shares one lookup between concurrent requests of the same user and entity', async () => {
    const { cache } = setup();
    let resolve!: (e: Entity) => void;
    const load = jest.fn(
      () => new Promise<Entity | undefined>(r => (resolve = r)),
    );
    const first = cache.get(alice, ref, load);
    const second = cache.get(alice, ref, load);
    resolve(entity('once'));
    expect(await first).toEqual(entity('once'));
    expect(await second).toEqual(entity('once'));
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('does not cache callers without a user principal, nor with a TTL of 0', async () => {
    const service = setup();
    const load = jest.fn(async () => entity('x'));
    await service.cache.get(mockCredentials.service(), ref, load);
    await service.cache.get(mockCredentials.service(), ref, load);
    expect(load).toHaveBeenCalledTimes(2);

    const disabled = setup({ ttlMs: 0 });
    await disabled.cache.get(alice, ref, load);
    await disabled.cache.get(alice, ref, load);
    expect(load).toHaveBeenCalledTimes(4);
    expect(disabled.cache.size).toBe(0);
  });

  it('stays bounded, dropping expired entries, then the oldest', async () => {
    const { cache, advance } = setup({ ttlMs: 1_000, maxEntries: 10 });
    const load = jest.fn(async () => entity('x'));
    for (let i = 0; i < 10; i++)
      await cache.get(alice, { ...ref, name: `old-${i}` }, load);
    advance(1_000); // all ten expire
    for (let i = 0; i < 10; i++)
      await cache.get(alice, { ...ref, name: `new-${i}` }, load);
    expect(cache.size).toBeLessThanOrEqual(10);
    await cache.get(alice, { ...ref, name: 'one-more' }, load);
    expect(cache.size).toBeLessThanOrEqual(10);
    // The newest stays cached.
    const calls = load.mock.calls.length;
    await cache.get(alice, { ...ref, name: 'one-more' }, load);
    expect(load).toHaveBeenCalledTimes(calls);
  });
});
