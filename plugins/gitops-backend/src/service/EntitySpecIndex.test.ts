import { parseLabelSelector } from '@kupe/plugin-gitops-node';
import { indexedApp } from '../__testUtils__/indexedApp';
import {
  type EntityApplicationSpec,
  matchesEntitySpec,
} from './entityApplicationSpec';
import { EntitySpecIndex } from './EntitySpecIndex';

const spec = (
  names: string[],
  selector?: string,
  more: Partial<EntityApplicationSpec> = {},
): EntityApplicationSpec => ({
  names,
  ...(selector ? { selector: parseLabelSelector(selector) } : {}),
  ...more,
});

describe('EntitySpecIndex', () => {
  it('finds exactly the values whose spec selects one of the apps, as checking each would', () => {
    // Names, every selector operator, and the namespace and project a spec may pin.
    const specs: EntityApplicationSpec[] = [
      spec(['web-prod']),
      spec(['web-prod', 'web-dev']),
      spec([], 'app=web'),
      spec([], 'app in (web,api)'),
      spec([], 'app=web,env!=prod'),
      spec([], 'env notin (prod)'),
      spec([], 'app'),
      spec([], '!app'),
      spec([], 'env=prod,app in (api)'),
      spec(['api-prod'], 'app=web'),
      spec(['web-prod'], undefined, { appNamespace: 'other' }),
      spec([], 'app=web', { project: 'tenant-other' }),
      spec([]),
    ];
    const apps = [
      indexedApp('web-prod', { app: 'web', env: 'prod' }),
      indexedApp('web-dev', { app: 'web', env: 'dev' }),
      indexedApp('api-prod', { app: 'api', env: 'prod' }),
      indexedApp('bare'),
      indexedApp('web-prod', { app: 'web', env: 'prod' }, 'other'),
      indexedApp('db', { tier: 'data' }),
    ];
    const index = new EntitySpecIndex<number>();
    specs.forEach((s, i) => index.add(i, s));
    expect(index.size).toBe(specs.length);
    // Every subset of the apps a change may carry.
    for (let mask = 0; mask < 1 << apps.length; mask++) {
      const changed = apps.filter((_, i) => mask & (1 << i));
      const expected = specs
        .map((s, i) => (changed.some(a => matchesEntitySpec(s, a)) ? i : -1))
        .filter(i => i >= 0);
      expect([...index.selecting(changed)].sort((a, b) => a - b)).toEqual(
        expected,
      );
    }
  });

  it('forgets a deleted value and files a re-added one under its new spec only', () => {
    const index = new EntitySpecIndex<string>();
    index.add('stream', spec(['web-prod']));
    index.add('other', spec([], 'env!=prod'));
    index.add('stream', spec([], 'app=api'));
    expect([...index.selecting([indexedApp('web-prod')])]).toEqual(['other']);
    expect([
      ...index.selecting([indexedApp('x', { app: 'api', env: 'prod' })]),
    ]).toEqual(['stream']);
    index.delete('stream');
    index.delete('other');
    index.delete('never-added');
    expect(index.size).toBe(0);
    expect([...index.selecting([indexedApp('x', { app: 'api' })])]).toEqual([]);
  });
});
