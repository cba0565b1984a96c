import { PerApp } from './PerApp';

const app = (instance: string, appNamespace: string, name: string) => ({
  instance,
  appNamespace,
  name,
});

describe('PerApp', () => {
  it('keeps one value per instance, app namespace and name', () => {
    const values = new PerApp<string>();
    values.set(app('a', 'argocd', 'web'), 'a/argocd/web');
    values.set(app('a', 'team', 'web'), 'a/team/web');
    values.set(app('b', 'argocd', 'web'), 'b/argocd/web');
    // Not confused by a separator inside a name: each part is its own key.
    values.set(app('a', 'argocd', 'web/x'), 'a/argocd/web/x');
    values.set(app('a', 'argocd/web', 'x'), 'a/argocd/web + x');
    values.set(app('a', 'argocd', 'web'), 'a/argocd/web again');
    expect(values.size).toBe(5);
    expect(values.get(app('a', 'argocd', 'web'))).toBe('a/argocd/web again');
    expect(values.get(app('a', 'argocd/web', 'x'))).toBe('a/argocd/web + x');
    expect(values.get(app('c', 'argocd', 'web'))).toBeUndefined();
    expect([...values.valuesOf('b')]).toEqual(['b/argocd/web']);
    expect([...values.valuesOf('a')].sort()).toEqual([
      'a/argocd/web + x',
      'a/argocd/web again',
      'a/argocd/web/x',
      'a/team/web',
    ]);
    expect([...values.values()]).toHaveLength(5);
  });

  it('forgets deleted apps', () => {
    const values = new PerApp<number>();
    values.set(app('a', 'argocd', 'web'), 1);
    values.set(app('a', 'argocd', 'api'), 2);
    values.delete(app('a', 'argocd', 'web'));
    values.delete(app('a', 'argocd', 'web')); // twice: still one fewer
    values.delete(app('z', 'argocd', 'web')); // never there
    expect(values.size).toBe(1);
    expect(values.get(app('a', 'argocd', 'web'))).toBeUndefined();
    values.delete(app('a', 'argocd', 'api'));
    expect(values.size).toBe(0);
    expect([...values.values()]).toEqual([]);
    values.set(app('a', 'argocd', 'web'), 3);
    expect([...values.valuesOf('a')]).toEqual([3]);
  });
});
