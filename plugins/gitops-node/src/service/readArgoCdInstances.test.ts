import { ConfigReader } from '@backstage/config';
import { readArgoCdInstances } from './readArgoCdInstances';

function read(instances: unknown[]) {
  return readArgoCdInstances(
    new ConfigReader({ gitops: { instances } } as never),
  );
}

describe('readArgoCdInstances', () => {
  it('reads every key of an instance', () => {
    expect(
      read([
        {
          name: 'main',
          url: 'https://argocd.example.com',
          uiUrl: 'https://ui.example.com',
          token: 'a.b.c',
          projectTokens: { acme: 'p.q.r' },
          timeoutMs: 5000,
          caCert: 'PEM',
          skipTlsVerify: false,
        },
        {
          name: 'edge',
          url: 'http://argocd.edge:8080',
          username: 'admin',
          password: 'pw',
        },
      ]),
    ).toEqual([
      {
        name: 'main',
        url: 'https://argocd.example.com',
        uiUrl: 'https://ui.example.com',
        token: 'a.b.c',
        projectTokens: { acme: 'p.q.r' },
        timeoutMs: 5000,
        caCert: 'PEM',
        skipTlsVerify: false,
      },
      expect.objectContaining({
        name: 'edge',
        username: 'admin',
        password: 'pw',
      }),
    ]);
  });

  it('reads the timeout as a duration, and timeoutMs as its deprecated alias', () => {
    const logger = { warn: jest.fn() };
    const [withDuration, withObject, withAlias] = readArgoCdInstances(
      new ConfigReader({
        gitops: {
          instances: [
            { name: 'a', url: 'https://a', token: 't', timeout: '5s' },
            {
              name: 'b',
              url: 'https://b',
              token: 't',
              timeout: { minutes: 1 },
            },
            { name: 'c', url: 'https://c', token: 't', timeoutMs: 2500 },
          ],
        },
      }),
      { logger },
    );
    expect(withDuration.timeoutMs).toBe(5000);
    expect(withObject.timeoutMs).toBe(60_000);
    expect(withAlias.timeoutMs).toBe(2500);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('gitops.instances[2].timeoutMs is deprecated'),
    );
  });

  it('reads the watch idle timeout as a duration, unset by default', () => {
    const [set, unset] = readArgoCdInstances(
      new ConfigReader({
        gitops: {
          instances: [
            {
              name: 'a',
              url: 'https://a',
              token: 't',
              watchIdleTimeout: '45s',
            },
            { name: 'b', url: 'https://b', token: 't' },
          ],
        },
      }),
    );
    expect(set.watchIdleTimeoutMs).toBe(45_000);
    expect(unset.watchIdleTimeoutMs).toBeUndefined();
  });

  it('reads no instances when the key is absent', () => {
    expect(readArgoCdInstances(new ConfigReader({}))).toEqual([]);
  });

  it.each([
    [
      [{ name: 'Main', url: 'https://a', token: 't' }],
      'gitops.instances[0].name',
    ],
    [
      [
        { name: 'main', url: 'https://a', token: 't' },
        { name: 'main', url: 'https://b', token: 't' },
      ],
      'gitops.instances[1].name: instance name "main" is used more than once',
    ],
    [
      [{ name: 'main', url: 'ftp://a', token: 't' }],
      'gitops.instances[0].url: must be an http',
    ],
    [
      [{ name: 'main', url: 'not a url', token: 't' }],
      'gitops.instances[0].url',
    ],
    [
      [{ name: 'main', url: 'https://u:p@a', token: 't' }],
      'must not carry credentials',
    ],
    [
      // eslint-disable-next-line no-script-url -- the case proves a javascript: uiUrl is rejected
      [{ name: 'main', url: 'https://a', uiUrl: 'javascript:x', token: 't' }],
      'uiUrl',
    ],
    [
      [{ name: 'main', url: 'https://a' }],
      'gitops.instances[0]: needs either token',
    ],
    [
      [{ name: 'main', url: 'https://a', username: 'admin' }],
      'needs either token',
    ],
    [
      [
        {
          name: 'main',
          url: 'https://a',
          token: 't',
          username: 'u',
          password: 'p',
        },
      ],
      'not both',
    ],
    [
      [
        {
          name: 'main',
          url: 'https://a',
          token: 't',
          projectTokens: { 'Bad Tenant': 'x' },
        },
      ],
      'gitops.instances[0].projectTokens',
    ],
    [
      [{ name: 'main', url: 'https://a', token: 't', timeoutMs: 0 }],
      'timeoutMs',
    ],
    [
      [{ name: 'main', url: 'https://a', token: 't', timeout: '0s' }],
      'gitops.instances[0].timeout must be a positive duration',
    ],
    [
      [{ name: 'main', url: 'https://a', token: 't', timeout: 'soon' }],
      'gitops.instances[0].timeout must be a duration',
    ],
  ])('rejects %j naming the key', (instances, message) => {
    expect(() => read(instances)).toThrow(message);
  });

  it('never repeats a secret in its errors', () => {
    expect(() =>
      read([{ name: 'main', url: 'ftp://a', token: 'super.secret.token' }]),
    ).toThrow(
      expect.objectContaining({
        message: expect.not.stringContaining('super.secret'),
      }),
    );
  });
});
