import type { Entity } from '@backstage/catalog-model';
import type { EntityApplicationsResponse } from '@kupe/plugin-gitops-common';
import type { TenantResolver } from '@kupe/plugin-gitops-node';
import type { ApplicationIndex } from '../applicationIndex/ApplicationIndex';
import type { IndexedApplication } from '../applicationIndex/IndexedApplication';
import { QuarantineService } from './QuarantineService';
import type { QuarantineStore, StoredQuarantine } from './QuarantineStore';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'acme-api', namespace: 'default' },
  spec: { owner: 'group:default/acme-team' },
};
const app = {
  instance: 'main',
  appNamespace: 'argocd',
  name: 'acme-api-prod',
  project: 'tenant-acme',
  tenant: 'acme',
  labels: {},
  images: ['registry.example.com/acme-api:1.0.0'],
} as unknown as IndexedApplication;
const loaded = {
  items: [{ instance: 'main', appNamespace: 'argocd', name: 'acme-api-prod' }],
  errors: [],
} as unknown as EntityApplicationsResponse;
const quarantine = (
  version: string,
  entityRef = 'component:default/acme-api',
): StoredQuarantine => ({
  id: `${entityRef}@${version}`,
  tenant: 'acme',
  entityRef,
  selection: { names: ['acme-api-prod'] },
  version,
  reason: 'crashes on start',
  createdBy: 'user:default/alice',
  createdAt: 0,
});

describe('QuarantineService.countRunning', () => {
  let active: StoredQuarantine[];
  let readings: number;
  let tenant: string | undefined;
  let tenantLookups: number;
  let service: QuarantineService;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-03-01T00:00:00Z') });
    active = [];
    readings = 0;
    tenant = 'acme';
    tenantLookups = 0;
    const store = {
      listActive: async () => {
        readings++;
        return [...active];
      },
    } as unknown as QuarantineStore;
    const index = {
      instance: () => ({
        get: (ns: string, name: string) =>
          ns === app.appNamespace && name === app.name ? app : undefined,
      }),
    } as unknown as ApplicationIndex;
    const tenants = {
      getEntityTenant: async () => {
        tenantLookups++;
        return tenant;
      },
    } as unknown as TenantResolver;
    service = new QuarantineService({
      store,
      index,
      tenants,
      access: {} as never,
      entityApplications: {} as never,
      details: {} as never,
      gitOperations: {} as never,
      notifications: { quarantined: async () => {} },
    });
  });
  afterEach(() => jest.useRealTimers());

  it('answers 0 without the tenant lookup while the shared reading has none of the entity', async () => {
    // Another entity's quarantine: the reading is not empty, the entity's part of it is.
    active.push(quarantine('1.0.0', 'component:default/acme-web'));
    expect(await service.countRunning(entity, loaded)).toBe(0);
    expect(tenantLookups).toBe(1);
    expect(await service.countRunning(entity, loaded)).toBe(0);
    expect(await service.countRunning(entity, loaded)).toBe(0);
    expect(tenantLookups).toBe(1);
    expect(readings).toBe(1);
  });

  it("counts another replica's quarantine once the reading is renewed, as before", async () => {
    expect(await service.countRunning(entity, loaded)).toBe(0);
    active.push(quarantine('1.0.0'));
    // Within the reading's age the count is the reading's, whatever the path.
    expect(await service.countRunning(entity, loaded)).toBe(0);
    jest.advanceTimersByTime(5_000);
    expect(await service.countRunning(entity, loaded)).toBe(1);
    expect(readings).toBe(2);
    // A version no app runs is not counted.
    active.push(quarantine('2.0.0'));
    jest.advanceTimersByTime(5_000);
    expect(await service.countRunning(entity, loaded)).toBe(1);
  });

  it("counts nothing of another tenant's quarantine, nor for a caller the answer is withheld from", async () => {
    active.push(quarantine('1.0.0'));
    expect(await service.countRunning(entity, loaded)).toBe(1);
    tenant = 'globex';
    expect(await service.countRunning(entity, loaded)).toBe(0);
    tenant = undefined;
    expect(await service.countRunning(entity, loaded)).toBe(0);
    expect(
      await service.countRunning(entity, {
        items: [],
        errors: [],
        withheld: { reason: 'not-a-member', tenant: 'acme' },
      }),
    ).toBe(0);
  });
});
