import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { ArgoCdService } from '../client/ArgoCdClient';
import { argoCdServiceRef } from './argoCdServiceRef';

function probePlugin(seen: ArgoCdService[]) {
  return createBackendPlugin({
    pluginId: 'gitops',
    register(env) {
      env.registerInit({
        deps: { argocd: argoCdServiceRef, logger: coreServices.logger },
        async init({ argocd }) {
          seen.push(argocd);
        },
      });
    },
  });
}

describe('argoCdServiceRef', () => {
  it('builds the service from gitops.instances by default', async () => {
    const seen: ArgoCdService[] = [];
    await startTestBackend({
      features: [
        probePlugin(seen),
        mockServices.rootConfig.factory({
          data: {
            gitops: {
              instances: [
                {
                  name: 'main',
                  url: 'https://argocd.example.com',
                  token: 'a.b.c',
                },
              ],
            },
          },
        }),
      ],
    });
    expect(seen[0].listInstances()).toEqual([
      {
        name: 'main',
        url: 'https://argocd.example.com',
        uiUrl: 'https://argocd.example.com',
      },
    ]);
  });

  it('can be replaced in tests', async () => {
    const seen: ArgoCdService[] = [];
    const fake: ArgoCdService = {
      listInstances: () => [
        { name: 'fake', url: 'http://fake', uiUrl: 'http://fake' },
      ],
      forInstance: () => {
        throw new Error('not used');
      },
    };
    await startTestBackend({
      features: [
        probePlugin(seen),
        createServiceFactory({
          service: argoCdServiceRef,
          deps: {},
          factory: () => fake,
        }),
      ],
    });
    expect(seen[0]).toBe(fake);
  });
});
