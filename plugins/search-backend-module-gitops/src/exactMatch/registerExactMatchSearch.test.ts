import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import searchPlugin from '@backstage/plugin-search-backend';
import {
  searchEngineRegistryExtensionPoint,
  searchIndexRegistryExtensionPoint,
} from '@backstage/plugin-search-backend-node/alpha';
import type { DocumentCollatorFactory } from '@backstage/plugin-search-common';
import { TenantNaming } from '@kupe/plugin-gitops-common';
import { buildApplication } from '@kupe/plugin-gitops-node-test-utils';
import { Readable } from 'node:stream';
import request from 'supertest';
import { toArgoCdApplicationDocument } from '../collators/toArgoCdApplicationDocument';
import { registerExactMatchSearch } from './registerExactMatchSearch';

const documents = ['1.3.0', '1.3.1', '1.4.0', '2.3.0'].map((tag, i) =>
  toArgoCdApplicationDocument({
    app: buildApplication({
      name: `acme-app${i}-dev`,
      tenant: 'acme',
      images: [`ghcr.io/acme/app${i}:${tag}`],
    }),
    instance: { name: 'main', uiUrl: 'https://argocd.example.com' },
    naming: new TenantNaming(),
    owner: undefined,
    defaultAppNamespace: 'argocd',
  }),
);

const collatorFactory: DocumentCollatorFactory = {
  type: 'argocd-application',
  getCollator: async () => Readable.from(documents),
};

/** The search plugin's own Lunr engine, as the sandbox runs it, with the wrapper registered. */
async function startSearch(options: { exact: boolean }) {
  const scheduler = mockServices.scheduler();
  const registered: boolean[] = [];
  const { server } = await startTestBackend({
    features: [
      searchPlugin,
      createBackendModule({
        pluginId: 'search',
        moduleId: 'test-apps',
        register(env) {
          env.registerInit({
            deps: {
              indexRegistry: searchIndexRegistryExtensionPoint,
              engineRegistry: searchEngineRegistryExtensionPoint,
              logger: coreServices.logger,
            },
            async init({ indexRegistry, engineRegistry, logger }) {
              if (options.exact) {
                registered.push(
                  registerExactMatchSearch(engineRegistry, logger),
                );
              }
              indexRegistry.addCollator({
                factory: collatorFactory,
                schedule: scheduler.createScheduledTaskRunner({
                  frequency: { minutes: 10 },
                  timeout: { minutes: 1 },
                }),
              });
            },
          });
        },
      }),
      createServiceFactory({
        service: coreServices.scheduler,
        deps: {},
        factory: () => scheduler,
      }),
    ],
  });
  await scheduler.triggerTask('search_index_argocd_application');
  return { server, registered };
}

async function search(server: Parameters<typeof request>[0], term: string) {
  const response = await request(server)
    .get('/api/search/query')
    .query({ term });
  expect(response.status).toBe(200);
  return (response.body.results as Array<{ document: { title: string } }>)
    .map(r => r.document.title)
    .sort();
}

describe('registerExactMatchSearch', () => {
  it('wraps the engine the search plugin falls back to (Lunr), so its HTTP API answers exactly', async () => {
    const { server, registered } = await startSearch({ exact: true });
    expect(registered).toEqual([true]);
    expect(await search(server, '1.3.0')).toEqual(['acme-app0-dev']);
    expect(await search(server, '9.9.9')).toEqual([]);
  });

  it('without it, the same API answers a version with its near neighbours', async () => {
    const { server } = await startSearch({ exact: false });
    expect((await search(server, '1.3.0')).length).toBeGreaterThan(1);
  });
});
