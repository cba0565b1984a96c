import { mockApis } from '@backstage/frontend-test-utils';
import { ScmIntegrations } from '@backstage/integration';
import { commitUrl, shortRevision } from './commitUrl';

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

// The app's integrations as app-config declares them: github.com is always there, a GitHub
// Enterprise host and the sandbox's Git host (an http origin with a port) are configured.
const integrations = ScmIntegrations.fromConfig(
  mockApis.config({
    data: {
      integrations: {
        github: [
          {
            host: 'ghe.acme.example',
            apiBaseUrl: 'https://ghe.acme.example/api/v3',
          },
          {
            host: '127.0.0.1:7008',
            apiBaseUrl: 'http://127.0.0.1:7008/api/v3',
          },
        ],
        gitlab: [
          {
            host: 'gitlab.acme.example',
            apiBaseUrl: 'https://gitlab.acme.example/api/v4',
          },
        ],
      },
    },
  }),
);

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
      'ssh://git@ghe.acme.example/acme/deploy.git',
      `https://ghe.acme.example/acme/deploy/commit/${SHA}`,
    ],
    [
      'http://127.0.0.1:7008/acme/gitops.git',
      `http://127.0.0.1:7008/acme/gitops/commit/${SHA}`,
    ],
    [
      'https://gitlab.acme.example/acme/group/deploy',
      `https://gitlab.acme.example/acme/group/deploy/-/commit/${SHA}`,
    ],
  ])('links %s through its integration', (repo, expected) => {
    expect(commitUrl(repo, SHA, integrations)).toBe(expected);
  });

  it.each([
    // a host no integration names: no guess from its name
    ['https://github.acme.internal/acme/deploy.git'],
    ['https://git.internal.example/acme/deploy.git'],
    // the sandbox's host on another port is another server
    ['http://127.0.0.1:7009/acme/gitops.git'],
    ['oci://ghcr.io/acme/charts'],
  ])('does not link %s', repo => {
    expect(commitUrl(repo, SHA, integrations)).toBeUndefined();
  });

  it('asks the registry about the repository host', () => {
    const byUrl = jest.fn(() => ({
      type: 'gitlab',
      title: 'code.example',
      resolveUrl: () => '',
      resolveEditUrl: () => '',
    }));
    const registry = {
      ...integrations,
      byUrl,
    } as unknown as typeof integrations;
    expect(commitUrl('https://code.example/acme/deploy', SHA, registry)).toBe(
      `https://code.example/acme/deploy/-/commit/${SHA}`,
    );
    expect(byUrl).toHaveBeenCalledWith('https://code.example/acme/deploy');
  });

  it('does not link chart versions or branch names', () => {
    expect(
      commitUrl('https://github.com/acme/deploy', '1.4.0', integrations),
    ).toBeUndefined();
    expect(
      commitUrl('https://github.com/acme/deploy', 'main', integrations),
    ).toBeUndefined();
    expect(shortRevision('1.4.0')).toBe('1.4.0');
    expect(shortRevision(SHA)).toBe('a1b2c3d');
  });
});
