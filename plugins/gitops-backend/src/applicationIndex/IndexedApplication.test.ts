import { TenantNaming } from '@kupe/plugin-gitops-common';
import { buildApplication } from '@kupe/plugin-gitops-node-test-utils';
import { toIndexedApplication } from './IndexedApplication';

const index = (app: ReturnType<typeof buildApplication>) =>
  toIndexedApplication(
    'main',
    app,
    new TenantNaming(),
    'argocd',
    undefined,
    new Date(),
  );

describe('toIndexedApplication for rollout validation', () => {
  it('keeps the operation revision and, while Degraded, the first Degraded resources', () => {
    const app = buildApplication({
      name: 'acme-web-dev',
      tenant: 'acme',
      health: 'Degraded',
    });
    app.status!.resources = [
      { kind: 'Service', name: 'web', health: { status: 'Healthy' } },
      ...['a', 'b', 'c', 'd'].map(n => ({
        kind: 'Deployment',
        name: n,
        health: { status: 'Degraded' as const, message: `deadline ${n}` },
      })),
    ];
    const record = index(app);
    expect(record.degradedResources).toEqual([
      'Deployment a: deadline a',
      'Deployment b: deadline b',
      'Deployment c: deadline c',
    ]);
    expect(record.operationRevision).toBe(
      app.status!.operationState!.syncResult?.revision ??
        app.status!.operationState!.operation.sync?.revision,
    );
    expect(record.operationRevision).toBeTruthy();
  });

  it('keeps no resources of a healthy app', () => {
    const record = index(
      buildApplication({ name: 'acme-web-dev', tenant: 'acme' }),
    );
    expect(record.degradedResources).toBeUndefined();
  });
});
