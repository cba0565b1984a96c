import { Codeowners, codeownersPatternRegex } from './codeowners';

describe('codeownersPatternRegex', () => {
  it.each([
    [
      'apps/*/overlays/prod/**',
      'apps/web/overlays/prod/kustomization.yaml',
      true,
    ],
    [
      'apps/*/overlays/prod/**',
      'apps/web/overlays/dev/kustomization.yaml',
      false,
    ],
    ['apps/*/overlays/prod/**', 'x/apps/web/overlays/prod/a.yaml', false],
    ['**/values-prod.yaml', 'apps/api/values-prod.yaml', true],
    ['**/values-prod.yaml', 'values-prod.yaml', true],
    ['**/prod/**', 'apps/shop/prod/deployment.yaml', true],
    ['**/prod/**', 'apps/shop/production/deployment.yaml', false],
    ['*.js', 'src/deep/a.js', true],
    ['/build/logs/', 'build/logs/a/b.log', true],
    ['/build/logs/', 'x/build/logs/a.log', false],
    ['apps/', 'x/apps/a.yaml', true],
    ['docs/*', 'docs/getting-started.md', true],
    ['docs/*', 'docs/build-app/troubleshooting.md', false],
    ['/apps/web', 'apps/web/base/deployment.yaml', true],
    ['/apps/web', 'apps/website/a.yaml', false],
  ])('%s matches %s: %s', (pattern, path, expected) => {
    expect(codeownersPatternRegex(pattern).test(path)).toBe(expected);
  });
});

describe('Codeowners', () => {
  it('lets the last matching rule win, and a rule without owners clear ownership', () => {
    const codeowners = new Codeowners(
      [
        '# comment',
        '*  @acme/platform',
        'apps/*/overlays/prod/** @acme/acme-devs alice@acme.example',
        'apps/web/overlays/prod/README.md',
        '',
      ].join('\n'),
    );
    expect(codeowners.ownersOf('README.md')).toEqual(['@acme/platform']);
    expect(codeowners.ownersOf('apps/web/overlays/prod/k.yaml')).toEqual([
      '@acme/acme-devs',
      'alice@acme.example',
    ]);
    expect(codeowners.ownersOf('apps/web/overlays/prod/README.md')).toEqual([]);
  });
});
