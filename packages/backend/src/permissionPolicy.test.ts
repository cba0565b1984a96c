import {
  type AuthService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  gitopsApplicationReadPermission,
  gitopsApplicationSyncPermission,
} from '@kupe/plugin-gitops-common';
import {
  ArgoCdFake,
  argoCdMswHandlers,
  buildApplication,
  buildTenantProject,
} from '@kupe/plugin-gitops-node/testUtils';
import { TenantResolver } from '@kupe/plugin-gitops-node';
import { setupServer } from 'msw/node';
import permissionPlugin from '@backstage/plugin-permission-backend';
import searchPlugin from '@backstage/plugin-search-backend';
import gitopsPlugin from '@kupe/plugin-gitops-backend';
import searchModuleGitopsCollator from '@kupe/plugin-search-backend-module-gitops';
import request from 'supertest';
import {
  KupePermissionPolicy,
  kupePermissionPolicyModule,
} from './permissionPolicy';

const users = {
  alice: 'user:default/alice', // tenant acme
  bob: 'user:default/bob', // tenant globex
  root: 'user:default/root', // platform admin
  nobody: 'user:default/nobody', // no tenant
};
const memberships: Record<string, string[]> = {
  [users.alice]: ['group:default/acme-team'],
  [users.bob]: ['group:default/globex-team'],
  [users.root]: ['group:default/platform'],
  [users.nobody]: ['group:default/guests'],
};

const group = (name: string, tenant?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: {
    name,
    namespace: 'default',
    annotations: tenant ? { 'kupe.cloud/tenant': tenant } : {},
  },
  spec: { type: 'team', children: [] },
});

const entities: Entity[] = [
  group('acme-team', 'acme'),
  group('globex-team', 'globex'),
  group('platform'),
  group('guests'),
];

const userInfo = mockServices.userInfo.mock({
  getUserInfo: async credentials => {
    const ref = (credentials.principal as { userEntityRef: string })
      .userEntityRef;
    return {
      userEntityRef: ref,
      ownershipEntityRefs: [ref, ...(memberships[ref] ?? [])],
    };
  },
});

/**
 * The mock auth service, except that a token a plugin gets on behalf of a user names that
 * plugin as actor, as real tokens do: the permission backend refuses conditional requests
 * from a user without an actor, which is what the plain mock produces.
 */
const onBehalfOfAwareAuth = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory: ({ plugin }): AuthService => {
    const base = mockServices.auth({ pluginId: plugin.getId() });
    return {
      authenticate: base.authenticate.bind(base),
      isPrincipal: base.isPrincipal.bind(base) as AuthService['isPrincipal'],
      getNoneCredentials: base.getNoneCredentials.bind(base),
      getOwnServiceCredentials: base.getOwnServiceCredentials.bind(base),
      getLimitedUserToken: base.getLimitedUserToken.bind(base),
      listPublicServiceKeys: base.listPublicServiceKeys.bind(base),
      async getPluginRequestToken(options) {
        if (base.isPrincipal(options.onBehalfOf, 'user')) {
          return {
            token: mockCredentials.user.token(
              options.onBehalfOf.principal.userEntityRef,
              { actor: { subject: `plugin:${plugin.getId()}` } },
            ),
          };
        }
        return base.getPluginRequestToken(options);
      },
    };
  },
});

const tenancyConfig = { tenancy: { adminGroups: ['group:default/platform'] } };

describe('KupePermissionPolicy', () => {
  function policy() {
    // The real resolver against an in-memory catalog, so tenants come from group annotations.
    return new KupePermissionPolicy(
      TenantResolver.fromConfig(
        mockServices.rootConfig({ data: { gitops: tenancyConfig } }),
        {
          catalog: catalogServiceMock({ entities }),
          userInfo,
          auth: mockServices.auth(),
        },
      ),
    );
  }
  const asUser = (ref: string) => ({
    credentials: mockCredentials.user(ref),
    info: { userEntityRef: ref, ownershipEntityRefs: memberships[ref] ?? [] },
  });

  it('answers CONDITIONAL with the gitops IS_IN_TENANT rule for a tenant member', async () => {
    await expect(
      policy().handle(
        { permission: gitopsApplicationReadPermission },
        asUser(users.alice),
      ),
    ).resolves.toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'gitops',
      resourceType: 'gitops-application',
      conditions: {
        rule: 'IS_IN_TENANT',
        resourceType: 'gitops-application',
        params: { tenants: ['acme'] },
      },
    });
    await expect(
      policy().handle(
        { permission: gitopsApplicationSyncPermission },
        asUser(users.bob),
      ),
    ).resolves.toMatchObject({
      conditions: { params: { tenants: ['globex'] } },
    });
  });

  it('allows admins, denies users without a tenant and callers without a user', async () => {
    const read = { permission: gitopsApplicationReadPermission };
    await expect(policy().handle(read, asUser(users.root))).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
    await expect(policy().handle(read, asUser(users.nobody))).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
    await expect(policy().handle(read)).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('allows permissions that are not about gitops applications', async () => {
    const other = createPermission({
      name: 'catalog.entity.read',
      attributes: {},
      resourceType: 'catalog-entity',
    });
    await expect(
      policy().handle({ permission: other }, asUser(users.nobody)),
    ).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });
});

describe('search tenant isolation (search backend + gitops collator + gitops backend + policy)', () => {
  const ARGOCD = 'http://argocd.test';
  const msw = setupServer();
  const fake = new ArgoCdFake();
  // startTestBackend stops the backend itself after the tests.
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

  beforeAll(async () => {
    for (const tenant of ['acme', 'globex']) {
      fake.putProject(buildTenantProject({ tenant }));
      for (const env of ['dev', 'prod']) {
        fake.putApplication(
          buildApplication({
            name: `${tenant}-web-${env}`,
            tenant,
            environment: env,
            images: [`ghcr.io/${tenant}/web:1.4.2`],
          }),
        );
      }
    }
    msw.use(...argoCdMswHandlers(fake, ARGOCD));
    msw.listen({ onUnhandledRequest: 'bypass' });

    const scheduler = mockServices.scheduler();
    const backend = await startTestBackend({
      features: [
        searchPlugin,
        searchModuleGitopsCollator,
        gitopsPlugin,
        permissionPlugin,
        kupePermissionPolicyModule,
        // The real permission client, so search and gitops ask the permission backend.
        permissionsServiceFactory,
        onBehalfOfAwareAuth,
        // One scheduler instance for the test to run the collation task when it wants.
        createServiceFactory({
          service: coreServices.scheduler,
          deps: {},
          factory: () => scheduler,
        }),
        mockServices.rootLogger.factory({ level: 'warn' }),
        catalogServiceMock.factory({ entities }),
        userInfo.factory,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            gitops: {
              ...tenancyConfig,
              instances: [
                { name: 'main', url: ARGOCD, token: ArgoCdFake.adminToken },
              ],
            },
          },
        }),
      ],
    });
    server = backend.server;
    await scheduler.triggerTask('search_index_argocd_application');
  });

  afterAll(async () => {
    msw.close();
    fake.close();
  });

  async function search(user: string, term: string): Promise<string[]> {
    const response = await request(server)
      .get('/api/search/query')
      .query({ term, types: ['argocd-application'] })
      .set('Authorization', mockCredentials.user.header(user));
    // The server's error text in the failure, not just its status.
    if (response.status !== 200)
      throw new Error(`${response.status} ${response.text}`);
    return response.body.results
      .map((r: { document: { title: string } }) => r.document.title)
      .sort();
  }

  /** The gitops plugin answers permission conditions from its index, filled in the background. */
  async function eventually(user: string, term: string, expected: string[]) {
    const deadline = Date.now() + 10_000;
    let titles = await search(user, term);
    while (titles.length < expected.length && Date.now() < deadline) {
      await new Promise(r => setTimeout(r, 100));
      titles = await search(user, term);
    }
    return titles;
  }

  it('gives alice only acme documents and bob only globex documents', async () => {
    await expect(
      eventually(users.alice, 'web', ['acme-web-dev', 'acme-web-prod']),
    ).resolves.toEqual(['acme-web-dev', 'acme-web-prod']);
    await expect(
      eventually(users.bob, 'web', ['globex-web-dev', 'globex-web-prod']),
    ).resolves.toEqual(['globex-web-dev', 'globex-web-prod']);
    // A term that only matches the other tenant's documents finds nothing at all.
    await expect(search(users.alice, 'globex')).resolves.toEqual([]);
    await expect(search(users.bob, 'acme')).resolves.toEqual([]);
  });

  it.each([
    ['alice', users.alice, 'acme-'],
    ['bob', users.bob, 'globex-'],
  ])(
    'never gives %s a document of another tenant, whatever the term',
    async (_, user, prefix) => {
      const terms = [
        'web',
        'acme',
        'globex',
        '1.4.2',
        'ghcr.io/acme/web:1.4.2',
        'tenant',
        'Synced',
        'dev',
      ];
      for (const term of terms) {
        for (const title of await search(user, term)) {
          expect({ term, title }).toEqual({
            term,
            title: expect.stringMatching(`^${prefix}`),
          });
        }
      }
    },
  );

  it('gives the platform admin both tenants and a tenantless user nothing', async () => {
    await expect(search(users.root, 'web')).resolves.toEqual([
      'acme-web-dev',
      'acme-web-prod',
      'globex-web-dev',
      'globex-web-prod',
    ]);
    await expect(search(users.nobody, 'web')).resolves.toEqual([]);
  });

  it('finds an application by its image tag', async () => {
    await expect(search(users.alice, '1.4.2')).resolves.toEqual([
      'acme-web-dev',
      'acme-web-prod',
    ]);
  });
});
