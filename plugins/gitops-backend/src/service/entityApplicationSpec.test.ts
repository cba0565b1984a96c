import type { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { readEntityApplicationSpec } from './entityApplicationSpec';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'acme-api', namespace: 'default', annotations },
});

describe('readEntityApplicationSpec', () => {
  it('reads an entity object once: every later read gets the same spec', () => {
    const read = entity({
      'argocd/app-selector': 'backstage.io/kubernetes-id=acme-api',
      'argocd/instance-name': 'main',
    });
    const spec = readEntityApplicationSpec(read);
    expect(spec).toEqual({
      names: [],
      selector: [
        {
          key: 'backstage.io/kubernetes-id',
          operator: 'Equals',
          values: ['acme-api'],
        },
      ],
      instance: 'main',
      project: undefined,
      appNamespace: undefined,
    });
    expect(readEntityApplicationSpec(read)).toBe(spec);
  });

  it('reads another object of the same entity (a new catalog read) anew', () => {
    const before = readEntityApplicationSpec(
      entity({ 'argocd/app-name': 'acme-api-dev' }),
    );
    const after = readEntityApplicationSpec(
      entity({ 'argocd/app-name': 'acme-api-dev,acme-api-prod' }),
    );
    expect(before.names).toEqual(['acme-api-dev']);
    expect(after.names).toEqual(['acme-api-dev', 'acme-api-prod']);
  });

  it('throws the 400 of a malformed annotation on every read of the object', () => {
    const bad = entity({ 'argocd/app-selector': 'a=b&projects=x' });
    for (let i = 0; i < 3; i++) {
      expect(() => readEntityApplicationSpec(bad)).toThrow(InputError);
    }
    // One the spec's own checks refuse, after the selector parsed.
    const tooMany = entity({
      'argocd/app-name': Array.from({ length: 101 }, (_, i) => `a${i}`).join(),
    });
    for (let i = 0; i < 2; i++) {
      expect(() => readEntityApplicationSpec(tooMany)).toThrow(
        'argocd/app-name lists more than 100 applications',
      );
    }
  });
});
