import { TenantNaming } from '@kupe/plugin-gitops-common';
import type { LabelSelectorRequirement } from '@kupe/plugin-gitops-node';
import { buildApplication } from '@kupe/plugin-gitops-node-test-utils';
import { ApplicationLookup, MAX_COPIED_BUCKET } from './ApplicationLookup';
import {
  type IndexedApplication,
  toIndexedApplication,
} from './IndexedApplication';

const record = (
  name: string,
  labels: Record<string, string>,
  namespace = 'argocd',
) => {
  const app = buildApplication({ name, tenant: 'acme' });
  app.metadata.labels = labels;
  app.metadata.namespace = namespace;
  return toIndexedApplication(
    'main',
    app,
    new TenantNaming(),
    'argocd',
    undefined,
    new Date(),
  );
};

const names = (apps: Iterable<IndexedApplication> | undefined) =>
  apps ? [...apps].map(app => app.name) : undefined;

const team = (value: string): LabelSelectorRequirement[] => [
  { key: 'team', operator: 'Equals', values: [value] },
];

describe('ApplicationLookup', () => {
  it('finds the apps of a key however many share it, in the order they came, as it grows past a copied array and shrinks back', () => {
    const lookup = new ApplicationLookup();
    const count = MAX_COPIED_BUCKET + 3;
    const apps = Array.from({ length: count }, (_, i) =>
      record(`web-${i}`, { team: 'a', 'app.kubernetes.io/name': `web-${i}` }),
    );
    const other = record('api', { team: 'b' });
    lookup.add(other);
    for (let i = 0; i < count; i++) {
      lookup.add(apps[i]);
      // Adding the same record again changes nothing.
      lookup.add(apps[i]);
      expect(names(lookup.candidates(team('a')))).toEqual(
        apps.slice(0, i + 1).map(app => app.name),
      );
    }
    expect(names(lookup.candidates(team('b')))).toEqual(['api']);

    // Removing from the front, so every shape of bucket loses an app that is not its last.
    for (let i = 0; i < count; i++) {
      lookup.remove(apps[i]);
      // Removing a record that is not held changes nothing.
      lookup.remove(apps[i]);
      expect(names(lookup.candidates(team('a')))).toEqual(
        apps.slice(i + 1).map(app => app.name),
      );
    }
    expect(names(lookup.candidates(team('b')))).toEqual(['api']);
  });

  it('keeps each key to its own apps when one record replaces another', () => {
    const lookup = new ApplicationLookup();
    const before = [1, 2, 3].map(i =>
      record(`web-${i}`, { team: 'a' }, 'apps'),
    );
    for (const app of before) lookup.add(app);
    // By name only outside Argo CD's namespace: the index's own map keys the others by name.
    const home = record('web-2', { team: 'c' });
    lookup.add(home);
    expect([...lookup.byNameElsewhere('web-2')]).toEqual([before[1]]);
    const moved = record('web-2', { team: 'b' }, 'apps');
    lookup.remove(before[1]);
    lookup.add(moved);
    expect(names(lookup.candidates(team('a')))).toEqual(['web-1', 'web-3']);
    expect([...lookup.candidates(team('b'))!]).toEqual([moved]);
    expect([...lookup.byNameElsewhere('web-2')]).toEqual([moved]);
    lookup.remove(moved);
    expect([...lookup.byNameElsewhere('web-2')]).toEqual([]);
    // A narrower project bucket wins over a wider label bucket.
    expect(
      names(
        lookup.candidates(
          [{ key: 'team', operator: 'In', values: ['a', 'b'] }],
          'no-such-project',
        ),
      ),
    ).toEqual([]);
  });

  it('builds the lookup of a listing as adding each record would, letting the event loop run every slice', async () => {
    const records = Array.from({ length: 320 }, (_, i) =>
      record(`web-${i}`, { team: i % 2 ? 'a' : 'b', tier: 'backend' }),
    );
    const added = new ApplicationLookup();
    for (const r of records) added.add(r);
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns += 1;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    // A clock that moves a millisecond each time it is read (every 16 records).
    let clock = 0;
    const built = await ApplicationLookup.build(records, {
      sliceMs: 5,
      now: () => clock++,
    });
    ticking = false;
    // 20 reads of the clock, a pause every 5 ms of it: 4 pauses, each a turn of the loop.
    expect(turns).toBeGreaterThanOrEqual(3);
    for (const selector of [team('a'), team('b'), team('c')]) {
      expect(names(built.candidates(selector))).toEqual(
        names(added.candidates(selector)),
      );
    }
    expect(
      names(
        built.candidates([
          { key: 'tier', operator: 'Equals', values: ['backend'] },
        ]),
      ),
    ).toHaveLength(320);
  });

  it('stops building once its signal is aborted', async () => {
    const records = Array.from({ length: 64 }, (_, i) =>
      record(`web-${i}`, { team: 'a' }),
    );
    const abort = new AbortController();
    abort.abort(new Error('listing cut'));
    let clock = 0;
    await expect(
      ApplicationLookup.build(records, {
        sliceMs: 1,
        signal: abort.signal,
        now: () => (clock += 10),
      }),
    ).rejects.toThrow('listing cut');
  });
});
