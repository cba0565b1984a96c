import { DEFAULT_APP_NAMESPACE, keyOf } from './instanceIndexTypes';

describe('keyOf', () => {
  it("is the name itself in Argo CD's namespace and namespace/name elsewhere, so no two apps share a key", () => {
    const name = ['web', 'dev'].join('-');
    expect(keyOf(DEFAULT_APP_NAMESPACE, name)).toBe(name);
    expect(keyOf('apps', name)).toBe('apps/web-dev');
    const keys = [
      keyOf(DEFAULT_APP_NAMESPACE, 'web'),
      keyOf('apps', 'web'),
      keyOf(DEFAULT_APP_NAMESPACE, 'apps'),
      keyOf('web', 'apps'),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });
});
