import {
  coreServices,
  createServiceFactory,
  type LoggerService,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ArgoCdFake,
  SimpleController,
  argoCdMswHandlers,
  buildApplication,
  buildCluster,
  buildGroup,
  buildTenantProject,
  TEST_IDENTITY_ORIGIN,
} from '@kupe/plugin-gitops-node-test-utils';
import { setupServer } from 'msw/node';
import type { JsonObject } from '@backstage/types';
import {
  type NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import gitOpsPlugin from '../index';

export const MAIN = 'http://argocd.test';
export const SECOND = 'http://argocd-second.test';

// Groups from the platform's identity provider: trusted for tenant membership.
const group = (name: string, tenant?: string): Entity =>
  buildGroup(name, { tenant });

const component = (
  name: string,
  owner: string,
  annotations: Record<string, string>,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', lifecycle: 'production', owner },
});

export const entities: Entity[] = [
  group('acme-team', 'acme'),
  group('globex-team', 'globex'),
  group('platform'),
  component('acme-web', 'group:default/acme-team', {
    'argocd/app-selector': 'backstage.io/kubernetes-id=acme-web',
  }),
  component('globex-shop', 'group:default/globex-team', {
    'argocd/app-selector': 'backstage.io/kubernetes-id=globex-shop',
  }),
  // An acme entity naming a globex app: must reveal nothing.
  component('sneaky', 'group:default/acme-team', {
    'argocd/app-name': 'globex-shop-dev,acme-web-dev',
  }),
  component('bad-selector', 'group:default/acme-team', {
    'argocd/app-selector': 'a=b&projects=tenant-globex',
  }),
];

export const users = {
  alice: 'user:default/alice', // acme
  bob: 'user:default/bob', // globex
  root: 'user:default/root', // platform admin
};

const memberships: Record<string, string[]> = {
  [users.alice]: ['group:default/acme-team'],
  [users.bob]: ['group:default/globex-team'],
  [users.root]: ['group:default/platform'],
};

export function seedFake(): {
  fake: ArgoCdFake;
  tokens: Record<string, string>;
} {
  const fake = new ArgoCdFake({
    controller: new SimpleController({ stepMs: 5 }),
  });
  for (const tenant of ['acme', 'globex']) {
    fake.putProject(
      buildTenantProject({ tenant, roles: [{ name: 'backstage' }] }),
    );
    for (const env of ['dev', 'prod'])
      fake.putCluster(buildCluster({ tenant, environment: env }));
  }
  fake.putApplication(
    buildApplication({
      name: 'acme-web-dev',
      tenant: 'acme',
      component: 'acme-web',
      syncPolicy: 'auto',
      historyLength: 3,
    }),
  );
  fake.putApplication(
    buildApplication({
      name: 'acme-web-prod',
      tenant: 'acme',
      component: 'acme-web',
      environment: 'prod',
      syncStatus: 'OutOfSync',
      historyLength: 2,
    }),
  );
  fake.putApplication(
    buildApplication({
      name: 'globex-shop-dev',
      tenant: 'globex',
      component: 'globex-shop',
      syncPolicy: 'auto-prune',
    }),
  );
  fake.putApplication(
    buildApplication({
      name: 'globex-shop-prod',
      tenant: 'globex',
      component: 'globex-shop',
      environment: 'prod',
    }),
  );
  return {
    fake,
    tokens: {
      acme: fake.issueToken('proj:tenant-acme:backstage'),
      globex: fake.issueToken('proj:tenant-globex:backstage'),
    },
  };
}

export interface Harness {
  server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  fake: ArgoCdFake;
  second: ArgoCdFake;
  logs: string[];
  audits: Array<{ options: unknown; outcome?: unknown }>;
  secrets: string[];
  /** What the plugin sent through Backstage notifications. */
  notifications: NotificationSendOptions[];
  stop(): Promise<void>;
}

/** Starts the plugin against two fake Argo CD instances behind msw, with the real client. */
export async function startHarness(
  options: {
    permissions?: ReturnType<typeof mockServices.permissions.mock>;
    backend?: Record<string, unknown>;
    validation?: JsonObject;
  } = {},
): Promise<Harness> {
  const { fake, tokens } = seedFake();
  const second = new ArgoCdFake({
    controller: new SimpleController({ stepMs: 5 }),
  });
  second.putProject(
    buildTenantProject({ tenant: 'acme', roles: [{ name: 'backstage' }] }),
  );
  second.putApplication(
    buildApplication({
      name: 'acme-web-staging',
      tenant: 'acme',
      component: 'acme-web',
      environment: 'staging',
    }),
  );
  const msw = setupServer(
    ...argoCdMswHandlers(fake, MAIN),
    ...argoCdMswHandlers(second, SECOND),
  );
  msw.listen({ onUnhandledRequest: 'bypass' });

  const logs: string[] = [];
  const logger: LoggerService = {
    error: (m, meta) => void logs.push(`${m} ${JSON.stringify(meta ?? {})}`),
    warn: (m, meta) => void logs.push(`${m} ${JSON.stringify(meta ?? {})}`),
    info: (m, meta) => void logs.push(`${m} ${JSON.stringify(meta ?? {})}`),
    debug: (m, meta) => void logs.push(`${m} ${JSON.stringify(meta ?? {})}`),
    child: () => logger,
  };
  const audits: Harness['audits'] = [];
  const auditor = mockServices.auditor.mock({
    createEvent: async opts => {
      const record: Harness['audits'][number] = {
        options: {
          eventId: opts.eventId,
          severityLevel: opts.severityLevel,
          meta: opts.meta,
        },
      };
      audits.push(record);
      return {
        success: async o =>
          void (record.outcome = { status: 'succeeded', ...o }),
        fail: async o =>
          void (record.outcome = {
            status: 'failed',
            message: o.error.message,
            meta: o.meta,
          }),
      };
    },
  });

  const notifications: NotificationSendOptions[] = [];
  const { server } = await startTestBackend({
    features: [
      gitOpsPlugin,
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({
          send: async (n: NotificationSendOptions) =>
            void notifications.push(n),
        }),
      }),
      catalogServiceMock.factory({ entities }),
      auditor.factory,
      createServiceFactory({
        service: coreServices.logger,
        deps: {},
        factory: () => logger,
      }),
      mockServices.userInfo.mock({
        getUserInfo: async credentials => {
          const ref = (credentials.principal as { userEntityRef: string })
            .userEntityRef;
          return {
            userEntityRef: ref,
            ownershipEntityRefs: [ref, ...(memberships[ref] ?? [])],
          };
        },
      }).factory,
      options.permissions?.factory ??
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      mockServices.rootConfig.factory({
        data: {
          gitops: {
            instances: [
              {
                name: 'main',
                url: MAIN,
                uiUrl: 'https://argocd.example.com',
                token: ArgoCdFake.adminToken,
                projectTokens: tokens,
              },
              { name: 'second', url: SECOND, token: ArgoCdFake.adminToken },
            ],
            tenancy: {
              adminGroups: ['group:default/platform'],
              trustedOrigins: [TEST_IDENTITY_ORIGIN],
            },
            backend: {
              index: {
                initialBackoffMs: 20,
                maxBackoffMs: 100,
                staleAfterMs: 200,
                readyTimeoutMs: 3000,
              },
              eventsHeartbeatMs: 100,
              ...options.backend,
            },
            ...(options.validation && { validation: options.validation }),
          },
        },
      }),
    ],
  });
  // Tests start from a whole index: both instances' indexes have read Argo CD's re-send of
  // every app after their start (history, owner references), or given up on it.
  const resendOver = () =>
    logs.filter(
      line =>
        line.startsWith('Argo CD re-sent the history') ||
        line.startsWith("Argo CD's watch re-sent none") ||
        line.startsWith(
          "Argo CD's re-send of the applications' history failed",
        ),
    ).length >= 2;
  for (let waited = 0; !resendOver() && waited < 10_000; waited += 10)
    await new Promise(resolve => setTimeout(resolve, 10));

  return {
    server,
    fake,
    second,
    logs,
    audits,
    secrets: [ArgoCdFake.adminToken, ...Object.values(tokens)],
    notifications,
    async stop() {
      fake.close();
      second.close();
      msw.close();
      server.close();
    },
  };
}
