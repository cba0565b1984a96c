import type { AppProject } from '../argocd/types';
import { globMatch } from './glob';
import { isDestinationPermitted, isSourceRepoPermitted } from './projectRules';

const project = (spec: AppProject['spec']): AppProject => ({
  metadata: { name: 'tenant-acme' },
  spec,
});

describe('globMatch', () => {
  it.each([
    ['tenant-a/*', 'tenant-a/ns/app', true],
    ['acme-?', 'acme-1', true],
    ['acme-?', 'acme-10', false],
    ['acme-[ab]', 'acme-b', true],
    ['acme-[!ab]', 'acme-b', false],
    ['a.b', 'axb', false],
    ['acme-[', 'acme-[', true],
  ])('%j ~ %j: %s', (pattern, value, expected) => {
    expect(globMatch(pattern, value)).toBe(expected);
  });
});

describe('isSourceRepoPermitted', () => {
  const p = project({
    sourceRepos: [
      'https://git.example.com/acme/*',
      '!https://git.example.com/acme/secret.git',
    ],
  });

  it('compares without case, trailing slashes and .git', () => {
    expect(
      isSourceRepoPermitted(p, 'https://GIT.example.com/acme/web.git/'),
    ).toBe(true);
  });

  it('lets a denial win over an allow rule', () => {
    expect(
      isSourceRepoPermitted(p, 'https://git.example.com/acme/secret'),
    ).toBe(false);
  });

  it('permits nothing without an allow rule, anything with *', () => {
    expect(isSourceRepoPermitted(project({}), 'https://x/y')).toBe(false);
    expect(
      isSourceRepoPermitted(project({ sourceRepos: ['*'] }), 'https://x/y'),
    ).toBe(true);
  });
});

describe('isDestinationPermitted', () => {
  const p = project({
    destinations: [
      { name: 'acme-*', namespace: 'team-*' },
      { server: 'https://prod.example.com', namespace: '*' },
      { name: 'acme-prod', namespace: '!team-secret' },
    ],
  });

  it('matches by name or server, and namespace', () => {
    expect(
      isDestinationPermitted(p, { name: 'acme-dev', namespace: 'team-web' }),
    ).toBe(true);
    expect(
      isDestinationPermitted(p, {
        server: 'https://prod.example.com',
        namespace: 'anything',
      }),
    ).toBe(true);
    expect(
      isDestinationPermitted(p, { name: 'acme-dev', namespace: 'other' }),
    ).toBe(false);
    expect(
      isDestinationPermitted(p, { name: 'globex-dev', namespace: 'team-web' }),
    ).toBe(false);
  });

  it('lets a denial win over an allow rule', () => {
    expect(
      isDestinationPermitted(p, {
        name: 'acme-prod',
        namespace: 'team-secret',
      }),
    ).toBe(false);
    expect(
      isDestinationPermitted(p, { name: 'acme-prod', namespace: 'team-web' }),
    ).toBe(true);
  });
});
