import { startArgoCdDoubles } from './argoCdDoubles';
import { runScenario } from './runScenario';
import { PLUGIN_IDS } from './types';

describe('side-by-side benchmark', () => {
  it('counts every request an Argo CD double answers, per instance', async () => {
    const doubles = await startArgoCdDoubles({
      instances: 2,
      applications: 30,
      tenants: 5,
      latencyMs: 0,
    });
    try {
      expect(doubles.components).toHaveLength(10);
      expect(doubles.components[0]).toEqual({
        name: 'tenant000-svc0',
        tenant: 'tenant000',
        appsPerInstance: 3,
      });
      const list = (url: string, token?: string) =>
        fetch(
          `${url}/api/v1/applications?selector=backstage.io/kubernetes-id=tenant000-svc0`,
          {
            headers: token ? { authorization: `Bearer ${token}` } : {},
          },
        );
      const [first, second] = doubles.instances;
      const answer = await (await list(first.url, first.token)).json();
      expect(answer.items).toHaveLength(3);
      expect((await list(second.url)).status).toBe(401); // no token: still a request
      await list(second.url, second.token);
      expect(await doubles.takeRequestCounts()).toEqual([1, 2]);
      expect(await doubles.takeRequestCounts()).toEqual([0, 0]);
    } finally {
      await doubles.stop();
    }
  });

  it('runs every plugin against the same double, each showing the entity its applications', async () => {
    const scenario = await runScenario({
      plugins: PLUGIN_IDS,
      instances: 1,
      applications: 60,
      tenants: 5,
      latencyMs: 1,
      views: 20,
      concurrency: 5,
      sequentialViews: 5,
      warmupViews: 5,
      processes: 'inline',
    });
    expect(scenario.components).toBe(20);
    const byPlugin = Object.fromEntries(
      scenario.results.map(r => [r.plugin, r]),
    );
    expect(Object.keys(byPlugin)).toEqual(PLUGIN_IDS);
    for (const result of scenario.results) {
      // A view that showed other than the entity's applications counts as a failure.
      expect(result.concurrent.failures).toBe(0);
      expect(result.sequential?.failures).toBe(0);
      expect(result.concurrent.views).toBe(20);
      expect(result.concurrent.p99).toBeGreaterThan(0);
    }
    // Roadie: find/selector, then the instance's selector list: 2 listings per view.
    expect(byPlugin.roadie.concurrent.upstreamRequests).toBe(40);
    // Community: one selector listing per instance per view.
    expect(byPlugin.community.concurrent.upstreamRequests).toBe(20);
    // Kupe: the index loaded at start (a listing and a watch), then none per view.
    expect(byPlugin.kupe.startupUpstreamRequests).toBeGreaterThan(0);
    expect(byPlugin.kupe.concurrent.upstreamRequests).toBe(0);
  });
});
