import { startArgoCdSandbox } from '../server/startArgoCdSandbox';

describe('scale mode', () => {
  it('serves many generated applications, each tenant seeing only its own', async () => {
    const sandbox = await startArgoCdSandbox({
      port: 0,
      scale: { applications: 2000, tenants: 20 },
      latencyMs: 5,
    });
    try {
      const get = async (token: string) => {
        const res = await fetch(
          `${sandbox.url}/api/v1/applications?fields=items.metadata.name,items.spec.project`,
          {
            headers: { authorization: `Bearer ${token}` },
          },
        );
        return (
          (await res.json()) as {
            items: Array<{
              metadata: { name: string };
              spec: { project: string };
            }>;
          }
        ).items;
      };
      const all = await get(sandbox.adminToken);
      expect(all).toHaveLength(2000);
      expect(new Set(all.map(a => a.metadata.name)).size).toBe(2000);
      const tenant = Object.keys(sandbox.projectTokens)[0];
      const own = await get(sandbox.projectTokens[tenant]);
      expect(own).toHaveLength(100);
      expect(own.every(a => a.spec.project === `tenant-${tenant}`)).toBe(true);
      expect(sandbox.fake.requests).toHaveLength(2);
    } finally {
      await sandbox.stop();
    }
  });
});
