/*
 * One tenant resolver for the portal: the real gitops plugin, scaffolder module, search module
 * and permission policy all take theirs from gitOpsTenantResolverServiceRef, over one group
 * cache, so a user's groups are read from the catalog once however many of them ask.
 */
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  type CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import searchPlugin from '@backstage/plugin-search-backend';
import gitOpsPlugin from '@kupe/plugin-gitops-backend';
import {
  TenantResolver,
  gitOpsTenantCacheServiceRef,
  gitOpsTenantResolverServiceRef,
} from '@kupe/plugin-gitops-node';
import gitOpsScaffolderModule from '@kupe/plugin-scaffolder-backend-module-gitops';
import gitOpsSearchModule from '@kupe/plugin-search-backend-module-gitops';
import {
  TEST_IDENTITY_ORIGIN,
  buildGroup,
} from '@kupe/plugin-gitops-node-test-utils';
import request from 'supertest';
import { onBehalfOfAwareAuth } from './__testUtils__/onBehalfOfAwareAuth';
import { kupePermissionPolicyModule } from './permissionPolicy';

// Four plugins start on a shared 2-core machine.
jest.setTimeout(60_000);

const ALICE = 'user:default/alice';
const catalog = catalogServiceMock({
  entities: [buildGroup('acme-team', { tenant: 'acme' })],
});

describe('the tenant resolver of the portal', () => {
  it('is built for the gitops, scaffolder, search and permission plugins over one cache, and reads a user’s groups once', async () => {
    const built: Array<{ plugin: string; cache: unknown }> = [];
    const reads: string[] = [];
    const { server } = await startTestBackend({
      features: [
        gitOpsPlugin,
        scaffolderPlugin,
        gitOpsScaffolderModule,
        searchPlugin,
        gitOpsSearchModule,
        permissionPlugin,
        kupePermissionPolicyModule,
        permissionsServiceFactory,
        onBehalfOfAwareAuth,
        mockServices.rootLogger.factory({ level: 'error' }),
        // The default factory's own wiring, recording which plugin asked for a resolver.
        createServiceFactory({
          service: gitOpsTenantResolverServiceRef,
          deps: {
            plugin: coreServices.pluginMetadata,
            config: coreServices.rootConfig,
            cache: gitOpsTenantCacheServiceRef,
            catalog: catalogServiceRef,
            auth: coreServices.auth,
            userInfo: coreServices.userInfo,
          },
          factory: ({ plugin, ...deps }) => {
            built.push({ plugin: plugin.getId(), cache: deps.cache });
            return TenantResolver.fromConfig(deps.config, deps);
          },
        }),
        // The catalog, counting the group reads of every plugin.
        createServiceFactory({
          service: catalogServiceRef,
          deps: { plugin: coreServices.pluginMetadata },
          factory: ({ plugin }) =>
            new Proxy(catalog, {
              get(target, key) {
                if (key === 'getEntitiesByRefs') {
                  return (
                    ...args: Parameters<CatalogService['getEntitiesByRefs']>
                  ) => {
                    reads.push(plugin.getId());
                    return target.getEntitiesByRefs(...args);
                  };
                }
                const value = (target as any)[key];
                return typeof value === 'function' ? value.bind(target) : value;
              },
            }),
        }),
        createServiceFactory({
          service: coreServices.userInfo,
          deps: {},
          factory: () => ({
            async getUserInfo() {
              return {
                userEntityRef: ALICE,
                ownershipEntityRefs: [ALICE, 'group:default/acme-team'],
              };
            },
          }),
        }),
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            gitops: {
              tenancy: { trustedOrigins: [TEST_IDENTITY_ORIGIN] },
            },
          },
        }),
      ],
    });

    expect(built.map(b => b.plugin).sort()).toEqual([
      'gitops',
      'permission',
      'scaffolder',
      'search',
    ]);
    expect(new Set(built.map(b => b.cache)).size).toBe(1);

    const as = { Authorization: mockCredentials.user.header(ALICE) };
    // The gitops plugin resolves alice's tenants ...
    const tenants = await request(server).get('/api/gitops/tenants').set(as);
    expect(tenants.status).toBe(200);
    // ... and the permission policy does too, for a permission it governs, from the cache.
    const decision = await request(server)
      .post('/api/permission/authorize')
      .set(as)
      .send({
        items: [
          {
            id: 'register',
            permission: {
              type: 'basic',
              name: 'catalog.location.create',
              attributes: { action: 'create' },
            },
          },
        ],
      });
    expect(decision.status).toBe(200);
    expect(decision.body.items[0].result).toBe('ALLOW');
    expect(reads).toEqual(['gitops']);
  });
});
