import {
  compareEnvironments,
  isProductionEnvironment,
  nextEnvironment,
  normalizeEnvironment,
} from './environments';
import { isGitOpsAvailable } from './annotations';
import {
  applicationResourceRef,
  parseApplicationResourceRef,
} from './permissions';

describe('environments', () => {
  it('sorts in promotion order, aliases included, unknown last', () => {
    expect(['prod', 'qa-eu', 'dev', 'stage'].sort(compareEnvironments)).toEqual(
      ['dev', 'stage', 'prod', 'qa-eu'],
    );
    expect(normalizeEnvironment('PRD')).toBe('production');
    expect(isProductionEnvironment('prod')).toBe(true);
    expect(isProductionEnvironment('staging')).toBe(false);
  });

  it('finds the next environment in promotion order among those present', () => {
    expect(nextEnvironment('dev', ['prod', 'staging', 'dev'])).toBe('staging');
    expect(nextEnvironment('dev', ['prod', 'dev'])).toBe('prod');
    expect(nextEnvironment('stage', ['production'])).toBe('production');
    expect(nextEnvironment('prod', ['dev', 'staging'])).toBeUndefined();
    expect(nextEnvironment('qa-eu', ['prod'])).toBeUndefined();
    expect(nextEnvironment('dev', ['qa-eu', 'sandbox'])).toBeUndefined();
  });
});

describe('annotations and resource refs', () => {
  it('knows when an entity declares Argo CD applications', () => {
    expect(
      isGitOpsAvailable({
        metadata: { annotations: { 'argocd/app-name': 'web' } },
      }),
    ).toBe(true);
    expect(
      isGitOpsAvailable({
        metadata: { annotations: { 'argocd/app-selector': ' ' } },
      }),
    ).toBe(false);
    expect(isGitOpsAvailable({ metadata: {} })).toBe(false);
  });

  it('round-trips application resource refs', () => {
    const ref = applicationResourceRef({
      instance: 'central',
      appNamespace: 'argocd',
      name: 'web',
    });
    expect(ref).toBe('central:argocd/web');
    expect(parseApplicationResourceRef(ref)).toEqual({
      instance: 'central',
      appNamespace: 'argocd',
      name: 'web',
    });
    expect(parseApplicationResourceRef('central:../web')).toBeUndefined();
  });
});
