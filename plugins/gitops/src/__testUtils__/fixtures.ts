import type { Entity } from '@backstage/catalog-model';
import { http, HttpResponse } from 'msw';
import type {
  ApplicationDetail,
  ApplicationSummary,
  EntityApplicationsResponse,
} from '@kupe/plugin-gitops-common';

export const BASE_URL = 'http://localhost:7007/api/gitops';
export const ENTITY_REF = 'component:default/payments';
export const ENTITY_APPS_URL = `${BASE_URL}/entities/default/component/payments/applications`;

export const SHA_DEV = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
export const SHA_PROD = '0f9e8d7c6b5a49382716a5b4c3d2e1f098765432';
export const SHA_OLD = '5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f';

export function makeEntity(
  annotations: Record<string, string> = {
    'argocd/app-selector': 'app=payments',
  },
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments', namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

export function makeApp(
  overrides: Partial<ApplicationSummary> = {},
): ApplicationSummary {
  return {
    instance: 'main',
    name: 'payments-dev',
    appNamespace: 'argocd',
    project: 'tenant-acme',
    tenant: 'acme',
    environment: 'dev',
    destination: { cluster: 'acme-dev', namespace: 'payments' },
    sync: { status: 'Synced', revision: SHA_DEV },
    health: { status: 'Healthy' },
    syncPolicy: 'auto',
    source: {
      repoURL: 'https://github.com/acme/payments-deploy.git',
      path: 'envs/dev',
    },
    images: ['ghcr.io/acme/payments:1.4.0'],
    lastSyncedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    stale: false,
    ageMs: 2_000,
    ...overrides,
  };
}

export function makeResponse(
  items: ApplicationSummary[],
  errors: EntityApplicationsResponse['errors'] = [],
): EntityApplicationsResponse {
  return { items, errors };
}

export function makeDetail(
  summary: ApplicationSummary,
  overrides: Partial<ApplicationDetail> = {},
): ApplicationDetail {
  return {
    summary,
    conditions: [],
    history: [
      {
        id: 3,
        revision: summary.sync.revision,
        deployStartedAt: '2026-01-10T10:00:00Z',
        deployedAt: '2026-01-10T10:01:30Z',
        author: 'Ada Lovelace',
        message: 'Bump payments to 1.4.0',
        initiatedBy: { automated: true },
      },
    ],
    resources: [
      {
        kind: 'Deployment',
        group: 'apps',
        name: 'payments',
        namespace: 'payments',
        status: 'Synced',
        health: 'Healthy',
      },
      {
        kind: 'Service',
        name: 'payments',
        namespace: 'payments',
        status: 'Synced',
        health: 'Healthy',
      },
    ],
    syncWindows: { canSync: true, assigned: [], active: [] },
    ...overrides,
  };
}

/**
 * Answers for what every tab also asks while a test looks at something else: the entity's
 * quarantined releases (none) and an open panel's resource events (none). Pass them to
 * `setupServer(...)` so they outlive each test's `server.use(...)` handlers.
 */
export function quietTabHandlers() {
  return [
    http.get(`${BASE_URL}/entities/:namespace/:kind/:name/quarantines`, () =>
      HttpResponse.json({ items: [] }),
    ),
    http.get(
      `${BASE_URL}/instances/:instance/applications/:name/resource-events`,
      () => HttpResponse.json({ items: [], failed: [] }),
    ),
  ];
}
