import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { readScaffolderConfig } from './readScaffolderConfig';

describe('readScaffolderConfig', () => {
  const read = (scaffolder?: JsonObject) =>
    readScaffolderConfig(
      new ConfigReader(scaffolder ? { gitops: { scaffolder } } : {}),
    );

  it('uses the Argo CD API unless applicationTarget is kubernetes', () => {
    expect(read()).toEqual({});
    expect(read({ applicationTarget: 'argocd' })).toEqual({});
    expect(
      read({
        applicationTarget: 'kubernetes',
        kubernetes: {
          url: 'https://management.example.com',
          token: 't',
          namespace: 'gitops',
        },
      }),
    ).toEqual({
      kubernetes: {
        url: 'https://management.example.com',
        token: 't',
        namespace: 'gitops',
        caData: undefined,
        skipTLSVerify: undefined,
      },
    });
  });

  it('fails at startup naming the key for a wrong target or a missing cluster', () => {
    expect(() => read({ applicationTarget: 'argo' })).toThrow(
      'Invalid config gitops.scaffolder.applicationTarget: must be argocd or kubernetes, got "argo"',
    );
    expect(() => read({ applicationTarget: 'kubernetes' })).toThrow(
      /gitops\.scaffolder\.kubernetes/,
    );
  });
});
