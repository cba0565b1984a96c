import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { repositoryFileUrl } from './fileUrl';

describe('repositoryFileUrl', () => {
  const integrations = ScmIntegrations.fromConfig(
    new ConfigReader({
      integrations: {
        gitlab: [
          {
            host: 'gitlab.example.com',
            apiBaseUrl: 'https://gitlab.example.com/api/v4',
            token: 't',
          },
        ],
      },
    }),
  );
  const url = (repoUrl: string) =>
    repositoryFileUrl(
      integrations,
      repoUrl,
      'main',
      'apps/web/catalog-info.yaml',
    );

  it('gives the blob URL on GitHub and GitLab integration hosts', () => {
    expect(url('https://github.com/acme/gitops.git')).toBe(
      'https://github.com/acme/gitops/blob/main/apps/web/catalog-info.yaml',
    );
    expect(url('https://gitlab.example.com/acme/infra/gitops')).toBe(
      'https://gitlab.example.com/acme/infra/gitops/-/blob/main/apps/web/catalog-info.yaml',
    );
  });

  it('gives the raw endpoint beside plain Git served under /git/ (the sandbox)', () => {
    expect(url('http://127.0.0.1:7008/git/acme/gitops.git')).toBe(
      'http://127.0.0.1:7008/raw/acme/gitops/main/apps/web/catalog-info.yaml',
    );
    expect(url('http://localhost:7008/git/acme/gitops')).toBe(
      'http://localhost:7008/raw/acme/gitops/main/apps/web/catalog-info.yaml',
    );
  });

  it('gives nothing for hosts whose file URLs are unknown', () => {
    expect(url('https://git.example.com/acme/gitops.git')).toBeUndefined();
    expect(url('http://127.0.0.1:7008/git/a/b/c.git')).toBeUndefined();
    expect(url('file:///tmp/acme-gitops.git')).toBeUndefined();
    expect(url('not a url')).toBeUndefined();
  });
});
