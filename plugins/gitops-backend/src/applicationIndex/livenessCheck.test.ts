import { canonicalJson } from '@kupe/plugin-gitops-common';
import { listedItemDigest } from '@kupe/plugin-gitops-node';
import { buildApplication } from '@kupe/plugin-gitops-node-test-utils';
import {
  LivenessComparison,
  livenessPrint,
  valueDigest,
} from './livenessCheck';

const app = () =>
  buildApplication({
    name: 'acme-web-staging',
    tenant: 'acme',
    component: 'acme-web',
    environment: 'staging',
  });

describe('livenessPrint', () => {
  it('is a small integer, the same for the same liveness fields', () => {
    const print = livenessPrint(app());
    // Within 31 bits, so V8 holds it in a map's entry itself, on any build.
    expect(Number.isInteger(print)).toBe(true);
    expect(Math.abs(print)).toBeLessThanOrEqual(2 ** 30);
    // What the liveness listing leaves out does not move it.
    const other = app();
    other.status!.reconciledAt = '2030-01-01T00:00:00Z';
    other.status!.resources = [];
    other.metadata.annotations = { note: 'changed' };
    expect(livenessPrint(other)).toBe(print);
  });

  it('moves with what the portal shows', () => {
    const print = livenessPrint(app());
    const degraded = app();
    degraded.status!.health = { status: 'Degraded', message: 'crash loop' };
    const labelled = app();
    labelled.metadata.labels = { ...labelled.metadata.labels, team: 'b' };
    const prints = new Set([
      print,
      livenessPrint(degraded),
      livenessPrint(labelled),
    ]);
    expect(prints.size).toBe(3);
  });
});

describe('valueDigest', () => {
  /** What Go writes for an empty value dropped, level by level, as Argo CD's listing drops it. */
  const prune = (value: unknown): unknown => {
    if (value === null || value === '' || value === undefined) return undefined;
    if (Array.isArray(value)) {
      const items = value.map(prune).filter(v => v !== undefined);
      return items.length ? items : undefined;
    }
    if (typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => [k, prune(v)] as const)
        .filter(([, v]) => v !== undefined);
      return entries.length ? Object.fromEntries(entries) : undefined;
    }
    return value;
  };
  /** The same object with its keys written in reverse order, at every level. */
  const reversed = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(reversed);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .reverse()
        .map(([k, v]) => [k, reversed(v)]),
    );
  };
  const values: unknown[] = [
    null,
    '',
    0,
    1,
    '1',
    false,
    true,
    'true',
    'x',
    [],
    [null, '', {}, []],
    ['a', 'b'],
    ['b', 'a'],
    ['ab'],
    [['a'], ['b']],
    [['a', 'b']],
    { a: 'b' },
    { b: 'a' },
    { a: ['b'] },
    { a: { b: 'c' } },
    { a: { c: 'b' } },
    { a: 'x', b: 'y' },
    { a: 'y', b: 'x' },
    { b: 1, a: { d: [], c: 'y' }, e: null, f: [{ h: '', g: 2 }, {}] },
    { 'z"q': 'quote', ä: 'ü', list: [3, 1, 2] },
    buildApplication({ name: 'web', realistic: true }),
  ];

  it('is the same for values Go lists alike: without empty values, keys in any order', () => {
    for (const value of values) {
      expect(valueDigest(value)).toBe(valueDigest(prune(value) ?? null));
      expect(valueDigest(reversed(value))).toBe(valueDigest(value));
    }
  });

  it('differs between values whose listed JSON differs', () => {
    const byJson = new Map<string, number>();
    for (const value of values)
      byJson.set(canonicalJson(prune(value) ?? null), valueDigest(value));
    // Every distinct listed form has a digest of its own.
    expect(new Set(byJson.values()).size).toBe(byJson.size);
  });

  it('moves with any one change of a realistic app', () => {
    // As listed: no object shared between two places of the app.
    const base = JSON.parse(
      JSON.stringify(buildApplication({ name: 'web', realistic: true })),
    );
    const digest = valueDigest(base);
    // Strings and numbers of the app changed, one at a time.
    const leaves: Array<Array<string | number>> = [];
    const walk = (value: unknown, path: Array<string | number>) => {
      if (typeof value === 'string' || typeof value === 'number') {
        if (value !== '') leaves.push(path);
      } else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value))
          walk(v, [...path, Array.isArray(value) ? Number(k) : k]);
      }
    };
    walk(base, []);
    // Every fifth (each digest walks the whole app), all of them in kind.
    const sampled = leaves.filter((_, i) => i % 5 === 0);
    const changed = new Set<number>();
    for (const path of sampled) {
      let parent: any = base;
      for (const step of path.slice(0, -1)) parent = parent[step];
      const last = path[path.length - 1];
      const before = parent[last];
      parent[last] = typeof before === 'number' ? before + 1 : `${before}~`;
      const d = valueDigest(base);
      parent[last] = before;
      expect(d).not.toBe(digest);
      changed.add(d);
    }
    expect(valueDigest(base)).toBe(digest);
    expect(sampled.length).toBeGreaterThan(100);
    expect(changed.size).toBe(sampled.length);
  });
});

describe('LivenessComparison', () => {
  it('keeps the matched items under the key the index holds, and recognises them by text next time', () => {
    const listed = app();
    const json = JSON.stringify(listed);
    const prints = new Map([['acme-web-staging', livenessPrint(listed)]]);
    const held = new Map([['acme-web-staging', 'held:acme-web-staging']]);
    const first = new LivenessComparison(
      prints,
      false,
      undefined,
      key => held.get(key)!,
    );
    expect(first.skip(listedItemDigest([Buffer.from(json)]))).toBe(false);
    first.add(JSON.parse(json));
    expect(first.differing(() => false)).toEqual([]);
    expect([...first.matched.values()]).toEqual(['held:acme-web-staging']);

    const unchanged: string[] = [];
    const next = new LivenessComparison(prints, false, {
      byDigest: first.matched,
      unchanged: key => {
        unchanged.push(key);
        return true;
      },
    });
    expect(next.skip(listedItemDigest([Buffer.from(json)]))).toBe(true);
    expect(unchanged).toEqual(['held:acme-web-staging']);
  });
});
