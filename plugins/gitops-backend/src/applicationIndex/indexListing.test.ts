import { TenantNaming } from '@kupe/plugin-gitops-common';
import type { Application } from '@kupe/plugin-gitops-node';
import { buildApplication } from '@kupe/plugin-gitops-node-test-utils';
import { toIndexedApplication } from './IndexedApplication';
import { ListingBuilder } from './indexListing';
import type { IndexedApplication } from './IndexedApplication';

const naming = new TenantNaming();
const now = new Date('2026-01-05T12:00:00Z');

const toRecord = (app: Application, previous?: IndexedApplication) =>
  toIndexedApplication('argocd', app, naming, 'argocd', previous, now);

function listing(
  current: ReadonlyMap<string, IndexedApplication>,
  apps: Application[],
): ListingBuilder {
  const builder = new ListingBuilder(current, 100, toRecord);
  for (const app of apps) builder.add(app);
  return builder;
}

describe('ListingBuilder', () => {
  const web = () =>
    buildApplication({ name: 'web', tenant: 'acme', health: 'Healthy' });
  const api = () =>
    buildApplication({ name: 'api', tenant: 'acme', health: 'Healthy' });

  it('keeps the record of every app a relist finds unchanged, and builds new ones only for what changed', () => {
    const first = listing(new Map(), [web(), api()]);
    expect(first.changed().map(r => r.name)).toEqual(['web', 'api']);
    expect([...first.apps.keys()]).toEqual(['web', 'api']);

    const degraded = api();
    degraded.status!.health = { status: 'Degraded', message: 'crash loop' };
    const relist = listing(first.apps, [web(), degraded]);
    // The same object, not an equal copy: the relist holds no second index.
    expect(relist.apps.get('web')).toBe(first.apps.get('web'));
    expect(relist.apps.get('api')).not.toBe(first.apps.get('api'));
    expect(relist.apps.get('api')!.healthStatus).toBe('Degraded');
    expect(relist.changed()).toEqual([
      first.apps.get('api'),
      relist.apps.get('api'),
    ]);

    // Nothing changed, nothing gone: no change, every record kept.
    const again = listing(relist.apps, [web(), degraded]);
    expect(again.changed()).toEqual([]);
    for (const [key, record] of again.apps)
      expect(record).toBe(relist.apps.get(key));
  });
});
