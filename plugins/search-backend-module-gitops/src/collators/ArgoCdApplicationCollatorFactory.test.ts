import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { TestPipeline } from '@backstage/plugin-search-backend-node';
import {
  TenantNaming,
  gitOpsApplicationReadPermission,
} from '@kupe/plugin-gitops-common';
import { DefaultArgoCdService } from '@kupe/plugin-gitops-node';
import {
  ArgoCdFake,
  argoCdMswHandlers,
  buildApplication,
} from '@kupe/plugin-gitops-node-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { ArgoCdApplicationDocument } from './ArgoCdApplicationDocument';
import { ArgoCdApplicationCollatorFactory } from './ArgoCdApplicationCollatorFactory';

const MAIN_URL = 'https://argocd.example.com';
const EDGE_URL = 'https://argocd-edge.example.com';
const DOWN_URL = 'https://argocd-down.example.com';

const server = setupServer();
registerMswTestHooks(server);

function component(
  name: string,
  annotations: Record<string, string>,
  namespace = 'default',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace, annotations },
    spec: {
      type: 'service',
      owner: 'group:default/acme',
      lifecycle: 'production',
    },
  };
}

function setup(options: { withDownInstance?: boolean } = {}) {
  // Serves Applications outside argocd (application.namespaces), like an apps-in-any-namespace install.
  const main = new ArgoCdFake({ applicationNamespaces: ['team-*'] });
  main.putApplication(
    buildApplication({
      name: 'acme-web-prod',
      tenant: 'acme',
      environment: 'prod',
      component: 'acme-web',
      repoURL: 'https://git.example.com/acme/web.git',
      path: 'deploy/prod',
      targetRevision: 'v1.4.2',
      images: ['ghcr.io/acme/web:1.4.2'],
      syncStatus: 'OutOfSync',
      health: 'Degraded',
    }),
  );
  main.putApplication(
    buildApplication({
      name: 'acme-api-dev',
      tenant: 'acme',
      labels: { team: 'api' },
    }),
  );
  main.putApplication(
    buildApplication({ name: 'globex-shop-dev', tenant: 'globex' }),
  );
  main.putApplication(
    buildApplication({
      name: 'orphan',
      namespace: 'team-apps',
      tenant: 'globex',
    }),
  );
  const edge = new ArgoCdFake();
  edge.putApplication(
    buildApplication({
      name: 'acme-web-prod',
      tenant: 'acme',
      environment: 'staging',
      component: 'acme-web',
    }),
  );
  edge.putApplication(
    buildApplication({ name: 'globex-shop-dev', tenant: 'globex' }),
  );

  server.use(
    ...argoCdMswHandlers(main, MAIN_URL),
    ...argoCdMswHandlers(edge, EDGE_URL),
    http.all(`${DOWN_URL}/*`, () =>
      HttpResponse.json(
        { error: 'boom', code: 13, message: 'boom' },
        { status: 500 },
      ),
    ),
  );
  const argoCd = new DefaultArgoCdService([
    {
      name: 'main',
      url: MAIN_URL,
      uiUrl: 'https://ui.argocd.example.com/',
      token: ArgoCdFake.adminToken,
    },
    ...(options.withDownInstance
      ? [{ name: 'down', url: DOWN_URL, token: ArgoCdFake.adminToken }]
      : []),
    { name: 'edge', url: EDGE_URL, token: ArgoCdFake.adminToken },
  ]);
  const catalog = catalogServiceMock({
    entities: [
      // Found through the app's backstage.io/kubernetes-id label.
      component(
        'acme-web',
        { 'backstage.io/kubernetes-id': 'acme-web' },
        'acme',
      ),
      // Exact names, on the default (first) instance only.
      component('globex-shop', { 'argocd/app-name': 'globex-shop-dev, other' }),
      // A selector, on the default instance.
      component('acme-api', { 'argocd/app-selector': 'team=api' }),
      // Not GitOps-annotated: must not be read into the index.
      component('unrelated', {}),
    ],
  });
  const logger = mockServices.logger.mock();
  const factory = ArgoCdApplicationCollatorFactory.fromConfig(
    mockServices.rootConfig(),
    {
      argoCd,
      catalog,
      auth: mockServices.auth(),
      logger,
      tenantNaming: new TenantNaming(),
      catalogPageSize: 1,
    },
  );
  return { main, edge, catalog, logger, factory };
}

async function collate(factory: ArgoCdApplicationCollatorFactory) {
  const { documents } = await TestPipeline.fromCollator(
    await factory.getCollator(),
  ).execute();
  return documents as ArgoCdApplicationDocument[];
}

describe('ArgoCdApplicationCollatorFactory', () => {
  it('declares its type and the per-application read permission', () => {
    const { factory } = setup();
    expect(factory.type).toBe('argocd-application');
    expect(factory.visibilityPermission).toBe(gitOpsApplicationReadPermission);
  });

  it('indexes one document per application of every instance', async () => {
    const { factory } = setup();
    const documents = await collate(factory);
    expect(documents.map(d => d.authorization?.resourceRef).sort()).toEqual([
      'edge:argocd/acme-web-prod',
      'edge:argocd/globex-shop-dev',
      'main:argocd/acme-api-dev',
      'main:argocd/acme-web-prod',
      'main:argocd/globex-shop-dev',
      'main:team-apps/orphan',
    ]);
  });

  it('fills the filter fields and searchable text of an application', async () => {
    const { factory } = setup();
    const documents = await collate(factory);
    const web = documents.find(
      d => d.authorization?.resourceRef === 'main:argocd/acme-web-prod',
    )!;
    expect(web).toMatchObject({
      title: 'acme-web-prod',
      instance: 'main',
      appNamespace: 'argocd',
      project: 'tenant-acme',
      tenant: 'acme',
      environment: 'production',
      cluster: 'acme-prod',
      namespace: 'acme-web-prod',
      repoURL: 'https://git.example.com/acme/web.git',
      syncStatus: 'OutOfSync',
      healthStatus: 'Degraded',
      entityRef: 'component:acme/acme-web',
    });
    for (const term of [
      'ghcr.io/acme/web:1.4.2',
      'web:1.4.2',
      '1.4.2',
      'deploy/prod',
      'v1.4.2',
      'tenant acme',
      'cluster acme-prod',
      'OutOfSync',
      'Degraded',
    ]) {
      expect(web.text).toContain(term);
    }
  });

  it('makes every source of a multi-source app and a Helm chart with its version searchable', async () => {
    const { factory, main } = setup();
    main.putApplication(
      buildApplication({
        name: 'acme-web-dev',
        tenant: 'acme',
        component: 'acme-web',
        sources: [
          {
            repoURL: 'https://charts.example.com/stable',
            chart: 'web',
            targetRevision: '2.4.1',
            helm: { valueFiles: ['$values/apps/web/dev/values.yaml'] },
          },
          {
            repoURL: 'https://git.example.com/acme/values.git',
            targetRevision: 'main',
            ref: 'values',
          },
          {
            repoURL: 'https://git.example.com/acme/extras.git',
            path: 'extras/dev',
            targetRevision: 'main',
          },
        ],
      }),
    );
    main.putApplication(
      buildApplication({
        name: 'acme-redis-dev',
        tenant: 'acme',
        component: 'acme-web',
        chart: 'redis',
        repoURL: 'https://charts.example.com/stable',
        targetRevision: '19.6.x',
        revision: '19.6.2',
      }),
    );
    const documents = await collate(factory);
    const multi = documents.find(d => d.title === 'acme-web-dev')!;
    for (const term of [
      'repository https://charts.example.com/stable',
      'chart web 2.4.1 web:2.4.1',
      'repository https://git.example.com/acme/values.git',
      'values values',
      'repository https://git.example.com/acme/extras.git',
      'path extras/dev',
    ]) {
      expect(multi.text).toContain(term);
    }
    // The range resolves to what Argo CD reports as synced, read from the lean listing.
    const redis = documents.find(d => d.title === 'acme-redis-dev')!;
    expect(redis.text).toContain('chart redis 19.6.2 redis:19.6.2');
    expect(redis.text).toContain('revision 19.6.x');
    expect(redis.repoURL).toBe('https://charts.example.com/stable');
  });

  it('links to the owning entity GitOps tab, else to the Argo CD UI', async () => {
    const { factory } = setup();
    const byRef = new Map(
      (await collate(factory)).map(d => [d.authorization?.resourceRef, d]),
    );
    expect(byRef.get('main:argocd/acme-web-prod')?.location).toBe(
      '/catalog/acme/component/acme-web/gitops?application=main%3Aargocd%2Facme-web-prod',
    );
    expect(byRef.get('main:argocd/globex-shop-dev')?.location).toBe(
      '/catalog/default/component/globex-shop/gitops?application=main%3Aargocd%2Fglobex-shop-dev',
    );
    expect(byRef.get('main:argocd/acme-api-dev')?.location).toBe(
      '/catalog/default/component/acme-api/gitops?application=main%3Aargocd%2Facme-api-dev',
    );
    // No trailing double slash, app namespace in the path as Argo CD's UI routes it.
    expect(byRef.get('main:team-apps/orphan')?.location).toBe(
      'https://ui.argocd.example.com/applications/team-apps/orphan',
    );
    expect(byRef.get('main:team-apps/orphan')?.entityRef).toBe('');
    // The label still links the edge copy; app-name and selectors apply to the default instance only.
    expect(byRef.get('edge:argocd/acme-web-prod')?.location).toBe(
      '/catalog/acme/component/acme-web/gitops?application=edge%3Aargocd%2Facme-web-prod',
    );
    expect(byRef.get('edge:argocd/globex-shop-dev')?.location).toBe(
      'https://argocd-edge.example.com/applications/argocd/globex-shop-dev',
    );
  });

  it('gives each application its own location, the key of a document in the search engine', async () => {
    const { factory } = setup();
    const documents = await collate(factory);
    const locations = documents.map(d => d.location);
    // The fixture has several apps of one entity (acme-web on two instances, for one).
    expect(
      new Set(documents.map(d => d.entityRef).filter(Boolean)).size,
    ).toBeLessThan(documents.filter(d => d.entityRef).length);
    expect(new Set(locations).size).toBe(locations.length);
  });

  it('reads only GitOps-annotated entities with limited fields, paged, as the service', async () => {
    const { factory, catalog } = setup();
    const query = jest.spyOn(catalog, 'queryEntities');
    await collate(factory);
    // Page size 1 and three annotated entities: three pages, the unrelated one never read.
    expect(query).toHaveBeenCalledTimes(3);
    const first = query.mock.calls[0];
    expect(first[0]).toMatchObject({
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.annotations',
      ],
      limit: 1,
    });
    expect(first[1]).toMatchObject({
      credentials: { principal: { type: 'service' } },
    });
    const names = await Promise.all(query.mock.results.map(r => r.value));
    expect(
      names.flatMap(p => p.items.map((e: Entity) => e.metadata.name)),
    ).not.toContain('unrelated');
  });

  it('asks Argo CD for a fields projection instead of whole applications', async () => {
    const { factory, main } = setup();
    await collate(factory);
    const lists = main.requests.filter(r => r.path === '/api/v1/applications');
    expect(lists).toHaveLength(1);
    const fields = lists[0].query.get('fields')?.split(',') ?? [];
    expect(fields).toEqual(
      expect.arrayContaining([
        'items.metadata.name',
        'items.status.summary',
        'items.status.sync.revision',
      ]),
    );
    expect(fields).not.toContain('items.status.resources');
    expect(fields).not.toContain('items.spec');
  });

  it('skips an instance that fails, logs it, and still indexes the others', async () => {
    const { factory, logger } = setup({ withDownInstance: true });
    const documents = await collate(factory);
    expect(documents.map(d => d.instance).sort()).toEqual([
      'edge',
      'edge',
      'main',
      'main',
      'main',
      'main',
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('Skipping Argo CD instance down'),
    );
  });
});
