import { mockServices } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import { DefaultArgoCdService } from './DefaultArgoCdService';

describe('DefaultArgoCdService', () => {
  const config = mockServices.rootConfig({
    data: {
      gitops: {
        instances: [
          { name: 'main', url: 'https://argocd.example.com', token: 'a.b.c' },
          {
            name: 'edge',
            url: 'https://argocd.edge.example.com',
            uiUrl: 'https://ui.edge.example.com',
            username: 'admin',
            password: 'pw',
          },
        ],
      },
    },
  });
  const service = DefaultArgoCdService.fromConfig(config, {
    logger: mockServices.logger.mock(),
  });

  it('lists instances in config order without credentials', () => {
    expect(service.listInstances()).toEqual([
      {
        name: 'main',
        url: 'https://argocd.example.com',
        uiUrl: 'https://argocd.example.com',
      },
      {
        name: 'edge',
        url: 'https://argocd.edge.example.com',
        uiUrl: 'https://ui.edge.example.com',
      },
    ]);
  });

  it('returns one shared client per instance', () => {
    expect(service.forInstance('edge').instance.name).toBe('edge');
    expect(service.forInstance('main')).toBe(service.forInstance('main'));
  });

  it.each(['other', '', '../main', 'MAIN'])(
    'rejects the unknown instance %j',
    name => {
      expect(() => service.forInstance(name)).toThrow(NotFoundError);
    },
  );

  it('fails at startup on invalid config', () => {
    expect(() =>
      DefaultArgoCdService.fromConfig(
        mockServices.rootConfig({
          data: { gitops: { instances: [{ name: 'main', url: 'https://a' }] } },
        }),
        { logger: mockServices.logger.mock() },
      ),
    ).toThrow(
      'Invalid config gitops.instances[0]: needs either token or both username and password',
    );
  });
});
