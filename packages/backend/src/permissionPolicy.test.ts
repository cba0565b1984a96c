import {
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
  type ConditionalPolicyDecision,
  type Permission,
  createPermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import { permissionRules as catalogPermissionRules } from '@backstage/plugin-catalog-backend/alpha';
import {
  catalogEntityDeletePermission,
  catalogIngestionManagePermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  actionExecutePermission,
  taskCancelPermission,
  taskCreatePermission,
  taskReadPermission,
  templateDryRunPermission,
  templateManagementPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  gitOpsApplicationAutomationPermission,
  gitOpsApplicationLogsPermission,
  gitOpsApplicationReadPermission,
  gitOpsApplicationSyncPermission,
  gitOpsReleaseQuarantinePermission,
  gitOpsApplicationSyncForcePermission,
  gitOpsApplicationSyncPrunePermission,
  gitOpsRolloutAbortPermission,
  gitOpsRolloutPromoteFullPermission,
  gitOpsRolloutPromotePermission,
  gitOpsRolloutRetryPermission,
} from '@kupe/plugin-gitops-common';
import {
  ArgoCdFake,
  argoCdMswHandlers,
  TEST_IDENTITY_ORIGIN,
  buildApplication,
  buildGroup,
  buildTenantProject,
} from '@kupe/plugin-gitops-node-test-utils';
import { onBehalfOfAwareAuth } from './__testUtils__/onBehalfOfAwareAuth';
import { TenantResolver } from '@kupe/plugin-gitops-node';
import { setupServer } from 'msw/node';
import permissionPlugin from '@backstage/plugin-permission-backend';
import searchPlugin from '@backstage/plugin-search-backend';
import gitOpsPlugin from '@kupe/plugin-gitops-backend';
import searchModuleGitOpsCollator from '@kupe/plugin-search-backend-module-gitops';
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

const group = (name: string, tenant?: string): Entity =>
  buildGroup(name, { tenant });

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

const tenancyConfig = {
  tenancy: {
    adminGroups: ['group:default/platform'],
    trustedOrigins: [TEST_IDENTITY_ORIGIN],
  },
};

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
        { permission: gitOpsApplicationReadPermission },
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
        { permission: gitOpsApplicationSyncPermission },
        asUser(users.bob),
      ),
    ).resolves.toMatchObject({
      conditions: { params: { tenants: ['globex'] } },
    });
  });

  it('keeps force, prune and Argo Rollout promotions in production to the platform team', async () => {
    for (const permission of [
      gitOpsApplicationSyncForcePermission,
      gitOpsApplicationSyncPrunePermission,
      gitOpsRolloutPromotePermission,
      gitOpsRolloutPromoteFullPermission,
    ]) {
      await expect(
        policy().handle({ permission }, asUser(users.alice)),
      ).resolves.toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'gitops',
        resourceType: 'gitops-application',
        conditions: {
          allOf: [
            {
              rule: 'IS_IN_TENANT',
              resourceType: 'gitops-application',
              params: { tenants: ['acme'] },
            },
            {
              not: {
                rule: 'HAS_ENVIRONMENT',
                resourceType: 'gitops-application',
                params: { environments: ['production'] },
              },
            },
          ],
        },
      });
      await expect(
        policy().handle({ permission }, asUser(users.root)),
      ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    }
  });

  it('lets tenant members quarantine releases of their own tenant only', async () => {
    const quarantine = { permission: gitOpsReleaseQuarantinePermission };
    await expect(
      policy().handle(quarantine, asUser(users.alice)),
    ).resolves.toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: { rule: 'IS_IN_TENANT', params: { tenants: ['acme'] } },
    });
    await expect(
      policy().handle(quarantine, asUser(users.nobody)),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    await expect(
      policy().handle(quarantine, asUser(users.root)),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('lets tenant members pause and resume auto-sync in every environment, production too', async () => {
    // Pausing ships nothing and resuming deploys only what Git holds (four eyes guard Git):
    // an on-call member must be able to pause production alone during an incident.
    await expect(
      policy().handle(
        { permission: gitOpsApplicationAutomationPermission },
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
  });

  it("lets tenant members read their own apps' logs, production too, and no one else's", async () => {
    // Logs can hold secrets, so they have a permission of their own; members need their
    // production pods' logs during an incident, and Argo CD's project role reads them too.
    await expect(
      policy().handle(
        { permission: gitOpsApplicationLogsPermission },
        asUser(users.alice),
      ),
    ).resolves.toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: { rule: 'IS_IN_TENANT', params: { tenants: ['acme'] } },
    });
    await expect(
      policy().handle(
        { permission: gitOpsApplicationLogsPermission },
        asUser(users.nobody),
      ),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it('lets tenant members abort and retry an Argo Rollout anywhere in their tenant, production too', async () => {
    for (const permission of [
      gitOpsRolloutAbortPermission,
      gitOpsRolloutRetryPermission,
    ]) {
      await expect(
        policy().handle({ permission }, asUser(users.alice)),
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
    }
  });

  it('allows admins, denies users without a tenant and callers without a user', async () => {
    const read = { permission: gitOpsApplicationReadPermission };
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

describe('KupePermissionPolicy beyond GitOps: the catalog and the scaffolder', () => {
  const resolver = () =>
    TenantResolver.fromConfig(
      mockServices.rootConfig({ data: { gitops: tenancyConfig } }),
      {
        catalog: catalogServiceMock({ entities }),
        userInfo,
        auth: mockServices.auth(),
      },
    );
  const decide = (permission: Permission, ref: string) =>
    new KupePermissionPolicy(resolver()).handle(
      { permission },
      {
        credentials: mockCredentials.user(ref),
        info: { userEntityRef: ref, ownershipEntityRefs: memberships[ref] },
      },
    );
  // The rules the catalog and the scaffolder apply to a conditional decision.
  const entityAuthorizer = createConditionAuthorizer(
    Object.values(catalogPermissionRules),
  );
  const entity = (name: string, owner: string): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { type: 'service', lifecycle: 'production', owner },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  });
  const globexShop = entity('globex-shop', 'group:default/globex-team');
  const acmeWeb = entity('acme-web', 'group:default/acme-team');

  it('lets only owners delete an entity: alice may not delete globex-shop, bob may', async () => {
    const alice = await decide(catalogEntityDeletePermission, users.alice);
    expect(alice.result).toBe(AuthorizeResult.CONDITIONAL);
    expect(
      entityAuthorizer(alice as ConditionalPolicyDecision, globexShop),
    ).toBe(false);
    expect(entityAuthorizer(alice as ConditionalPolicyDecision, acmeWeb)).toBe(
      true,
    );
    const bob = await decide(catalogEntityDeletePermission, users.bob);
    expect(entityAuthorizer(bob as ConditionalPolicyDecision, globexShop)).toBe(
      true,
    );
    expect(await decide(catalogEntityDeletePermission, users.root)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  it('keeps location deletion, ingestion management and template editing to admins', async () => {
    for (const permission of [
      catalogLocationDeletePermission,
      catalogIngestionManagePermission,
      templateManagementPermission,
    ]) {
      expect(await decide(permission, users.alice)).toEqual({
        result: AuthorizeResult.DENY,
      });
      expect(await decide(permission, users.root)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('lets tenant members register locations and run templates, and no one without a tenant', async () => {
    for (const permission of [
      catalogLocationCreatePermission,
      taskCreatePermission,
      templateDryRunPermission,
    ]) {
      expect(await decide(permission, users.alice)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
      expect(await decide(permission, users.nobody)).toEqual({
        result: AuthorizeResult.DENY,
      });
    }
  });

  it('offers tenant members only the actions that respect tenants', async () => {
    const decision = (await decide(
      actionExecutePermission,
      users.alice,
    )) as ConditionalPolicyDecision;
    // The scaffolder runs a step when any HAS_ACTION_ID condition names its action (the real
    // scaffolder applies this decision in portalBoundary.test.ts).
    const criteria = decision.conditions as unknown as {
      anyOf: Array<{ rule: string; params: { actionId: string } }>;
    };
    const may = (action: string) =>
      criteria.anyOf.some(
        c => c.rule === 'HAS_ACTION_ID' && c.params.actionId === action,
      );
    expect(may('kupe:gitops-repo:create')).toBe(true);
    expect(may('kupe:catalog:register')).toBe(true);
    expect(may('catalog:register')).toBe(true);
    for (const action of [
      'fetch:plain',
      'fetch:plain:file',
      'fetch:template',
      'publish:github',
      'github:repo:push',
      'notification:send',
    ]) {
      expect(may(action)).toBe(false);
    }
    expect(await decide(actionExecutePermission, users.root)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  it('makes a task readable and cancellable by its creator only', async () => {
    for (const permission of [taskReadPermission, taskCancelPermission]) {
      expect(await decide(permission, users.alice)).toMatchObject({
        result: AuthorizeResult.CONDITIONAL,
        conditions: {
          rule: 'IS_TASK_OWNER',
          params: { createdBy: [users.alice] },
        },
      });
    }
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
        searchModuleGitOpsCollator,
        gitOpsPlugin,
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

  it('keeps a forced sync of production to the platform team, through the app’s environment', async () => {
    const sync = (user: string, app: string) =>
      request(server)
        .post(`/api/gitops/instances/main/applications/${app}/sync`)
        .set('Authorization', mockCredentials.user.header(user))
        .send({ force: true });
    // The index answers the conditions; wait until it knows the app.
    await eventually(users.alice, 'web', ['acme-web-dev', 'acme-web-prod']);
    const refused = await sync(users.alice, 'acme-web-prod');
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(
      'Not allowed to force a sync of application "acme-web-prod" in production: that needs the gitops.application.sync.force permission',
    );
    expect(fake.getApplication('acme-web-prod')?.operation).toBeUndefined();
    expect((await sync(users.alice, 'acme-web-dev')).status).toBe(200);
    expect((await sync(users.root, 'acme-web-prod')).status).toBe(200);
    expect(fake.getApplication('acme-web-prod')?.operation?.sync).toMatchObject(
      { syncStrategy: { hook: { force: true } } },
    );
  });
});
