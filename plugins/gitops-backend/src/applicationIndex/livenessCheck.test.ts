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
  it('is a small integer, the same for the same liveness fields', () => {
    const print = livenessPrint(app());
    // Within 31 bits, so V8 holds it in a map's entry itself, on any build.
    expect(Number.isInteger(print)).toBe(true);
    expect(Math.abs(print)).toBeLessThanOrEqual(2 ** 30);
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
