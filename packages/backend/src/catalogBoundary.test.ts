/*
 * The escalation of issue 13, replayed against the real catalog, permission and gitops
 * backends: arjun (acme) registers a location holding a Group that claims tenant globex with
 * him as a member. Neither the catalog rules nor the tenant rules may let that Group count.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import permissionPlugin from '@backstage/plugin-permission-backend';
import gitOpsPlugin from '@kupe/plugin-gitops-backend';
import {
  ArgoCdFake,
  argoCdMswHandlers,
  buildApplication,
  buildTenantProject,
} from '@kupe/plugin-gitops-node-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { onBehalfOfAwareAuth } from './__testUtils__/onBehalfOfAwareAuth';
import { kupePermissionPolicyModule } from './permissionPolicy';

const ARGOCD = 'http://argocd.test';
/** A catalog-info.yaml that arjun pushed to a branch of his tenant's repository. */
const SNEAKY_URL =
  'https://git.kupe.test/acme/gitops/raw/sneaky/catalog-info.yaml';

const platformCatalog = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: 'acme-devs',
      annotations: { 'kupe.cloud/tenant': 'acme' },
    },
    spec: { type: 'team', children: [], members: ['arjun'] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: 'globex-devs',
      annotations: { 'kupe.cloud/tenant': 'globex' },
    },
    spec: { type: 'team', children: [], members: ['bob'] },
  },
  ...['arjun', 'bob'].map(name => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name },
    spec: { memberOf: [] },
  })),
];

const sneakyCatalog = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: 'sneaky',
      annotations: { 'kupe.cloud/tenant': 'globex' },
    },
    spec: { type: 'team', children: [], members: ['arjun'] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'arjun-tool' },
    spec: { type: 'service', lifecycle: 'experimental', owner: 'acme-devs' },
  },
];

/**
 * userInfo as the sign-in resolver computes it (`signInWithCatalogUser`): the user and the
 * groups the catalog relates them to, read from the real catalog at every call, as if the
 * user signed in again.
 */
const catalogUserInfo = createServiceFactory({
  service: coreServices.userInfo,
  deps: { catalog: catalogServiceRef, auth: coreServices.auth },
  factory: ({ catalog, auth }) => ({
    async getUserInfo(credentials) {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      const user = await catalog.getEntityByRef(ref, {
        credentials: await auth.getOwnServiceCredentials(),
      });
      const groups = (user?.relations ?? [])
        .filter(r => r.type === 'memberOf')
        .map(r => r.targetRef);
      return { userEntityRef: ref, ownershipEntityRefs: [ref, ...groups] };
    },
  }),
});

const as = (name: string) => ({
  Authorization: mockCredentials.user.header(`user:default/${name}`),
});

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 200));
  }
}

describe('a Group registered by a tenant member joins nobody to a tenant', () => {
  const msw = setupServer();
  const fake = new ArgoCdFake();
  let dir: string;

  beforeAll(() => {
    for (const tenant of ['acme', 'globex']) {
      fake.putProject(buildTenantProject({ tenant }));
      fake.putApplication(
        buildApplication({
          name: `${tenant}-web-dev`,
          tenant,
          environment: 'dev',
        }),
      );
    }
    msw.use(
      ...argoCdMswHandlers(fake, ARGOCD),
      http.get(SNEAKY_URL, () =>
        HttpResponse.text(
          sneakyCatalog.map(e => JSON.stringify(e)).join('\n---\n'),
        ),
      ),
    );
    msw.listen({ onUnhandledRequest: 'bypass' });
    dir = mkdtempSync(join(tmpdir(), 'kupe-catalog-'));
    writeFileSync(
      join(dir, 'org.yaml'),
      // JSON documents are YAML documents
      platformCatalog.map(e => JSON.stringify(e)).join('\n---\n'),
    );
  });

  afterAll(() => {
    msw.close();
    fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The portal with the platform's org file as its one configured location. */
  async function portal(allowGroupsFromAnywhere: boolean) {
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        permissionPlugin,
        kupePermissionPolicyModule,
        gitOpsPlugin,
        permissionsServiceFactory,
        onBehalfOfAwareAuth,
        catalogUserInfo,
        mockServices.rootLogger.factory({ level: 'error' }),
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            backend: { reading: { allow: [{ host: 'git.kupe.test' }] } },
            catalog: {
              // app-config.yaml's rules; the second portal loosens them to show that the
              // tenant rules hold on their own
              rules: [
                {
                  allow: [
                    'Component',
                    'System',
                    'API',
                    'Resource',
                    'Domain',
                    'Location',
                    ...(allowGroupsFromAnywhere ? ['Group'] : []),
                  ],
                },
              ],
              locations: [
                {
                  type: 'file',
                  target: join(dir, 'org.yaml'),
                  rules: [{ allow: ['User', 'Group'] }],
                },
              ],
              processingInterval: { seconds: 1 },
            },
            gitops: {
              instances: [
                { name: 'main', url: ARGOCD, token: ArgoCdFake.adminToken },
              ],
            },
          },
        }),
      ],
    });
    return server;
  }

  /** arjun is a member of acme, through the platform's own groups. */
  async function arjunInAcme(server: Awaited<ReturnType<typeof portal>>) {
    await eventually('arjun in acme', async () => {
      const res = await request(server)
        .get('/api/gitops/tenants')
        .set(as('arjun'));
      return res.status === 200 && res.body.items.length === 1
        ? true
        : undefined;
    });
  }

  async function escalate(server: Awaited<ReturnType<typeof portal>>) {
    await arjunInAcme(server);
    const registered = await request(server)
      .post('/api/catalog/locations')
      .set(as('arjun'))
      .send({ type: 'url', target: SNEAKY_URL });
    expect(registered.status).toBe(201);
  }

  /** The registered location once the catalog has processed it: its entity and errors. */
  async function processed(server: Awaited<ReturnType<typeof portal>>) {
    return eventually('the location processed', async () => {
      const res = await request(server)
        .get('/api/catalog/entities')
        .query({ filter: `kind=location,spec.target=${SNEAKY_URL}` })
        .set(as('arjun'));
      const [location] = res.body ?? [];
      const errors: string[] = (location?.status?.items ?? []).map(
        (i: { error: { message: string } }) => i.error.message,
      );
      const tool = await request(server)
        .get('/api/catalog/entities/by-name/component/default/arjun-tool')
        .set(as('arjun'));
      return errors.length > 0 || tool.status === 200
        ? { errors, toolIngested: tool.status === 200 }
        : undefined;
    });
  }

  async function tenantsOf(server: Awaited<ReturnType<typeof portal>>) {
    const res = await request(server)
      .get('/api/gitops/tenants')
      .set(as('arjun'));
    expect(res.status).toBe(200);
    return (res.body.items as Array<{ name: string }>).map(t => t.name);
  }

  it('is refused by the catalog rules: the Group never enters the catalog', async () => {
    const server = await portal(false);
    await arjunInAcme(server);
    // The catalog's own dry run says why: the rules go by the origin of what was registered.
    const dryRun = await request(server)
      .post('/api/catalog/locations')
      .query({ dryRun: 'true' })
      .set(as('arjun'))
      .send({ type: 'url', target: SNEAKY_URL });
    expect(dryRun.status).toBeGreaterThanOrEqual(400);
    expect(dryRun.body.error.message).toContain(
      `group:default/sneaky at url:${SNEAKY_URL}`,
    );
    expect(dryRun.body.error.message).toContain(
      'is not of an allowed kind for that location',
    );
    await escalate(server);
    // Processing runs every second here; the whole location is refused, so nothing arrives.
    await new Promise(r => setTimeout(r, 3000));
    const group = await request(server)
      .get('/api/catalog/entities/by-name/group/default/sneaky')
      .set(as('arjun'));
    expect(group.status).toBe(404);
    expect(await tenantsOf(server)).toEqual(['acme']);
  }, 60_000);

  it('counts for nothing even where the catalog lets it in: its origin is not trusted', async () => {
    const server = await portal(true);
    await escalate(server);
    expect(await processed(server)).toEqual({
      errors: [],
      toolIngested: true,
    });
    const sneaky = await eventually('the Group and its relation', async () => {
      const res = await request(server)
        .get('/api/catalog/entities/by-name/user/default/arjun')
        .set(as('arjun'));
      const refs = (res.body.relations ?? []).map(
        (r: { targetRef: string }) => r.targetRef,
      );
      return refs.includes('group:default/sneaky') ? refs : undefined;
    });
    expect(sneaky).toContain('group:default/acme-devs');
    // arjun's sign-in now names the Group, and still only acme is his
    expect(await tenantsOf(server)).toEqual(['acme']);
    const globexApp = await request(server)
      .get('/api/gitops/instances/main/applications/globex-web-dev')
      .set(as('arjun'));
    expect(globexApp.status).toBe(404);
    const sync = await request(server)
      .post('/api/gitops/instances/main/applications/globex-web-dev/sync')
      .set(as('arjun'))
      .send({});
    expect(sync.status).toBe(404);
  }, 60_000);
});
