/*
 * The gitops plugin's extension points, each replaced by a module the way a platform would,
 * and the plugin shown to use the replacement.
 */
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  type ApplicationEnvironmentRule,
  type CallerTenantsRule,
  type GitHost,
  gitOpsGitHostExtensionPoint,
  gitOpsTenancyExtensionPoint,
} from '@kupe/plugin-gitops-node';
import {
  ArgoCdFake,
  TEST_IDENTITY_ORIGIN,
  argoCdMswHandlers,
} from '@kupe/plugin-gitops-node-test-utils';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { MAIN, entities, seedFake, users } from './__testUtils__/gitopsBackend';
import gitOpsPlugin from './index';

// The plugin starts with its index and routes on a shared 2-core machine.
jest.setTimeout(60_000);

/** A platform's rule: alice also works for globex, by a claim its identity provider makes. */
const widenAlice: CallerTenantsRule = async (credentials, { getDefault }) => {
  const caller = await getDefault();
  const ref = (credentials.principal as { userEntityRef?: string })
    .userEntityRef;
  return ref === users.alice
    ? { ...caller, tenants: new Set([...caller.tenants, 'globex']) }
    : caller;
};

const tenancyModule = createBackendModule({
  pluginId: 'gitops',
  moduleId: 'idp-tenants',
  register(env) {
    env.registerInit({
      deps: { tenancy: gitOpsTenancyExtensionPoint },
      async init({ tenancy }) {
        tenancy.setCallerTenantsRule(widenAlice);
      },
    });
  },
});

/** A platform's rule: its production stage is called `live`. */
const liveStage: ApplicationEnvironmentRule = (_app, { getDefault }) => {
  const environment = getDefault();
  return environment === 'production' ? 'live' : environment;
};

const environmentModule = createBackendModule({
  pluginId: 'gitops',
  moduleId: 'live-stage',
  register(env) {
    env.registerInit({
      deps: { tenancy: gitOpsTenancyExtensionPoint },
      async init({ tenancy }) {
        tenancy.setEnvironmentRule(liveStage);
      },
    });
  },
});

describe('gitops plugin extension points', () => {
  const { fake, tokens } = seedFake();
  const msw = setupServer(...argoCdMswHandlers(fake, MAIN));
  beforeAll(() => msw.listen({ onUnhandledRequest: 'bypass' }));
  afterAll(() => {
    msw.close();
    fake.close();
  });

  const scheduler = mockServices.scheduler();
  const start = (modules: Array<ReturnType<typeof createBackendModule>>) =>
    startTestBackend({
      features: [
        gitOpsPlugin,
        ...modules,
        // Tasks run when the test triggers them.
        createServiceFactory({
          service: coreServices.scheduler,
          deps: {},
          factory: () => scheduler,
        }),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({ send: async () => {} }),
        }),
        catalogServiceMock.factory({ entities }),
        mockServices.userInfo.mock({
          getUserInfo: async credentials => {
            const ref = (credentials.principal as { userEntityRef: string })
              .userEntityRef;
            return {
              userEntityRef: ref,
              ownershipEntityRefs: [
                ref,
                ...(ref === users.alice ? ['group:default/acme-team'] : []),
              ],
            };
          },
        }).factory,
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        createServiceFactory({
          service: coreServices.rootLogger,
          deps: {},
          factory: () => mockServices.rootLogger({ level: 'none' }),
        }),
        mockServices.rootConfig.factory({
          data: {
            gitops: {
              instances: [
                {
                  name: 'main',
                  url: MAIN,
                  token: ArgoCdFake.adminToken,
                  projectTokens: tokens,
                },
              ],
              tenancy: { trustedOrigins: [TEST_IDENTITY_ORIGIN] },
            },
          },
        }),
      ],
    });

  const tenantsOf = async (server: any, user: string) => {
    const response = await request(server)
      .get('/api/gitops/tenants')
      .set('Authorization', mockCredentials.user.header(user));
    expect(response.status).toBe(200);
    return response.body.items.map((t: { name: string }) => t.name).sort();
  };

  it('resolves a caller’s tenants by the built-in rules without a module (the control)', async () => {
    const { server } = await start([]);
    expect(await tenantsOf(server, users.alice)).toEqual(['acme']);
    server.close();
  });

  it('resolves them by the rule a module set through gitOpsTenancyExtensionPoint', async () => {
    const { server } = await start([tenancyModule]);
    expect(await tenantsOf(server, users.alice)).toEqual(['acme', 'globex']);
    // The rule saw the default answer and left bob's alone: he has no tenant.
    expect(await tenantsOf(server, users.bob)).toEqual([]);
    server.close();
  });

  const environmentsOf = async (server: any) => {
    const response = await request(server)
      .get('/api/gitops/entities/default/component/acme-web/applications')
      .set('Authorization', mockCredentials.user.header(users.alice));
    expect(response.status).toBe(200);
    return Object.fromEntries(
      response.body.items.map((a: { name: string; environment?: string }) => [
        a.name,
        a.environment,
      ]),
    );
  };

  it('indexes an app’s environment by the built-in rule without a module (the control)', async () => {
    const { server } = await start([]);
    expect(await environmentsOf(server)).toEqual({
      'acme-web-dev': 'dev',
      'acme-web-prod': 'production',
    });
    server.close();
  });

  it('indexes it by the environment rule a module set through gitOpsTenancyExtensionPoint', async () => {
    const { server } = await start([environmentModule]);
    // The entity's applications are read from the index: its records carry the rule's answer.
    expect(await environmentsOf(server)).toEqual({
      'acme-web-dev': 'dev',
      'acme-web-prod': 'live',
    });
    server.close();
  });

  it('asks the Git host a module set through gitOpsGitHostExtensionPoint which repositories it serves', async () => {
    const asked: string[] = [];
    // A platform's host: here GitHub behind an audit of which repositories it is asked about.
    const audited = (github: GitHost): GitHost =>
      new Proxy(github, {
        get(target, key) {
          const value = (target as any)[key];
          if (key === 'supports') {
            return (url: string) => {
              asked.push(url);
              return target.supports(url);
            };
          }
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    const hostModule = createBackendModule({
      pluginId: 'gitops',
      moduleId: 'other-git-host',
      register(env) {
        env.registerInit({
          deps: { hosts: gitOpsGitHostExtensionPoint },
          async init({ hosts }) {
            hosts.setGitHost(({ getDefault }) => audited(getDefault()));
          },
        });
      },
    });
    const { server } = await start([hostModule]);
    const deadline = Date.now() + 20_000;
    while (asked.length === 0 && Date.now() < deadline) {
      await scheduler.triggerTask('gitops-four-eyes');
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    const repositories = fake
      .listApplications()
      .map(app => app.spec?.source?.repoURL);
    expect(asked.length).toBeGreaterThan(0);
    expect(repositories).toEqual(expect.arrayContaining([...new Set(asked)]));
    server.close();
  });
});
