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
});
