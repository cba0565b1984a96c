import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ANNOTATION_ORIGIN_LOCATION } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { TENANT_ANNOTATION, TenantNaming } from '@kupe/plugin-gitops-common';
import {
  type TenantCatalog,
  type TenantEntity,
  TenantResolver,
  normalizeEntityRef,
} from './TenantResolver';

const IDP = 'url:https://idp.example/org.yaml';
const REGISTERED =
  'url:https://git.example/acme/gitops/blob/main/catalog-info.yaml';

const entityOf = (
  kind: string,
  name: string,
  options: { tenant?: string; namespace?: string; origin?: string } = {},
): TenantEntity => ({
  kind,
  metadata: {
    name,
    namespace: options.namespace ?? 'default',
    annotations: {
      [ANNOTATION_ORIGIN_LOCATION]: options.origin ?? IDP,
      ...(options.tenant ? { [TENANT_ANNOTATION]: options.tenant } : {}),
    },
  },
});

const group = (name: string, tenant?: string, namespace = 'default') =>
  entityOf('Group', name, { tenant, namespace });

/** A catalog of entities by ref that records every request and the credentials used. */
function fakeCatalog(entities: TenantEntity[]) {
  const byRef = new Map(
    entities.map(e => [
      `${e.kind}:${e.metadata.namespace ?? 'default'}/${
        e.metadata.name
      }`.toLowerCase(),
      e,
    ]),
  );
  const requests: Array<{ refs: string[]; principal: unknown }> = [];
  let failWith: Error | undefined;
  const catalog: TenantCatalog = {
    async getEntitiesByRefs(request, options) {
      requests.push({
        refs: request.entityRefs,
        principal: options.credentials.principal,
      });
      if (failWith) throw failWith;
      return { items: request.entityRefs.map(ref => byRef.get(ref)) };
    },
  };
  return {
    catalog,
    requests,
    put: (e: TenantEntity) =>
      byRef.set(
        `${e.kind}:${e.metadata.namespace ?? 'default'}/${
          e.metadata.name
        }`.toLowerCase(),
        e,
      ),
    fail: (error: Error | undefined) => {
      failWith = error;
    },
  };
}

/** userInfo answering each user's ownership refs from a table. */
function userInfoOf(ownership: Record<string, string[]>) {
  return {
    getUserInfo: jest.fn(async (credentials: any) => {
      const ref = credentials.principal.userEntityRef as string;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: [ref, ...(ownership[ref] ?? [])],
      };
    }),
  };
}

const users = {
  alice: 'user:default/alice',
  bob: 'user:default/bob',
  pat: 'user:default/pat',
  nobody: 'user:default/nobody',
};

function setup(
  options: {
    entities?: TenantEntity[];
    ownership?: Record<string, string[]>;
    adminGroups?: string[];
    ttlMs?: number;
    naming?: TenantNaming;
    trustedOrigins?: string[];
  } = {},
) {
  let now = 0;
  const catalog = fakeCatalog(
    options.entities ?? [
      group('acme-team', 'acme'),
      group('acme-ops', 'acme'),
      group('globex-team', 'globex'),
      group('guild'), // no tenant annotation
      group('platform-team'),
    ],
  );
  const userInfo = userInfoOf(
    options.ownership ?? {
      [users.alice]: ['group:default/acme-team', 'group:default/guild'],
      [users.bob]: ['group:default/globex-team'],
      [users.pat]: ['group:default/platform-team'],
    },
  );
  const resolver = new TenantResolver({
    naming: options.naming ?? new TenantNaming(),
    adminGroups: options.adminGroups ?? ['group:default/platform-team'],
    catalog: catalog.catalog,
    userInfo,
    auth: mockServices.auth(),
    groupCacheTtlMs: options.ttlMs ?? 60_000,
    trustedOrigins: options.trustedOrigins ?? [IDP],
    now: () => now,
  });
  return {
    resolver,
    catalog,
    userInfo,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const user = (ref: string) => mockCredentials.user(ref);

describe('TenantResolver', () => {
  describe('getCallerTenants', () => {
    it('gives a user the tenants of the annotated groups among their ownership refs', async () => {
      const { resolver, catalog } = setup();
      const alice = await resolver.getCallerTenants(user(users.alice));
      expect(alice).toEqual({
        isAdmin: false,
        tenants: new Set(['acme']),
        ownershipRefs: [
          users.alice,
          'group:default/acme-team',
          'group:default/guild',
        ],
      });
      // The user and their group refs are looked up, all in one request.
      expect(catalog.requests).toHaveLength(1);
      expect(catalog.requests[0].refs).toEqual([
        users.alice,
        'group:default/acme-team',
        'group:default/guild',
      ]);
    });

    it('unions the tenants of several groups and ignores groups without a tenant', async () => {
      const { resolver } = setup({
        ownership: {
          [users.alice]: [
            'group:default/acme-team',
            'group:default/globex-team',
            'group:default/guild',
            'group:default/not-in-catalog',
          ],
        },
      });
      const caller = await resolver.getCallerTenants(user(users.alice));
      expect([...caller.tenants].sort()).toEqual(['acme', 'globex']);
      expect(caller.isAdmin).toBe(false);
    });

    it('ignores malformed tenant annotations and non-group entities named in ownership refs', async () => {
      const { resolver } = setup({
        entities: [
          group('bad', 'Not_A_Label'),
          {
            kind: 'User',
            metadata: {
              name: 'sneaky',
              namespace: 'default',
              annotations: { [TENANT_ANNOTATION]: 'acme' },
            },
          },
        ],
        ownership: {
          [users.alice]: ['group:default/bad', 'user:default/sneaky'],
        },
      });
      const caller = await resolver.getCallerTenants(user(users.alice));
      expect(caller.tenants.size).toBe(0);
    });

    it('gives members of an admin group every tenant, whatever form the config uses', async () => {
      for (const adminGroups of [
        ['group:default/platform-team'],
        ['platform-team'],
        ['group:platform-team'],
        ['Group:Default/Platform-Team'],
      ]) {
        const { resolver } = setup({ adminGroups });
        expect(await resolver.getCallerTenants(user(users.pat))).toEqual({
          isAdmin: true,
          tenants: new Set(),
          ownershipRefs: [users.pat, 'group:default/platform-team'],
        });
        const bob = await resolver.getCallerTenants(user(users.bob));
        expect(bob.isAdmin).toBe(false);
      }
    });

    it('gives a user without tenant groups nothing', async () => {
      const { resolver } = setup();
      expect(await resolver.getCallerTenants(user(users.nobody))).toEqual({
        isAdmin: false,
        tenants: new Set(),
        ownershipRefs: [users.nobody],
      });
    });

    it('gives service and anonymous principals nothing, without asking userInfo', async () => {
      const { resolver, userInfo } = setup();
      for (const credentials of [
        mockCredentials.service(),
        mockCredentials.none(),
      ]) {
        expect(await resolver.getCallerTenants(credentials)).toEqual({
          isAdmin: false,
          tenants: new Set(),
        });
      }
      expect(userInfo.getUserInfo).not.toHaveBeenCalled();
    });

    it('reads group annotations with its own service credentials, not the user’s', async () => {
      const { resolver, catalog } = setup();
      await resolver.getCallerTenants(user(users.alice));
      expect(catalog.requests[0].principal).toMatchObject({ type: 'service' });
    });
  });

  describe('trusted origins', () => {
    const escalation = (origin: string) =>
      setup({
        entities: [
          group('acme-team', 'acme'),
          group('globex-team', 'globex'),
          // what arjun registered: a Group claiming globex, with him as a member
          entityOf('Group', 'sneaky', { tenant: 'globex', origin }),
          entityOf('Group', 'platform-team', { origin }),
        ],
        ownership: {
          [users.alice]: [
            'group:default/acme-team',
            'group:default/sneaky',
            'group:default/platform-team',
          ],
        },
      });

    it('joins no tenant and grants no admin through a Group a user registered', async () => {
      const { resolver } = escalation(REGISTERED);
      expect(await resolver.getCallerTenants(user(users.alice))).toEqual({
        isAdmin: false,
        tenants: new Set(['acme']),
        ownershipRefs: [users.alice, 'group:default/acme-team'],
      });
    });

    it('honours the same groups when their origin is trusted (the control)', async () => {
      const { resolver } = escalation(IDP);
      expect((await resolver.getCallerTenants(user(users.alice))).isAdmin).toBe(
        true,
      );
    });

    it('gives nothing to a user whose own User entity comes from an untrusted origin', async () => {
      const { resolver } = setup({
        entities: [
          group('globex-team', 'globex'),
          entityOf('User', 'mallory', { origin: REGISTERED }),
        ],
        ownership: { 'user:default/mallory': ['group:default/globex-team'] },
      });
      expect(
        await resolver.getCallerTenants(user('user:default/mallory')),
      ).toEqual({ isAdmin: false, tenants: new Set() });
    });

    it('takes a trusted User’s trusted groups, and a user the catalog lacks from the sign-in claims', async () => {
      const { resolver } = setup({
        entities: [group('globex-team', 'globex'), entityOf('User', 'bob')],
      });
      expect(
        (await resolver.getCallerTenants(user(users.bob))).tenants,
      ).toEqual(new Set(['globex']));
      expect(
        (await resolver.getCallerTenants(user('user:default/carol'))).tenants,
      ).toEqual(new Set());
    });

    it('matches origins by prefix and never trusts an empty prefix', () => {
      const { resolver } = setup({ trustedOrigins: ['', 'url:https://idp.'] });
      expect(resolver.isTrusted(group('a'))).toBe(true);
      expect(
        resolver.isTrusted(entityOf('Group', 'b', { origin: REGISTERED })),
      ).toBe(false);
      expect(
        resolver.isTrusted({ kind: 'Group', metadata: { name: 'c' } }),
      ).toBe(false);
    });

    it('fromConfig trusts the config’s own catalog.locations and gitops.tenancy.trustedOrigins', () => {
      const { catalog } = setup();
      const resolver = TenantResolver.fromConfig(
        new ConfigReader({
          catalog: {
            locations: [
              { type: 'file', target: '/org/groups.yaml' },
              { type: 'url', target: 'https://git.example/platform/org.yaml' },
            ],
          },
          gitops: { tenancy: { trustedOrigins: ['msgraph:'] } },
        }),
        {
          catalog: catalog.catalog,
          userInfo: userInfoOf({}),
          auth: mockServices.auth(),
        },
      );
      const from = (origin: string) =>
        resolver.isTrusted(entityOf('Group', 'g', { origin }));
      expect(from('file:/org/groups.yaml')).toBe(true);
      expect(from('url:https://git.example/platform/org.yaml')).toBe(true);
      expect(from('msgraph:default/tenant')).toBe(true);
      expect(from('url:https://git.example/platform/other.yaml')).toBe(false);
      expect(from(REGISTERED)).toBe(false);
    });
  });

  describe('the group cache', () => {
    it('remembers a group’s tenant for the TTL, then reads it again', async () => {
      const { resolver, catalog, advance } = setup({ ttlMs: 1_000 });
      await resolver.getCallerTenants(user(users.alice));
      await resolver.getCallerTenants(user(users.alice));
      advance(999);
      await resolver.getCallerTenants(user(users.alice));
      expect(catalog.requests).toHaveLength(1);

      // The annotation changes; the change shows once the TTL has passed.
      catalog.put(group('acme-team', 'globex'));
      expect(
        (await resolver.getCallerTenants(user(users.alice))).tenants,
      ).toEqual(new Set(['acme']));
      advance(1);
      expect(
        (await resolver.getCallerTenants(user(users.alice))).tenants,
      ).toEqual(new Set(['globex']));
      expect(catalog.requests).toHaveLength(2);
    });

    it('remembers groups without a tenant too, and shares them between users and entities', async () => {
      const { resolver, catalog } = setup({
        ownership: {
          [users.alice]: ['group:default/acme-team', 'group:default/guild'],
          [users.bob]: ['group:default/acme-team', 'group:default/guild'],
        },
      });
      await resolver.getCallerTenants(user(users.alice));
      await resolver.getCallerTenants(user(users.bob));
      expect(
        await resolver.getEntityTenant({
          kind: 'Component',
          metadata: { name: 'web', namespace: 'default' },
          spec: { owner: 'acme-team' },
        }),
      ).toBe('acme');
      // bob's own entity is the only new lookup: the groups were remembered from alice's.
      expect(catalog.requests.map(r => r.refs)).toEqual([
        [users.alice, 'group:default/acme-team', 'group:default/guild'],
        [users.bob],
      ]);
    });

    it('coalesces concurrent lookups of the same groups into one catalog request', async () => {
      const { resolver, catalog } = setup();
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          resolver.getCallerTenants(user(users.alice)),
        ),
      );
      for (const r of results) expect(r.tenants).toEqual(new Set(['acme']));
      expect(catalog.requests).toHaveLength(1);
    });

    it('lets a catalog error through and keeps nothing from it, so the next call asks again', async () => {
      const { resolver, catalog } = setup();
      catalog.fail(new Error('catalog unavailable'));
      await expect(
        resolver.getCallerTenants(user(users.alice)),
      ).rejects.toThrow('catalog unavailable');
      catalog.fail(undefined);
      expect(
        (await resolver.getCallerTenants(user(users.alice))).tenants,
      ).toEqual(new Set(['acme']));
      expect(catalog.requests).toHaveLength(2);
    });
  });

  describe('getEntityTenant', () => {
    it('takes the entity’s own annotation first when the entity comes from a trusted origin', async () => {
      const { resolver, catalog } = setup();
      expect(
        await resolver.getEntityTenant({
          kind: 'Component',
          metadata: {
            name: 'web',
            annotations: {
              [TENANT_ANNOTATION]: 'globex',
              [ANNOTATION_ORIGIN_LOCATION]: IDP,
            },
          },
          spec: { owner: 'group:default/acme-team' },
        }),
      ).toBe('globex');
      expect(catalog.requests).toHaveLength(0);
    });

    it('ignores the own annotation of an entity a user registered: its owner group decides', async () => {
      const { resolver } = setup();
      const registered = (annotations: Record<string, string>) =>
        resolver.getEntityTenant({
          kind: 'Component',
          metadata: { name: 'web', annotations },
          spec: { owner: 'group:default/acme-team' },
        });
      expect(
        await registered({
          [TENANT_ANNOTATION]: 'globex',
          [ANNOTATION_ORIGIN_LOCATION]: REGISTERED,
        }),
      ).toBe('acme');
      // No origin at all is no trusted origin either.
      expect(await registered({ [TENANT_ANNOTATION]: 'globex' })).toBe('acme');
    });

    it('else takes the owner group’s, resolving a short owner in the entity’s namespace', async () => {
      const { resolver, catalog } = setup({
        entities: [group('team', 'initech', 'payments')],
      });
      expect(
        await resolver.getEntityTenant({
          kind: 'Component',
          metadata: { name: 'web', namespace: 'payments' },
          spec: { owner: 'team' },
        }),
      ).toBe('initech');
      expect(catalog.requests[0].refs).toEqual(['group:payments/team']);
    });

    it('gives no tenant for a user owner, a missing owner, an owner group without tenant or a malformed own annotation', async () => {
      const { resolver } = setup();
      const entity = (
        spec: TenantEntity['spec'],
        annotations?: Record<string, string>,
      ): TenantEntity => ({
        kind: 'Component',
        metadata: { name: 'web', namespace: 'default', annotations },
        spec,
      });
      expect(
        await resolver.getEntityTenant(entity({ owner: 'user:default/alice' })),
      ).toBeUndefined();
      expect(await resolver.getEntityTenant(entity({}))).toBeUndefined();
      expect(await resolver.getEntityTenant(entity({ owner: 42 }))).toBe(
        undefined,
      );
      expect(
        await resolver.getEntityTenant(
          entity({ owner: 'group:default/guild' }),
        ),
      ).toBeUndefined();
      expect(
        await resolver.getEntityTenant(
          entity({ owner: 'group:default/nonexistent' }),
        ),
      ).toBeUndefined();
      // A malformed own annotation names no tenant; the owner group's applies instead.
      expect(
        await resolver.getEntityTenant(
          entity(
            { owner: 'group:default/globex-team' },
            {
              [TENANT_ANNOTATION]: '../acme',
              [ANNOTATION_ORIGIN_LOCATION]: IDP,
            },
          ),
        ),
      ).toBe('globex');
    });
  });

  describe('applications', () => {
    it('takes an app’s tenant from its project through projectPattern', () => {
      const { resolver } = setup();
      expect(resolver.getApplicationTenant('tenant-acme')).toBe('acme');
      expect(resolver.getApplicationTenant('default')).toBeUndefined();
      expect(resolver.getApplicationTenant('tenant-')).toBeUndefined();
      expect(resolver.getApplicationTenant(undefined)).toBeUndefined();

      const custom = setup({
        naming: new TenantNaming({ projectPattern: '{tenant}-apps' }),
      });
      expect(custom.resolver.getApplicationTenant('acme-apps')).toBe('acme');
      expect(
        custom.resolver.getApplicationTenant('tenant-acme'),
      ).toBeUndefined();
    });

    it('lets only admins see an app of an unknown project (no tenant)', async () => {
      const { resolver } = setup();
      const alice = await resolver.getCallerTenants(user(users.alice));
      const pat = await resolver.getCallerTenants(user(users.pat));
      const tenantOfDefault = resolver.getApplicationTenant('default');
      expect(resolver.canSee(alice, tenantOfDefault)).toBe(false);
      expect(resolver.canSee(pat, tenantOfDefault)).toBe(true);
      expect(resolver.canSee(alice, 'acme')).toBe(true);
      expect(resolver.canSee(alice, 'globex')).toBe(false);
      expect(resolver.canSee(pat, 'globex')).toBe(true);
    });
  });

  describe('fromConfig', () => {
    it('reads gitops.tenancy, keeping defaults for unset patterns', async () => {
      const { catalog } = setup();
      const resolver = TenantResolver.fromConfig(
        new ConfigReader({
          gitops: {
            tenancy: {
              projectPattern: 'team-{tenant}',
              adminGroups: ['platform-team'],
              trustedOrigins: [IDP],
            },
          },
        }),
        {
          catalog: catalog.catalog,
          userInfo: userInfoOf({
            [users.pat]: ['group:default/platform-team'],
          }),
          auth: mockServices.auth(),
        },
      );
      expect(resolver.naming.patterns).toEqual({
        projectPattern: 'team-{tenant}',
        clusterPattern: '{tenant}-{cluster}',
      });
      expect(resolver.getApplicationTenant('team-acme')).toBe('acme');
      expect((await resolver.getCallerTenants(user(users.pat))).isAdmin).toBe(
        true,
      );
    });
  });
});

describe('normalizeEntityRef', () => {
  it('fills kind and namespace defaults and lower-cases', () => {
    const defaults = { kind: 'group', namespace: 'default' };
    expect(normalizeEntityRef('Team-A', defaults)).toBe('group:default/team-a');
    expect(normalizeEntityRef('group:Team-A', defaults)).toBe(
      'group:default/team-a',
    );
    expect(normalizeEntityRef('payments/team', defaults)).toBe(
      'group:payments/team',
    );
    expect(normalizeEntityRef('User:Default/Alice', defaults)).toBe(
      'user:default/alice',
    );
    // Outside ASCII the catalog's locale-aware lower-casing applies.
    expect(normalizeEntityRef('group:default/ÉQUIPE', defaults)).toBe(
      'group:default/équipe',
    );
  });
});
