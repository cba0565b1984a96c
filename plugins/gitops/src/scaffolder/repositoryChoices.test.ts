import { isRepositoryAllowed, repositoryChoices } from './repositoryChoices';

describe('repositoryChoices', () => {
  it('offers exact URLs and the fixed start of globs, never denials or bare wildcards', () => {
    expect(
      repositoryChoices([
        'https://github.com/acme/gitops',
        'https://github.com/acme/apps-*',
        'https://git.example.com/acme/*',
        '!https://github.com/acme/apps-secret',
        '*',
        'https://*',
        'https://github.com/acme/gitops',
      ]),
    ).toEqual([
      {
        value: 'https://github.com/acme/gitops',
        prefix: false,
        rule: 'https://github.com/acme/gitops',
      },
      {
        value: 'https://github.com/acme/apps-',
        prefix: true,
        rule: 'https://github.com/acme/apps-*',
      },
      {
        value: 'https://git.example.com/acme/',
        prefix: true,
        rule: 'https://git.example.com/acme/*',
      },
    ]);
  });
});

describe('isRepositoryAllowed', () => {
  const rules = [
    'https://github.com/acme/gitops',
    'https://git.example.com/acme/*',
    '!https://git.example.com/acme/private-*',
  ];

  it.each([
    ['https://github.com/acme/gitops', true],
    // Argo CD compares without case, trailing slash and .git
    ['https://GitHub.com/acme/gitops.git', true],
    ['https://github.com/acme/gitops/', true],
    // * crosses / as in Argo CD's util/glob
    ['https://git.example.com/acme/team/gitops', true],
    ['https://git.example.com/acme/private-infra', false],
    ['https://github.com/globex/gitops', false],
    ['https://git.example.com/acme', false],
    ['', false],
  ])('%s: %s', (url, allowed) => {
    expect(isRepositoryAllowed(rules, url)).toBe(allowed);
  });

  it('allows anything under *, except what a denial names', () => {
    expect(isRepositoryAllowed(['*'], 'https://any.example.com/x')).toBe(true);
    expect(
      isRepositoryAllowed(
        ['*', '!https://any.example.com/*'],
        'https://any.example.com/x',
      ),
    ).toBe(false);
  });

  it('treats regular-expression characters literally', () => {
    expect(
      isRepositoryAllowed(
        ['https://git.example.com/a.b'],
        'https://git-example.com/a.b',
      ),
    ).toBe(false);
    expect(
      isRepositoryAllowed(
        ['https://git.example.com/acme-[ab]'],
        'https://git.example.com/acme-b',
      ),
    ).toBe(true);
  });
});
