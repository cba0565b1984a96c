import type { Entity } from '@backstage/catalog-model';
import { indexedApp } from '../__testUtils__/indexedApp';
import { EntityViewCache } from './EntityViewCache';
import { readEntityApplicationSpec } from './entityApplicationSpec';

const entity = (etag?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'acme-web',
    namespace: 'default',
    ...(etag ? { etag } : {}),
    annotations: { 'argocd/app-selector': 'app=acme-web' },
  },
});
const ours = indexedApp('acme-web-prod', { app: 'acme-web' });
const theirs = indexedApp('other-prod', { app: 'other' });
const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';

function setup(options: { ttlMs?: number; maxEntries?: number } = {}) {
  let now = 1_000;
  const cache = new EntityViewCache<string>({ ...options, now: () => now });
  let computed = 0;
  const view = (
    user: string,
    read: Entity,
    instances = ['argocd-1', 'argocd-2'],
  ) =>
    cache.get(user, read, readEntityApplicationSpec(read), instances, () => {
      computed += 1;
      return Promise.resolve(`${user} #${computed}`);
    });
  return {
    cache,
    view,
    computed: () => computed,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('EntityViewCache', () => {
  it('computes a user’s view of an entity once within the TTL, concurrent asks included', async () => {
    const { view, computed, advance } = setup({ ttlMs: 5_000 });
    const read = entity();
    const [list, stream] = await Promise.all([
      view(ALICE, read),
      view(ALICE, read),
    ]);
    advance(4_999);
    const quarantines = await view(ALICE, read);
    expect([list, stream, quarantines]).toEqual([
      `${ALICE} #1`,
      `${ALICE} #1`,
      `${ALICE} #1`,
    ]);
    expect(computed()).toBe(1);
    advance(1);
    expect(await view(ALICE, read)).toBe(`${ALICE} #2`);
  });

  it('never hands one user’s view to another user', async () => {
    const { view } = setup();
    const read = entity();
    expect(await view(ALICE, read)).toBe(`${ALICE} #1`);
    expect(await view(BOB, read)).toBe(`${BOB} #2`);
    expect(await view(ALICE, read)).toBe(`${ALICE} #1`);
  });

  it('computes again for another read of the entity, unless the catalog says it is the same version', async () => {
    const { view } = setup();
    expect(await view(ALICE, entity())).toBe(`${ALICE} #1`);
    // A fresh read without an etag may carry changed annotations.
    expect(await view(ALICE, entity())).toBe(`${ALICE} #2`);
    expect(await view(ALICE, entity('v1'))).toBe(`${ALICE} #3`);
    expect(await view(ALICE, entity('v1'))).toBe(`${ALICE} #3`);
    expect(await view(ALICE, entity('v2'))).toBe(`${ALICE} #4`);
  });

  it('drops a view when an index change concerns one of its apps, before or after the change', async () => {
    const { cache, view } = setup();
    const read = entity();
    await view(ALICE, read);
    await view(BOB, read);
    // Another entity's app, and the entity's app on an instance the view does not cover.
    cache.invalidate('argocd-1', { apps: [theirs] });
    cache.invalidate('argocd-3', { apps: [ours] });
    expect(await view(ALICE, read)).toBe(`${ALICE} #1`);
    // The app moved out of the selector: its record before the change still matches.
    cache.invalidate('argocd-1', {
      apps: [ours, { ...ours, labels: { app: 'moved' } }],
    });
    expect(cache.size).toBe(0);
    expect(await view(ALICE, read)).toBe(`${ALICE} #3`);
    expect(await view(BOB, read)).toBe(`${BOB} #4`);
  });

  it('drops every view of an instance on a change that names no apps (freshness, a listing)', async () => {
    const { cache, view } = setup();
    const read = entity();
    await view(ALICE, read, ['argocd-1']);
    await view(BOB, read, ['argocd-2']);
    cache.invalidate('argocd-2');
    expect(await view(ALICE, read, ['argocd-1'])).toBe(`${ALICE} #1`);
    expect(await view(BOB, read, ['argocd-2'])).toBe(`${BOB} #3`);
  });

  it('does not hand out a computation that an index change overtook', async () => {
    const { cache } = setup();
    const read = entity();
    const spec = readEntityApplicationSpec(read);
    let finish!: (value: string) => void;
    const first = cache.get(
      ALICE,
      read,
      spec,
      ['argocd-1'],
      () => new Promise<string>(resolve => (finish = resolve)),
    );
    cache.invalidate('argocd-1', { apps: [ours] });
    const second = cache.get(
      ALICE,
      read,
      spec,
      ['argocd-1'],
      async () => 'after',
    );
    finish('before');
    expect(await first).toBe('before');
    expect(await second).toBe('after');
  });

  it('keeps no failure', async () => {
    const { cache } = setup();
    const read = entity();
    const spec = readEntityApplicationSpec(read);
    const failing = cache.get(ALICE, read, spec, ['argocd-1'], () =>
      Promise.reject(new Error('permission backend down')),
    );
    await expect(failing).rejects.toThrow('permission backend down');
    expect(cache.size).toBe(0);
    expect(
      await cache.get(ALICE, read, spec, ['argocd-1'], async () => 'ok'),
    ).toBe('ok');
  });

  it('computes every view with a TTL of 0', async () => {
    const { view, computed } = setup({ ttlMs: 0 });
    const read = entity();
    await view(ALICE, read);
    await view(ALICE, read);
    expect(computed()).toBe(2);
  });

  it('drops on a change exactly the views whose spec selects a changed app, whatever the spec', async () => {
    const { cache, view } = setup();
    const annotated = (name: string, annotations: Record<string, string>) => ({
      ...entity(),
      metadata: { name, namespace: 'default', annotations },
    });
    // By name, by `in`, by `=` among other requirements, and by selectors no label value
    // stands for (`!=`, existence): each dropped only by a change of an app it selects.
    const specs: Array<[string, Record<string, string>]> = [
      ['named', { 'argocd/app-name': 'x-prod,acme-web-prod' }],
      ['in', { 'argocd/app-selector': 'app in (other,acme-web)' }],
      ['equals', { 'argocd/app-selector': 'tier,app=acme-web' }],
      ['not-equals', { 'argocd/app-selector': 'app!=other' }],
      ['exists', { 'argocd/app-selector': 'app' }],
      ['not-other', { 'argocd/app-selector': 'app notin (other)' }],
      ['theirs', { 'argocd/app-selector': 'app=other' }],
    ];
    const reads = new Map(specs.map(([name, a]) => [name, annotated(name, a)]));
    const viewAll = async () => {
      const computedBefore = new Map<string, string>();
      for (const [name, read] of reads)
        computedBefore.set(name, await view(ALICE, read));
      return computedBefore;
    };
    const first = await viewAll();
    const changed = (before: Map<string, string>, after: Map<string, string>) =>
      [...before.keys()].filter(n => before.get(n) !== after.get(n));

    // acme-web-prod, labelled app=acme-web and tier=web: every spec but theirs selects it.
    cache.invalidate('argocd-1', {
      apps: [indexedApp('acme-web-prod', { app: 'acme-web', tier: 'web' })],
    });
    const second = await viewAll();
    expect(changed(first, second)).toEqual([
      'named',
      'in',
      'equals',
      'not-equals',
      'exists',
      'not-other',
    ]);
    // Another entity's app (app=other): the selectors that take `other`, and existence.
    cache.invalidate('argocd-1', { apps: [theirs] });
    const third = await viewAll();
    expect(changed(second, third)).toEqual(['in', 'exists', 'theirs']);
    // Unlabelled and unnamed by any spec: the negative selectors, which match no label.
    cache.invalidate('argocd-1', { apps: [indexedApp('bare', {})] });
    const fourth = await viewAll();
    expect(changed(third, fourth)).toEqual(['not-equals', 'not-other']);
    // Named, with another's label: the name, and the selectors that take `other`.
    cache.invalidate('argocd-1', {
      apps: [indexedApp('x-prod', { app: 'other' })],
    });
    expect(changed(fourth, await viewAll())).toEqual([
      'named',
      'in',
      'exists',
      'theirs',
    ]);
  });

  it('lets go of expired views on the next index change', async () => {
    const { cache, view, advance } = setup({ ttlMs: 5_000 });
    await view(ALICE, entity());
    advance(2_000);
    await view(BOB, entity());
    advance(3_000);
    cache.invalidate('argocd-1', { apps: [theirs] });
    expect(cache.size).toBe(1);
    advance(2_000);
    cache.invalidate('argocd-1', { apps: [theirs] });
    expect(cache.size).toBe(0);
  });

  it('lets go of expired views once they expire, with no index change and no request', async () => {
    jest.useFakeTimers();
    try {
      const cache = new EntityViewCache<string>({ ttlMs: 5_000 });
      const read = entity();
      const spec = readEntityApplicationSpec(read);
      await cache.get(ALICE, read, spec, ['argocd-1'], async () => 'a');
      jest.advanceTimersByTime(2_000);
      await cache.get(BOB, read, spec, ['argocd-1'], async () => 'b');
      expect(cache.size).toBe(2);
      // Alice's expires first, then Bob's.
      jest.advanceTimersByTime(3_000);
      expect(cache.size).toBe(1);
      jest.advanceTimersByTime(2_000);
      expect(cache.size).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('remembers at most maxEntries views', async () => {
    const { cache, view } = setup({ maxEntries: 10 });
    for (let i = 0; i < 25; i++) await view(`user:default/u${i}`, entity());
    expect(cache.size).toBeLessThanOrEqual(10);
    expect(cache.size).toBeGreaterThan(0);
    // The views the bound kept still go with a change of their apps.
    cache.invalidate('argocd-1', { apps: [ours] });
    expect(cache.size).toBe(0);
  });
});
