import { buildApplication } from '@kupe/plugin-gitops-node-test-utils';
import { livenessPrint } from './livenessCheck';

const app = () =>
  buildApplication({
    name: 'acme-web-staging',
    tenant: 'acme',
    component: 'acme-web',
    environment: 'staging',
  });

describe('livenessPrint', () => {
  it('is 16 base64 characters, the same for the same liveness fields', () => {
    const print = livenessPrint(app());
    expect(print).toMatch(/^[A-Za-z0-9+/]{16}$/);
    // What the liveness listing leaves out does not move it.
    const other = app();
    other.status!.reconciledAt = '2030-01-01T00:00:00Z';
    other.status!.resources = [];
    other.metadata.annotations = { note: 'changed' };
    expect(livenessPrint(other)).toBe(print);
  });

  it('moves with what the portal shows', () => {
    const print = livenessPrint(app());
    const degraded = app();
    degraded.status!.health = { status: 'Degraded', message: 'crash loop' };
    const labelled = app();
    labelled.metadata.labels = { ...labelled.metadata.labels, team: 'b' };
    const prints = new Set([
      print,
      livenessPrint(degraded),
      livenessPrint(labelled),
    ]);
    expect(prints.size).toBe(3);
  });
});
