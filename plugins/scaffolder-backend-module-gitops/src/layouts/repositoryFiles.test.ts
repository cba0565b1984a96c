import { mergeCodeowners } from './repositoryFiles';

describe('mergeCodeowners', () => {
  it('starts a file with a header and the service line', () => {
    expect(mergeCodeowners(undefined, 'web', ['@acme/team-web'])).toBe(
      '# Owners of each service in this GitOps repository\n/apps/web/ @acme/team-web\n',
    );
  });

  it('puts a new service before repository-wide rules, so production rules still win (last match)', () => {
    const existing = [
      '# Production changes need an approval by the tenant team.',
      '/apps/web/ @acme/team-web',
      '/apps/*/overlays/prod/ @acme/acme-devs',
      '/apps/*/values-prod.yaml @acme/acme-devs',
      '',
    ].join('\n');
    expect(mergeCodeowners(existing, 'api', ['@acme/team-api'])).toBe(
      [
        '# Production changes need an approval by the tenant team.',
        '/apps/web/ @acme/team-web',
        '/apps/api/ @acme/team-api',
        '/apps/*/overlays/prod/ @acme/acme-devs',
        '/apps/*/values-prod.yaml @acme/acme-devs',
        '',
      ].join('\n'),
    );
  });

  it('replaces the service line in place and converges on re-runs', () => {
    const once = mergeCodeowners(
      '/apps/web/ @old\n/apps/*/prod/ @acme/acme-devs\n',
      'web',
      ['@acme/team-web'],
    );
    expect(once).toBe(
      '/apps/web/ @acme/team-web\n/apps/*/prod/ @acme/acme-devs\n',
    );
    expect(mergeCodeowners(once, 'web', ['@acme/team-web'])).toBe(once);
  });
});
