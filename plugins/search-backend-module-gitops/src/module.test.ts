/*
 * The module's customisation points, replaced the way a platform would: a search module
 * setting a document transformer, and a tenant resolver with its own environment rule.
 */
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { DocumentCollatorFactory } from '@backstage/plugin-search-common';
import {
  searchEngineRegistryExtensionPoint,
  searchIndexRegistryExtensionPoint,
} from '@backstage/plugin-search-backend-node/alpha';
import {
  TenantResolver,
  gitOpsSearchDocumentTransformerExtensionPoint,
  gitOpsTenantResolverServiceRef,
  gitOpsTenantCacheServiceRef,
} from '@kupe/plugin-gitops-node';
import {
  ArgoCdFake,
  argoCdMswHandlers,
  buildApplication,
} from '@kupe/plugin-gitops-node-test-utils';
import { setupServer } from 'msw/node';
import type { ArgoCdApplicationDocument } from './collators/ArgoCdApplicationDocument';
import { searchModuleGitOpsCollator } from './module';

const MAIN = 'https://argocd.example.com';
const msw = setupServer();
registerMswTestHooks(msw);

/** Starts the module against one fake Argo CD; the documents its collator produces. */
async function collate(
  features: Parameters<typeof startTestBackend>[0]['features'] = [],
): Promise<ArgoCdApplicationDocument[]> {
  const fake = new ArgoCdFake();
  fake.putApplication(
    buildApplication({
      name: 'acme-web-prod',
      tenant: 'acme',
      environment: 'prod',
      labels: { 'cost-centre': 'cc-42' },
    }),
  );
  msw.use(...argoCdMswHandlers(fake, MAIN));
  const factories: DocumentCollatorFactory[] = [];
  await startTestBackend({
    extensionPoints: [
      [
        searchIndexRegistryExtensionPoint,
        { addCollator: ({ factory }) => void factories.push(factory) },
      ],
      // The search engine is not what these tests look at: the module finds no engine to
      // wrap here and says so (exact search has its own tests).
      [searchEngineRegistryExtensionPoint, { setSearchEngine: () => {} }],
    ],
    features: [
      searchModuleGitOpsCollator,
      ...(features ?? []),
      catalogServiceMock.factory({ entities: [] }),
      mockServices.rootConfig.factory({
        data: {
          gitops: {
            instances: [
              { name: 'main', url: MAIN, token: ArgoCdFake.adminToken },
            ],
          },
        },
      }),
    ],
  });
  expect(factories).toHaveLength(1);
  const docs: ArgoCdApplicationDocument[] = [];
  for await (const doc of await factories[0].getCollator()) docs.push(doc);
  fake.close();
  return docs;
}

describe('searchModuleGitOpsCollator', () => {
  it('builds documents with the built-in rules when nothing is replaced (the control)', async () => {
    const [doc] = await collate();
    expect(doc).toMatchObject({
      title: 'acme-web-prod',
      tenant: 'acme',
      environment: 'production',
      authorization: {
        resourceRef: 'main:argocd/acme-web-prod',
      },
    });
    expect(doc).not.toHaveProperty('costCentre');
  });

  it('applies the transformer a search module sets, and keeps location and authorization', async () => {
    const [control] = await collate();
    const transformerModule = createBackendModule({
      pluginId: 'search',
      moduleId: 'cost-centres',
      register(env) {
        env.registerInit({
          deps: { documents: gitOpsSearchDocumentTransformerExtensionPoint },
          async init({ documents }) {
            documents.setDocumentTransformer((document, { app, instance }) => {
              const costCentre = app.metadata.labels?.['cost-centre'] ?? '';
              return {
                ...document,
                text: `${document.text}\ncost centre ${costCentre} on ${instance}`,
                costCentre,
                // Neither may change: the tenant rule rides on authorization.
                location: 'https://elsewhere.example.com',
                authorization: { resourceRef: 'other:argocd/globex-shop' },
              };
            });
          },
        });
      },
    });
    const [doc] = await collate([transformerModule]);
    expect(doc.text).toContain('cost centre cc-42 on main');
    expect(doc).toMatchObject({ costCentre: 'cc-42', tenant: 'acme' });
    expect(doc.location).toBe(control.location);
    expect(doc.authorization).toEqual(control.authorization);
  });

  it('takes the environment from the tenant resolver, so replacing its factory changes it', async () => {
    const resolverWithRule = createServiceFactory({
      service: gitOpsTenantResolverServiceRef,
      deps: {
        config: coreServices.rootConfig,
        cache: gitOpsTenantCacheServiceRef,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
      },
      factory: deps =>
        TenantResolver.fromConfig(deps.config, {
          ...deps,
          // A platform whose environments are named by a label of its own.
          environment: (app, { getDefault }) =>
            app.metadata.labels?.['cost-centre'] === 'cc-42'
              ? 'prod-eu'
              : getDefault(),
        }),
    });
    const [doc] = await collate([resolverWithRule]);
    expect(doc.environment).toBe('prod-eu');
    expect(doc.text).toContain('environment production');
  });
});
