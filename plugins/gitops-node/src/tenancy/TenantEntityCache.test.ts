import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ANNOTATION_ORIGIN_LOCATION } from '@backstage/catalog-model';
import {
  ENVIRONMENT_LABEL,
  TENANT_ANNOTATION,
  TenantNaming,
} from '@kupe/plugin-gitops-common';
import type { Application } from '../argocd/types';
import { TenantEntityCache } from './TenantEntityCache';
import {
  type TenantCatalog,
  type TenantEntity,
  TenantResolver,
} from './TenantResolver';

const IDP = 'url:https://idp.example/org.yaml';
const OTHER = 'url:https://other.example/org.yaml';
const ALICE = 'user:default/alice';

const group = (name: string, tenant: string, origin = IDP): TenantEntity => ({
  kind: 'Group',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      [ANNOTATION_ORIGIN_LOCATION]: origin,
      [TENANT_ANNOTATION]: tenant,
    },
  },
});

function world() {
  const reads: string[][] = [];
  const byRef = new Map([
    ['group:default/acme-team', group('acme-team', 'acme')],
  ]);
  const catalog: TenantCatalog = {
    async getEntitiesByRefs({ entityRefs }) {
      reads.push(entityRefs);
      return { items: entityRefs.map(ref => byRef.get(ref)) };
    },
  };
  const cache = new TenantEntityCache();
  const resolver = (trustedOrigins: string[]) =>
    new TenantResolver({
      naming: new TenantNaming(),
      adminGroups: [],
      trustedOrigins,
      catalog,
      cache,
      auth: mockServices.auth(),
      userInfo: {
        getUserInfo: async () => ({
          userEntityRef: ALICE,
          ownershipEntityRefs: [ALICE, 'group:default/acme-team'],
        }),
      },
    });
  return { reads, resolver };
}

const app = (
  labels: Record<string, string>,
  destination: string,
): Application =>
  ({
    metadata: { name: 'web', labels },
    spec: { project: 'tenant-acme', destination: { name: destination } },
  } as Application);

describe('TenantEntityCache shared by resolvers', () => {
  it('carries catalog facts, never one resolver’s trust into another', async () => {
    const { reads, resolver } = world();
    const trusting = resolver([IDP]);
    const other = resolver([OTHER]);
    expect(
      (await trusting.getCallerTenants(mockCredentials.user(ALICE))).tenants,
    ).toEqual(new Set(['acme']));
    // The same cached group, judged against origins that do not include its own.
    expect(
      (await other.getCallerTenants(mockCredentials.user(ALICE))).tenants,
    ).toEqual(new Set());
    expect(reads).toHaveLength(1);
  });

  it('keeps the cache and the trust rules in a resolver withRules', async () => {
    const { reads, resolver } = world();
    const base = resolver([IDP]);
    const ruled = base.withRules({
      callerTenants: async (_credentials, { getDefault }) => {
        const caller = await getDefault();
        return { ...caller, tenants: new Set([...caller.tenants, 'extra']) };
      },
    });
    await base.getCallerTenants(mockCredentials.user(ALICE));
    expect(
      (await ruled.getCallerTenants(mockCredentials.user(ALICE))).tenants,
    ).toEqual(new Set(['acme', 'extra']));
    expect(reads).toHaveLength(1);
    expect(ruled.naming).toBe(base.naming);
  });
});

describe('getApplicationEnvironment', () => {
  const { resolver } = world();
  const tenants = resolver([IDP]);

  it('takes the environment label, normalized, else the tenant’s short cluster name', () => {
    expect(
      tenants.getApplicationEnvironment(
        app({ [ENVIRONMENT_LABEL]: ' prod ' }, 'acme-dev'),
      ),
    ).toBe('production');
    expect(tenants.getApplicationEnvironment(app({}, 'acme-staging'))).toBe(
      'staging',
    );
    // Another tenant's cluster names no environment of this app's tenant.
    expect(
      tenants.getApplicationEnvironment(app({}, 'globex-staging')),
    ).toBeUndefined();
  });

  it('lets a rule replace it, with the built-in answer at hand', () => {
    const ruled = new TenantResolver({
      naming: new TenantNaming(),
      adminGroups: [],
      trustedOrigins: [IDP],
      catalog: { getEntitiesByRefs: async () => ({ items: [] }) },
      auth: mockServices.auth(),
      userInfo: mockServices.userInfo(),
      environment: (candidate, { tenant, getDefault }) =>
        candidate.metadata.labels?.region
          ? `${getDefault()}-${candidate.metadata.labels.region}`
          : `${tenant}:${getDefault()}`,
    });
    expect(
      ruled.getApplicationEnvironment(app({ region: 'eu' }, 'acme-prod')),
    ).toBe('prod-eu');
    expect(ruled.getApplicationEnvironment(app({}, 'acme-dev'))).toBe(
      'acme:dev',
    );
  });
});
