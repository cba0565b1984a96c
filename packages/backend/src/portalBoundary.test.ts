/*
 * The tenant boundary across the portal's own doors, with the real scaffolder and permission
 * backends behind the portal's policy: what a tenant member can reach through the scaffolder
 * besides Kupe's routes.
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
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import {
  TEST_IDENTITY_ORIGIN,
  buildGroup,
} from '@kupe/plugin-gitops-node-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { onBehalfOfAwareAuth } from './__testUtils__/onBehalfOfAwareAuth';
import { kupePermissionPolicyModule } from './permissionPolicy';

const users = {
  alice: 'user:default/alice', // acme
  bob: 'user:default/bob', // globex
  pat: 'user:default/pat', // platform admin
};
const memberships: Record<string, string[]> = {
  [users.alice]: ['group:default/acme-team'],
  [users.bob]: ['group:default/globex-team'],
  [users.pat]: ['group:default/platform'],
};

const helloTemplate = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'hello', namespace: 'default' },
  spec: {
    type: 'service',
    parameters: [],
    steps: [
      // long enough that a cancel finds it running
      { id: 'wait', name: 'Wait', action: 'debug:wait', input: { seconds: 1 } },
    ],
  },
};

const entities: Entity[] = [
  buildGroup('acme-team', { tenant: 'acme' }),
  buildGroup('globex-team', { tenant: 'globex' }),
  buildGroup('platform'),
  helloTemplate as Entity,
];

/** A file in globex's GitOps repository, which the portal's reader may read. */
const GLOBEX_FILE =
  'https://git.kupe.test/globex/gitops/raw/main/prod/deployment.yaml';
const GLOBEX_SECRET_MANIFEST = 'kind: Deployment # globex production';

/** A dry-run that copies another tenant's file into the workspace with a built-in action. */
const readGlobexTemplate = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'read-globex', namespace: 'default' },
  spec: {
    type: 'service',
    parameters: [],
    steps: [
      {
        id: 'fetch',
        name: 'Fetch',
        action: 'fetch:plain:file',
        input: { url: GLOBEX_FILE, targetPath: 'stolen.yaml' },
      },
    ],
  },
};

describe('the tenant boundary through the scaffolder', () => {
  const msw = setupServer(
    http.get(GLOBEX_FILE, () => HttpResponse.text(GLOBEX_SECRET_MANIFEST)),
  );
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

  beforeAll(async () => {
    msw.listen({ onUnhandledRequest: 'bypass' });
    const backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        permissionPlugin,
        kupePermissionPolicyModule,
        permissionsServiceFactory,
        onBehalfOfAwareAuth,
        mockServices.rootLogger.factory({ level: 'warn' }),
        catalogServiceMock.factory({ entities }),
        createServiceFactory({
          service: coreServices.userInfo,
          deps: {},
          factory: () => ({
            async getUserInfo(credentials) {
              const ref = (credentials.principal as { userEntityRef: string })
                .userEntityRef;
              return {
                userEntityRef: ref,
                ownershipEntityRefs: [ref, ...(memberships[ref] ?? [])],
              };
            },
          }),
        }),
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            backend: { reading: { allow: [{ host: 'git.kupe.test' }] } },
            gitops: {
              tenancy: {
                adminGroups: ['group:default/platform'],
                trustedOrigins: [TEST_IDENTITY_ORIGIN],
              },
            },
          },
        }),
      ],
    });
    server = backend.server;
  });

  afterAll(() => msw.close());

  const as = (user: string) => ({
    Authorization: mockCredentials.user.header(user),
  });

  const dryRun = (user: string) =>
    request(server).post('/api/scaffolder/v2/dry-run').set(as(user)).send({
      template: readGlobexTemplate,
      values: {},
      directoryContents: [],
    });

  it('refuses a member’s built-in fetch of another tenant’s repository, and reads nothing', async () => {
    const response = await dryRun(users.alice);
    expect(JSON.stringify(response.body)).toContain(
      'Unauthorized action: fetch:plain:file',
    );
    expect(JSON.stringify(response.body)).not.toContain(
      Buffer.from(GLOBEX_SECRET_MANIFEST).toString('base64'),
    );
  });

  it('lets a platform admin run the same built-in action (the control)', async () => {
    const response = await dryRun(users.pat);
    expect(response.status).toBe(200);
    expect(response.body.directoryContents).toContainEqual(
      expect.objectContaining({
        path: 'stolen.yaml',
        base64Content: Buffer.from(GLOBEX_SECRET_MANIFEST).toString('base64'),
      }),
    );
  });

  it('keeps bob’s task from alice: not listed, not readable, not cancellable, not retryable', async () => {
    const created = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set(as(users.bob))
      .send({ templateRef: 'template:default/hello', values: {} });
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    const bobsList = await request(server)
      .get('/api/scaffolder/v2/tasks')
      .set(as(users.bob));
    expect(bobsList.body.tasks.map((t: { id: string }) => t.id)).toContain(id);
    const alicesList = await request(server)
      .get('/api/scaffolder/v2/tasks')
      .set(as(users.alice));
    expect(alicesList.status).toBe(200);
    expect(
      alicesList.body.tasks.map((t: { id: string }) => t.id),
    ).not.toContain(id);

    // Backstage's scaffolder checks the permission before it looks the task up, so someone
    // else's task is a 403 that says nothing about it (ids are random UUIDs, never listed).
    for (const [method, path] of [
      ['get', ''],
      ['get', '/events'],
      ['post', '/cancel'],
      ['post', '/retry'],
    ] as const) {
      const theirs = await request(server)
        [method](`/api/scaffolder/v2/tasks/${id}${path}`)
        .set(as(users.alice));
      expect({ path, status: theirs.status }).toEqual({ path, status: 403 });
      expect(theirs.body.error).toEqual({
        name: 'NotAllowedError',
        message: '',
      });
    }

    const own = await request(server)
      .get(`/api/scaffolder/v2/tasks/${id}`)
      .set(as(users.bob));
    expect(own.status).toBe(200);
    expect(own.body.spec.parameters).toEqual({});
    const cancelled = await request(server)
      .post(`/api/scaffolder/v2/tasks/${id}/cancel`)
      .set(as(users.bob));
    expect(cancelled.status).toBe(200);
  });
});
