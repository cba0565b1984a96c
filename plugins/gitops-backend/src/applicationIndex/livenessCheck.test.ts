import { canonicalJson } from '@kupe/plugin-gitops-common';
import { buildApplication } from '@kupe/plugin-gitops-node-test-utils';
import { LivenessComparison, livenessPrint, printText } from './livenessCheck';

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

describe('printText', () => {
  /** What Go writes for an empty value dropped, level by level, as printText drops it. */
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

  it('writes the canonical JSON of the value without Go’s empty values', () => {
    const values: unknown[] = [
      null,
      '',
      0,
      false,
      'x',
      [],
      [null, '', {}, []],
      { b: 1, a: { d: [], c: 'y' }, e: null, f: [{ h: '', g: 2 }, {}] },
      { 'z"q': 'quote', ä: 'ü', list: [3, 1, 2] },
      buildApplication({ name: 'web', realistic: true }),
    ];
    for (const value of values)
      expect(printText(value) ?? 'null').toBe(
        canonicalJson(prune(value) ?? null),
      );
  });

  it('does not depend on the order keys were written in', () => {
    expect(printText({ a: 1, b: { c: 2, d: 3 } })).toBe(
      printText({ b: { d: 3, c: 2 }, a: 1 }),
    );
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
    expect(first.skip(json)).toBe(false);
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
    expect(next.skip(json)).toBe(true);
    expect(unchanged).toEqual(['held:acme-web-staging']);
  });
});
