import {
  type BackstageCredentials,
  type BackstageServicePrincipal,
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ANNOTATION_ORIGIN_LOCATION } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { TENANT_ANNOTATION } from '@kupe/plugin-gitops-common';
import { TenantEntityCache } from '../tenancy/TenantEntityCache';
import type { CallerTenants, TenantResolver } from '../tenancy/TenantResolver';
import {
  gitOpsTenantCacheServiceRef,
  gitOpsTenantResolverServiceRef,
  readTenantCacheTtlMs,
} from './tenantResolverServiceRef';

const IDP = 'url:https://idp.example/org.yaml';
const ALICE = 'user:default/alice';

const entities = new Map(
  [
    { kind: 'User', name: 'alice' },
    { kind: 'Group', name: 'acme-team', tenant: 'acme' },
    { kind: 'Group', name: 'guild' },
  ].map(e => [
    `${e.kind}:default/${e.name}`.toLowerCase(),
    {
      kind: e.kind,
      metadata: {
        name: e.name,
        namespace: 'default',
        annotations: {
          [ANNOTATION_ORIGIN_LOCATION]: IDP,
          ...(e.tenant ? { [TENANT_ANNOTATION]: e.tenant } : {}),
        },
      },
    },
  ]),
);

interface CatalogRead {
  plugin: string;
  subject: string;
  refs: string[];
}

/** A catalog client per plugin, answering from `entities` and recording every read. */
function recordingCatalog(reads: CatalogRead[]) {
  return createServiceFactory({
    service: catalogServiceRef,
    deps: { plugin: coreServices.pluginMetadata },
    factory: ({ plugin }) =>
      ({
        async getEntitiesByRefs(
          request: { entityRefs: string[] },
          options: { credentials: BackstageCredentials },
        ) {
          const principal = options.credentials
            .principal as BackstageServicePrincipal;
          reads.push({
            plugin: plugin.getId(),
            subject: principal.subject,
            refs: request.entityRefs,
          });
          return { items: request.entityRefs.map(ref => entities.get(ref)) };
        },
      } as any),
  });
}

/** A plugin that resolves alice's tenants at startup, as each real consumer does per call. */
function consumer(
  pluginId: string,
  seen: Map<string, { resolver: TenantResolver; caller: CallerTenants }>,
) {
  return createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: { tenants: gitOpsTenantResolverServiceRef },
        async init({ tenants }) {
          const caller = await tenants.getCallerTenants(
            mockCredentials.user(ALICE),
          );
          seen.set(pluginId, { resolver: tenants, caller });
        },
      });
    },
  });
}

const userInfo = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: BackstageCredentials) {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: [
          ref,
          'group:default/acme-team',
          'group:default/guild',
        ],
      };
    },
  }),
});

const CONSUMERS = ['gitops', 'scaffolder', 'search', 'permission'];

describe('gitOpsTenantResolverServiceRef', () => {
  it('gives every plugin its own resolver over one group cache: one catalog read for all four', async () => {
    const reads: CatalogRead[] = [];
    const seen = new Map<
      string,
      { resolver: TenantResolver; caller: CallerTenants }
    >();
    await startTestBackend({
      features: [
        ...CONSUMERS.map(id => consumer(id, seen)),
        recordingCatalog(reads),
        userInfo,
        mockServices.rootConfig.factory({
          data: { gitops: { tenancy: { trustedOrigins: [IDP] } } },
        }),
      ],
    });

    expect([...seen.keys()].sort()).toEqual([...CONSUMERS].sort());
    for (const { caller } of seen.values()) {
      expect(caller.tenants).toEqual(new Set(['acme']));
    }
    // Four resolvers (one per plugin, each with that plugin's auth) ...
    expect(new Set([...seen.values()].map(s => s.resolver)).size).toBe(4);
    // ... but alice and her groups were read once, with the service token of the plugin
    // that asked first, never with alice's own credentials.
    expect(reads).toHaveLength(1);
    expect(reads[0].refs).toEqual([
      ALICE,
      'group:default/acme-team',
      'group:default/guild',
    ]);
    expect(reads[0].subject).toBe(`plugin:${reads[0].plugin}`);
  });

  it('reads again once the cache lifetime has passed, with the asking plugin’s own token', async () => {
    let now = 0;
    const reads: CatalogRead[] = [];
    const seen = new Map<
      string,
      { resolver: TenantResolver; caller: CallerTenants }
    >();
    await startTestBackend({
      features: [
        consumer('gitops', seen),
        consumer('scaffolder', seen),
        recordingCatalog(reads),
        userInfo,
        // The same cache the default factory builds, on a clock the test moves.
        createServiceFactory({
          service: gitOpsTenantCacheServiceRef,
          deps: {},
          factory: () =>
            new TenantEntityCache({ ttlMs: 1_000, now: () => now }),
        }),
        mockServices.rootConfig.factory({
          data: { gitops: { tenancy: { trustedOrigins: [IDP] } } },
        }),
      ],
    });
    expect(reads).toHaveLength(1);

    now += 1_000;
    const scaffolder = seen.get('scaffolder')!.resolver;
    await scaffolder.getCallerTenants(mockCredentials.user(ALICE));
    expect(reads).toHaveLength(2);
    expect(reads[1]).toMatchObject({
      plugin: 'scaffolder',
      subject: 'plugin:scaffolder',
    });
  });

  it('reads the cache lifetime from gitops.backend.tenantCacheTtl, or its deprecated tenantCacheTtlMs, and refuses a bad one', () => {
    const warnings: string[] = [];
    const logger = { warn: (message: string) => void warnings.push(message) };
    const read = (backend: JsonObject) =>
      readTenantCacheTtlMs(new ConfigReader({ gitops: { backend } }), logger);
    expect(read({ tenantCacheTtl: '5s' })).toBe(5_000);
    expect(read({ tenantCacheTtl: { minutes: 2 } })).toBe(120_000);
    expect(read({})).toBeUndefined();
    expect(warnings).toEqual([]);
    expect(read({ tenantCacheTtlMs: 7_000 })).toBe(7_000);
    expect(warnings).toEqual([
      expect.stringContaining('gitops.backend.tenantCacheTtlMs is deprecated'),
    ]);
    expect(() => read({ tenantCacheTtl: '-5s' })).toThrow(
      'gitops.backend.tenantCacheTtl',
    );
  });
});
