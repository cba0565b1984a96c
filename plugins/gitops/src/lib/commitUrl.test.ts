import { commitUrl, shortRevision } from './commitUrl';

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

describe('commitUrl', () => {
  it.each([
    [
      'https://github.com/acme/deploy.git',
      `https://github.com/acme/deploy/commit/${SHA}`,
    ],
    [
      'git@github.com:acme/deploy.git',
      `https://github.com/acme/deploy/commit/${SHA}`,
    ],
    [
      'https://gitlab.com/acme/group/deploy',
      `https://gitlab.com/acme/group/deploy/-/commit/${SHA}`,
    ],
    [
      'https://bitbucket.org/acme/deploy.git',
      `https://bitbucket.org/acme/deploy/commits/${SHA}`,
    ],
    ['https://git.internal.example/acme/deploy.git', undefined],
    ['oci://ghcr.io/acme/charts', undefined],
  ])('links %s', (repo, expected) => {
    expect(commitUrl(repo, SHA)).toBe(expected);
  });

  it('does not link chart versions', () => {
    expect(
      commitUrl('https://github.com/acme/deploy', '1.4.0'),
    ).toBeUndefined();
    expect(shortRevision('1.4.0')).toBe('1.4.0');
    expect(shortRevision(SHA)).toBe('a1b2c3d');
  });
});
